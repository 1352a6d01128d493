import { Module } from '@nestjs/common';
import { Clock } from '@switchyard/common';
import { MerchantsModule } from '@switchyard/merchants';
import { PaymentsModule } from '@switchyard/payments';
import { RoutingModule } from '@switchyard/routing';
import { CheckoutRepository } from './checkout.repository';
import { CheckoutService } from './checkout.service';

/** Hosted checkout and payment links: reads for the page, confirm through the payments API's own path. */
@Module({
  imports: [PaymentsModule, MerchantsModule, RoutingModule],
  providers: [CheckoutRepository, CheckoutService, Clock],
  exports: [CheckoutService],
})
export class CheckoutModule {}
