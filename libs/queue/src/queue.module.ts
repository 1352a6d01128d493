import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { QueueName } from './queue-names';

/** BullMQ on REDIS_URL with QUEUE_PREFIX; failed jobs are kept (never silently dropped). */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const url = new URL(config.REDIS_URL);
        return {
          prefix: config.QUEUE_PREFIX,
          connection: {
            host: url.hostname,
            port: Number(url.port || 6379),
            username: url.username || undefined,
            password: url.password ? decodeURIComponent(url.password) : undefined,
            db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
            tls: url.protocol === 'rediss:' ? {} : undefined,
          },
          defaultJobOptions: {
            attempts: 5,
            backoff: { type: 'exponential', delay: 2000 },
            removeOnComplete: 1000,
            removeOnFail: false,
          },
        };
      },
    }),
    BullModule.registerQueue(
      { name: QueueName.PaymentSync },
      { name: QueueName.RefundSync },
      { name: QueueName.IncomingWebhooks },
      { name: QueueName.OutgoingWebhooks },
      { name: QueueName.Reconciliation },
    ),
  ],
  exports: [BullModule],
})
export class QueueModule {}
