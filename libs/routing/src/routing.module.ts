import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@switchyard/common';
import { ConnectorsModule } from '@switchyard/connectors';
import { RoutingConfigEntity, RoutingProfileSettingsEntity } from '@switchyard/database';
import { MerchantsModule } from '@switchyard/merchants';
import { RoutingConfigRepository } from './config/routing-config.repository';
import { RoutingConfigService } from './config/routing-config.service';
import { CircuitBreakerService } from './health/circuit-breaker.service';
import { loadRoutingHealthSettings, ROUTING_HEALTH_SETTINGS } from './health/health.settings';
import { RoutingFeedback } from './health/routing-feedback.service';
import { SuccessRateWindow } from './health/success-rate.window';
import { RoutingService } from './routing.service';

/** Routing: configs (ops API), the per-attempt decision, connector health (circuit breakers, success-rate windows). */
@Module({
  imports: [
    TypeOrmModule.forFeature([RoutingConfigEntity, RoutingProfileSettingsEntity]),
    ConnectorsModule,
    MerchantsModule,
  ],
  providers: [
    // Validated when the app starts: a bad ROUTING_BREAKER_* value stops the process naming the variable.
    { provide: ROUTING_HEALTH_SETTINGS, useFactory: () => loadRoutingHealthSettings() },
    RoutingConfigRepository,
    RoutingConfigService,
    RoutingService,
    CircuitBreakerService,
    SuccessRateWindow,
    RoutingFeedback,
    Clock,
  ],
  exports: [RoutingConfigService, RoutingService, CircuitBreakerService, RoutingFeedback, SuccessRateWindow],
})
export class RoutingModule {}
