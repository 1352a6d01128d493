import { Module } from '@nestjs/common';
import { Clock } from '@switchyard/common';
import { MerchantsModule } from '@switchyard/merchants';
import { OpsModule } from '@switchyard/ops';
import { ApiKeyRotationController } from './api-key-rotation.controller';
import { MetricsController } from './metrics.controller';
import { OpsAccountsController } from './ops-accounts.controller';

/** HTTP side of operations: go-live check, promotion, rotation, metrics. */
@Module({
  imports: [OpsModule, MerchantsModule],
  controllers: [OpsAccountsController, ApiKeyRotationController, MetricsController],
  providers: [Clock],
})
export class OpsApiModule {}
