import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, AppConfigModule } from '@switchyard/config';
import { Clock, CryptoModule, RedisModule, loggerModuleParams } from '@switchyard/common';
import { appDataSourceOptions } from '@switchyard/database';
import { MerchantsModule } from '@switchyard/merchants';
import { PaymentsModule } from '@switchyard/payments';
import { WebhooksModule } from '@switchyard/webhooks';
import { AccountsController } from './accounts/accounts.controller';
import { ConnectorsController } from './accounts/connectors.controller';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { ApiKeyGuard } from './common/api-key.guard';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { HealthController } from './health/health.controller';
import { PaymentsController } from './payments/payments.controller';
import { RefundsController } from './payments/refunds.controller';
import { ReturnController } from './payments/return.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { EventsController } from './events/events.controller';
import { ProfilesController } from './accounts/profiles.controller';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationModule } from '@switchyard/reconciliation';
import { RoutingModule } from '@switchyard/routing';
import { RoutingController } from './routing/routing.controller';
import { OpsApiModule } from './ops/ops-api.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { CheckoutApiModule } from './checkout/checkout-api.module';

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
          name: 'api',
        }),
    }),
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => appDataSourceOptions(config),
    }),
    RedisModule,
    CryptoModule,
    TerminusModule,
    MerchantsModule,
    PaymentsModule,
    WebhooksModule,
    ReconciliationModule,
    RoutingModule,
    OpsApiModule,
    DashboardModule,
    CheckoutApiModule,
  ],
  controllers: [
    AccountsController,
    ConnectorsController,
    PaymentsController,
    RefundsController,
    ReturnController,
    HealthController,
    WebhooksController,
    EventsController,
    ProfilesController,
    ReconciliationController,
    RoutingController,
  ],
  providers: [
    Clock,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
export class ApiModule {}
