import { Module } from '@nestjs/common';
import { CheckoutModule } from '@switchyard/checkout';
import { CheckoutPreviewController, PaymentLinksController } from './checkout-admin.controller';
import { CheckoutController } from './checkout.controller';
import { CheckoutCsrf } from './checkout.http';

/** HTTP side of hosted checkout: the shopper's pages, payment links, the ops preview. */
@Module({
  imports: [CheckoutModule],
  controllers: [CheckoutController, PaymentLinksController, CheckoutPreviewController],
  providers: [CheckoutCsrf],
  exports: [CheckoutModule],
})
export class CheckoutApiModule {}
