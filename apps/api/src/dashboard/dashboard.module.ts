import { Module } from '@nestjs/common';
import { MerchantsModule } from '@switchyard/merchants';
import { OpsModule } from '@switchyard/ops';
import { WebhooksModule } from '@switchyard/webhooks';
import { DashboardAuthController } from './dashboard-auth.controller';
import { DashboardController } from './dashboard.controller';
import { DashboardSessionGuard } from './dashboard.guard';
import { DashboardSessions } from './dashboard.sessions';

/** The ops dashboard: server-rendered pages under /dashboard, signed in with the admin key. */
@Module({
  imports: [OpsModule, MerchantsModule, WebhooksModule],
  controllers: [DashboardAuthController, DashboardController],
  providers: [DashboardSessions, DashboardSessionGuard],
})
export class DashboardModule {}
