import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Counter, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock, DomainError, redactSecrets } from '@switchyard/common';
import { ConnectorRegistry, ParsedWebhook, WebhookRequest } from '@switchyard/connectors';
import { PaymentAttemptEntity, RefundEntity, WebhookEventEntity } from '@switchyard/database';
import { ConnectorAccountsService } from '@switchyard/merchants';
import { AttemptExecutor, RefundsService } from '@switchyard/payments';
import { IncomingWebhookJob, JobName, QueueName } from '@switchyard/queue';

const verificationFailures =
  (register.getSingleMetric('switchyard_webhook_verification_failures_total') as Counter<'connector'> | undefined) ??
  new Counter({
    name: 'switchyard_webhook_verification_failures_total',
    help: 'Incoming connector webhooks that failed verification',
    labelNames: ['connector'],
  });

export type ReceiveOutcome = 'accepted' | 'duplicate' | 'ignored';

/**
 * Connector webhooks: the HTTP side only verifies, stores (deduplicated) and enqueues; the worker applies the event
 * through the same transition table as every other source. Unverifiable deliveries are stored as rejected and change nothing.
 */
@Injectable()
export class IncomingWebhooksService {
  private readonly logger = new Logger('IncomingWebhooks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.IncomingWebhooks) private readonly queue: Queue<IncomingWebhookJob>,
    private readonly accounts: ConnectorAccountsService,
    private readonly registry: ConnectorRegistry,
    private readonly executor: AttemptExecutor,
    private readonly refunds: RefundsService,
    private readonly clock: Clock,
  ) {}

