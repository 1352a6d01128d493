import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@switchyard/common';
import { ConnectorsModule } from '@switchyard/connectors';
import {
  IdempotencyKeyEntity,
  PaymentAttemptEntity,
  PaymentEventEntity,
  PaymentIntentEntity,
  RefundEntity,
} from '@switchyard/database';
import { MerchantsModule } from '@switchyard/merchants';
import { QueueModule } from '@switchyard/queue';
import { RoutingModule } from '@switchyard/routing';
import { AttemptExecutor } from './attempt-executor.service';
import { IdempotencyService } from './idempotency/idempotency.service';
import { OutboxService } from './outbox/outbox.service';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { RefundsService } from './refunds.service';
import { ReturnService } from './return.service';
import { AttemptStarter } from './routing/attempt-starter.service';
import { ConnectorSelector } from './routing/connector-selector';
import { PaymentSyncHandler } from './sync/payment-sync.handler';
import { SyncScheduler } from './sync/sync-scheduler';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      PaymentIntentEntity,
      PaymentAttemptEntity,
      PaymentEventEntity,
      RefundEntity,
      IdempotencyKeyEntity,
    ]),
    ConnectorsModule,
    MerchantsModule,
    QueueModule,
    RoutingModule,
  ],
  providers: [
    OutboxService,
    PaymentsRepository,
    PaymentsService,
    RefundsService,
    ReturnService,
    AttemptExecutor,
    ConnectorSelector,
    AttemptStarter,
    SyncScheduler,
    PaymentSyncHandler,
    IdempotencyService,
    Clock,
  ],
  exports: [
    OutboxService,
    SyncScheduler,
    AttemptExecutor,
    PaymentsService,
    RefundsService,
    ReturnService,
    PaymentSyncHandler,
    IdempotencyService,
    PaymentsRepository,
  ],
})
export class PaymentsModule {}
