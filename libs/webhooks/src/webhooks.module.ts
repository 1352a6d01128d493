import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@switchyard/common';
import { ConnectorsModule } from '@switchyard/connectors';
import { OutgoingEventEntity, WebhookDeliveryEntity, WebhookEventEntity } from '@switchyard/database';
import { MerchantsModule } from '@switchyard/merchants';
import { PaymentsModule } from '@switchyard/payments';
import { QueueModule } from '@switchyard/queue';
import { IncomingWebhooksService } from './incoming-webhooks.service';
import { OutgoingWebhooksService } from './outgoing-webhooks.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEventEntity, OutgoingEventEntity, WebhookDeliveryEntity]),
    ConnectorsModule,
    MerchantsModule,
    PaymentsModule,
    QueueModule,
  ],
  providers: [IncomingWebhooksService, OutgoingWebhooksService, Clock],
  exports: [IncomingWebhooksService, OutgoingWebhooksService],
})
export class WebhooksModule {}
