import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, Errors } from '@switchyard/common';
import { AccountHealthService, OpsReadRepository } from '@switchyard/ops';
import { OutgoingWebhooksService } from '@switchyard/webhooks';
import { Auth } from '../common/auth.decorator';
import { DashboardQuery, RedeliverForm } from './dashboard.dto';
import { DashboardExceptionFilter } from './dashboard.filter';
import { DashboardSessionGuard } from './dashboard.guard';
import type { DashboardRequest } from './dashboard.http';
import { DashboardPageInterceptor } from './dashboard.interceptor';
import type { SafeHtml } from './html';
import { connectorsPage, reconPage } from './views/accounts.view';
import { layout, Section } from './views/layout.view';
import { paymentsPage, timelinePage } from './views/payments.view';
import { deliveriesPage, webhooksPage } from './views/webhooks.view';

const BACK = /^\/dashboard\/[A-Za-z0-9_\-/?=&%.]*$/;

/** The operator's pages: read-only, except re-delivering a merchant webhook (and logging out). */
@ApiExcludeController()
@Auth('public')
@UseGuards(DashboardSessionGuard)
@UseInterceptors(DashboardPageInterceptor)
@UseFilters(DashboardExceptionFilter)
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly reads: OpsReadRepository,
    private readonly webhooks: OutgoingWebhooksService,
    private readonly health: AccountHealthService,
  ) {}

  @Get('payments')
  async payments(@Req() req: DashboardRequest, @Query() q: DashboardQuery): Promise<SafeHtml> {
    const search = { paymentId: q.payment_id, merchantId: q.merchant_id, status: q.status };
    return this.page(req, 'Payments', 'payments', paymentsPage(search, await this.reads.searchPayments(search)), q);
  }

  @Get('payments/:merchant_id/:payment_id')
  async timeline(
    @Req() req: DashboardRequest,
    @Param('merchant_id') merchantId: string,
    @Param('payment_id') paymentId: string,
    @Query() q: DashboardQuery,
  ): Promise<SafeHtml> {
    const timeline = await this.reads.timeline(merchantId, paymentId);
    if (!timeline) throw Errors.paymentNotFound();
    return this.page(req, `Payment ${paymentId}`, 'payments', timelinePage(timeline, this.csrf(req)), q);
  }

  @Get('connectors')
  async connectors(@Req() req: DashboardRequest, @Query() q: DashboardQuery): Promise<SafeHtml> {
    const rows = await this.health.accounts(q.merchant_id || null);
    const body = connectorsPage(q.merchant_id || null, rows, `${Math.round(this.health.windowSeconds / 3600)} h`);
    return this.page(req, 'Connector accounts', 'connectors', body, q);
  }

  @Get('webhooks')
  async outgoing(@Req() req: DashboardRequest, @Query() q: DashboardQuery): Promise<SafeHtml> {
    const rows = await this.reads.outgoing(q.merchant_id || null);
    return this.page(
      req,
      'Webhook deliveries',
      'webhooks',
      webhooksPage(q.merchant_id || null, rows, this.csrf(req)),
      q,
    );
  }

  @Get('webhooks/:merchant_id/:event_id')
  async deliveries(
    @Req() req: DashboardRequest,
    @Param('merchant_id') merchantId: string,
    @Param('event_id') eventId: string,
    @Query() q: DashboardQuery,
  ): Promise<SafeHtml> {
    const deliveries = await this.webhooks.attempts(merchantId, eventId);
    const body = deliveriesPage(merchantId, eventId, deliveries, this.csrf(req));
    return this.page(req, `Event ${eventId}`, 'webhooks', body, q);
  }

  @Post('webhooks/:merchant_id/:event_id/redeliver')
  async redeliver(
    @Param('merchant_id') merchantId: string,
    @Param('event_id') eventId: string,
    @Body() form: RedeliverForm,
    @Res() res: Response,
  ): Promise<void> {
    let outcome: string;
    try {
      outcome = (await this.webhooks.redeliver(merchantId, eventId)).success ? 'delivered' : 'failed';
    } catch (error: unknown) {
      if (!(error instanceof DomainError)) throw error;
      outcome = error.kind === 'PreconditionFailed' ? 'no_endpoint' : 'not_found';
    }
    const back = form.back && BACK.test(form.back) && !form.back.includes('//') ? form.back : '/dashboard/webhooks';
    const params = new URLSearchParams({ redelivered: eventId, outcome });
    res.redirect(303, `${back}${back.includes('?') ? '&' : '?'}${params.toString()}`);
  }

  @Get('recon')
  async recon(@Req() req: DashboardRequest, @Query() q: DashboardQuery): Promise<SafeHtml> {
    const rows = await this.reads.reconRuns(q.merchant_id || null);
    return this.page(req, 'Reconciliation', 'recon', reconPage(q.merchant_id || null, rows), q);
  }

  private page(req: DashboardRequest, title: string, section: Section, body: SafeHtml, q: DashboardQuery): SafeHtml {
    return layout({ title, section, csrf: this.csrf(req), body, notice: notice(q) });
  }

  private csrf(req: DashboardRequest): string {
    if (!req.dashboardSession) throw new Error('dashboard route without a session: missing DashboardSessionGuard');
    return req.dashboardSession.csrf;
  }
}

function notice(q: DashboardQuery): string | null {
  if (!q.redelivered || !q.outcome) return null;
  const what: Record<string, string> = {
    delivered: 'was re-delivered: the endpoint answered 2xx',
    failed: 'was sent again but the endpoint did not answer 2xx (see its attempts)',
    no_endpoint: 'was not sent: the business profile has no webhook endpoint',
    not_found: 'was not found',
  };
  return `Event ${q.redelivered} ${what[q.outcome] ?? ''}`;
}
