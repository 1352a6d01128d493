import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@switchyard/common';
import { ConnectorsModule } from '@switchyard/connectors';
import { WebhookEventEntity } from '@switchyard/database';
import { MerchantsModule } from '@switchyard/merchants';
import { PaymentsModule } from '@switchyard/payments';
import { QueueModule } from '@switchyard/queue';
import { IncomingWebhooksService } from './incoming-webhooks.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEventEntity]),
    ConnectorsModule,
    MerchantsModule,
    PaymentsModule,
    QueueModule,
  ],
  providers: [IncomingWebhooksService, Clock],
  exports: [IncomingWebhooksService],
})
export class WebhooksModule {}