  async receive(
    merchantId: string,
    merchantConnectorId: string,
    headers: Record<string, string>,
    rawBody: Buffer,
  ): Promise<ReceiveOutcome> {
    const account = await this.accounts.get(merchantId, merchantConnectorId);
    const connector = this.registry.get(account.connectorName);
    if (!connector.verifyWebhook || !connector.parseWebhook) {
      throw new DomainError('FlowNotSupported', `webhooks flow not supported by ${account.connectorName}`);
    }
    const ctx = this.accounts.context(account);
    const request: WebhookRequest = { headers, rawBody, now: this.clock.now() };
    const stored = {
      merchantId,
      merchantConnectorId,
      connector: account.connectorName,
      headers: redactSecrets(headers) as object,
      body: rawBody.toString('utf8'),
    };
    // During a credential rotation's overlap the processor may still sign with the previous secret.
    const previous = this.accounts.previousContext(account, request.now);
    const verified =
      connector.verifyWebhook(ctx, request) || (!!previous && connector.verifyWebhook(previous, request));
    if (!verified) {
      verificationFailures.inc({ connector: account.connectorName });
      await this.dataSource.manager.insert(WebhookEventEntity, {
        ...stored,
        eventId: null,
        status: 'rejected',
        reason: 'signature verification failed',
      });
      this.logger.warn({ msg: 'webhook rejected: verification failed', merchantId, merchantConnectorId });
      throw new DomainError('Unauthorized', 'Webhook authentication failed');
    }
    const parsed = connector.parseWebhook(ctx, request);
    if (!parsed) throw new DomainError('MalformedRequestBody', 'Bad request body received');
    const inserted = await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(WebhookEventEntity)
      .values({
        ...stored,
        eventId: parsed.eventId,
        status: parsed.kind === 'ignored' ? 'ignored' : 'received',
        reason: parsed.kind === 'ignored' ? parsed.reason : null,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const row = inserted.raw[0] as { id: string } | undefined;
    if (!row) return 'duplicate';
    if (parsed.kind === 'ignored') return 'ignored';
    await this.queue.add(
      JobName.ApplyIncomingWebhook,
      { merchantId, webhookEventId: String(row.id) },
      { jobId: `wh.${row.id}` },
    );
    return 'accepted';
  }

  /** Worker side: re-reads the stored raw event and applies it once. */
  async process(job: IncomingWebhookJob): Promise<string> {
    const event = await this.dataSource.manager.findOneBy(WebhookEventEntity, {
      id: job.webhookEventId,
      merchantId: job.merchantId,
    });
    if (!event || event.status !== 'received') return event?.status ?? 'missing';
    const account = await this.accounts.get(event.merchantId, event.merchantConnectorId);
    const connector = this.registry.get(account.connectorName);
    const parsed = connector.parseWebhook?.(this.accounts.context(account), {
      headers: event.headers as Record<string, string>,
      rawBody: Buffer.from(event.body, 'utf8'),
      now: this.clock.now(),
    });
    const outcome = parsed
      ? await this.apply(event, parsed)
      : { status: 'failed', paymentId: null, reason: 'unreadable body' };
    await this.dataSource.manager.update(
      WebhookEventEntity,
      { id: event.id },
      {
        status: outcome.status,
        paymentId: outcome.paymentId,
        reason: outcome.reason ?? null,
        processedAt: this.clock.now(),
      },
    );
    return outcome.status;
  }

  private async apply(
    event: WebhookEventEntity,
    parsed: ParsedWebhook,
  ): Promise<{ status: string; paymentId: string | null; reason?: string }> {
    if (parsed.kind === 'ignored') return { status: 'ignored', paymentId: null, reason: parsed.reason };
    if (parsed.kind === 'payment') {
      const attempt = await this.findAttempt(event, parsed.attemptReference, parsed.connectorTransactionId);
      if (!attempt) return { status: 'unmatched', paymentId: null, reason: 'no attempt matches this event' };
      const { attempt: after } = await this.executor.apply(attempt, parsed.result, 'webhook');
      return {
        status: 'processed',
        paymentId: after.paymentId,
        reason: after.status === parsed.result.status ? undefined : `attempt stays ${after.status}`,
      };
    }
    const refund = await this.findRefund(event, parsed.refundReference, parsed.connectorRefundId);
    if (!refund) return { status: 'unmatched', paymentId: null, reason: 'no refund matches this event' };
    const after = await this.refunds.applyResult(refund, parsed.result, 'webhook');
    return {
      status: 'processed',
      paymentId: after.paymentId,
      reason: after.status === parsed.result.status ? undefined : `refund stays ${after.status}`,
    };
  }

  private async findAttempt(
    event: WebhookEventEntity,
    reference: string | null,
    connectorTransactionId: string | null,
  ) {
    const repo = this.dataSource.manager.getRepository(PaymentAttemptEntity);
    const scope = { merchantId: event.merchantId, merchantConnectorId: event.merchantConnectorId };
    if (reference) {
      const byReference = await repo.findOneBy({ ...scope, attemptId: reference });
      // A reference the signature may not cover must agree with the connector's own id, or a replayed genuine
      // delivery could be pointed at another payment.
      const conflicting =
        byReference?.connectorTransactionId &&
        connectorTransactionId &&
        byReference.connectorTransactionId !== connectorTransactionId;
      if (byReference && !conflicting) return byReference;
      if (conflicting)
        this.logger.warn({
          msg: 'webhook reference disagrees with the connector id; matched by id only',
          attemptId: reference,
        });
    }
    return connectorTransactionId ? repo.findOneBy({ ...scope, connectorTransactionId }) : null;
  }

  private async findRefund(event: WebhookEventEntity, reference: string | null, connectorRefundId: string | null) {
    const repo = this.dataSource.manager.getRepository(RefundEntity);
    const scope = { merchantId: event.merchantId, merchantConnectorId: event.merchantConnectorId };
    if (reference) {
      const byReference = await repo.findOneBy({ ...scope, refundId: reference });
      if (byReference) return byReference;
    }
    return connectorRefundId ? repo.findOneBy({ ...scope, connectorRefundId }) : null;
  }
}
