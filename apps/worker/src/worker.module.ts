import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, AppConfigModule } from '@switchyard/config';
import { CryptoModule, RedisModule, loggerModuleParams } from '@switchyard/common';
import { appDataSourceOptions } from '@switchyard/database';
import { PaymentsModule } from '@switchyard/payments';
import { WebhooksModule } from '@switchyard/webhooks';
import { IncomingWebhooksProcessor } from './incoming-webhooks.processor';
import { OutgoingWebhooksProcessor } from './outgoing-webhooks.processor';
import { ReconciliationProcessor } from './reconciliation.processor';
import { ReconciliationModule } from '@switchyard/reconciliation';
import { PaymentSyncProcessor } from './payment-sync.processor';
import { RefundSyncProcessor } from './refund-sync.processor';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        loggerModuleParams({
          level: config.LOG_LEVEL,
          file: config.LOG_FILE,
          stdout: config.LOG_TO_STDOUT,
          name: 'worker',
        }),
    }),
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => appDataSourceOptions(config),
    }),
    RedisModule,
    CryptoModule,
    PaymentsModule,
    WebhooksModule,
    ReconciliationModule,
  ],
  providers: [
    PaymentSyncProcessor,
    RefundSyncProcessor,
    IncomingWebhooksProcessor,
    OutgoingWebhooksProcessor,
    ReconciliationProcessor,
  ],
})
export class WorkerModule {}
