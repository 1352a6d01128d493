import { Module } from '@nestjs/common';
import { Clock } from '@switchyard/common';
import { ConnectorsModule } from '@switchyard/connectors';
import { MerchantsModule } from '@switchyard/merchants';
import { QueueModule } from '@switchyard/queue';
import { RoutingModule } from '@switchyard/routing';
import { AccountHealthService } from './account-health.service';
import { CredentialVerifier } from './credential-verifier';
import { GoLiveService } from './go-live/go-live.service';
import { MetricsService } from './metrics/metrics.service';
import { OpsReadRepository } from './ops-read.repository';
import { PromotionService } from './promotion/promotion.service';
import { RoutingCopier } from './promotion/routing-copy';
import { RotationService } from './rotation/rotation.service';

/** Operations: go-live readiness, promotion, rotation, metrics and the dashboard's read models. */
@Module({
  imports: [MerchantsModule, ConnectorsModule, QueueModule, RoutingModule],
  providers: [
    CredentialVerifier,
    GoLiveService,
    PromotionService,
    RoutingCopier,
    RotationService,
    MetricsService,
    OpsReadRepository,
    AccountHealthService,
    Clock,
  ],
  exports: [GoLiveService, PromotionService, RotationService, MetricsService, OpsReadRepository, AccountHealthService],
})
export class OpsModule {}
