import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { Agent, request } from 'undici';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { Clock, DomainError, hmacHex } from '@switchyard/common';
import { KeyMode, OutgoingEventEntity, PaymentIntentEntity, WebhookDeliveryEntity } from '@switchyard/database';
import { MerchantsService } from '@switchyard/merchants';
import { JobName, OutgoingWebhookJob, QueueName } from '@switchyard/queue';

const RESPONSE_LOG_LIMIT = 1024;

/**
 * Delivers merchant events from the outbox: POST to the profile's webhook_url with `x-webhook-signature-512`
 * (lower-case hex HMAC-SHA512 of the exact body, keyed with the profile's payment_response_hash_key) plus id and timestamp
 * headers; non-2xx or no answer → retried on MERCHANT_WEBHOOK_RETRY_SCHEDULE; every attempt is logged. The event row is
 * locked while it is sent, so two workers never send the same event at once and nothing is sent after a 2xx.
 */
@Injectable()
export class OutgoingWebhooksService implements OnModuleDestroy {
  private readonly logger = new Logger('OutgoingWebhooks');
  private readonly retryMs: number[];
  private readonly agent: Agent;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.OutgoingWebhooks) private readonly queue: Queue<OutgoingWebhookJob>,
    private readonly merchants: MerchantsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.retryMs = config.MERCHANT_WEBHOOK_RETRY_SCHEDULE.split(',').map((s) => Number(s) * 1000);
    this.agent = new Agent({
      connect: { minVersion: 'TLSv1.2', timeout: config.MERCHANT_WEBHOOK_TIMEOUT_MS },
      keepAliveTimeout: 5000,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  /** One delivery attempt (queue job). Returns what happened, for the job log. */
  async deliver(job: OutgoingWebhookJob): Promise<string> {
    const outcome = await this.dataSource.transaction(async (em) => {
      const event = await em
        .createQueryBuilder(OutgoingEventEntity, 'e')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where('e.event_id = :id AND e.merchant_id = :m', { id: job.eventId, m: job.merchantId })
        .getOne();
      if (!event) return { status: 'busy-or-missing', retryAt: null };
      if (!job.manual && event.status !== 'pending') return { status: event.status, retryAt: null };
      const profile = await this.merchants.profile(event.merchantId, event.profileId, em);
      if (!profile.webhookUrl) {
        // Kept in the outbox: ops can re-deliver once the merchant configures an endpoint.
        await em.update(
          OutgoingEventEntity,
          { eventId: event.eventId },
          { status: 'no_endpoint', nextAttemptAt: null },
        );
        return { status: 'no_endpoint', retryAt: null };
      }
      const delivery = await this.send(em, event, job.manual ? 'manual' : 'automatic');
      return this.record(em, event, delivery.success, job.manual === true);
    });
    if (outcome.retryAt) {
      const next = job.attempt + 1;
      await this.queue.add(
        JobName.DeliverOutgoingWebhook,
        { merchantId: job.merchantId, eventId: job.eventId, attempt: next },
        { jobId: `${job.eventId}.${next}`, delay: Math.max(0, outcome.retryAt.getTime() - this.clock.now().getTime()) },
      );
    }
    return outcome.status;
  }

  /** Ops re-delivery: one attempt now, whatever the event's status; answers the logged attempt. */
  async redeliver(merchantId: string, eventId: string, mode: KeyMode | null = null): Promise<WebhookDeliveryEntity> {
    return this.dataSource.transaction(async (em) => {
      const event = await em
        .createQueryBuilder(OutgoingEventEntity, 'e')
        .setLock('pessimistic_write')
        .where('e.event_id = :id AND e.merchant_id = :m', { id: eventId, m: merchantId })
        .getOne();
      if (!event || !(await this.inMode(event, mode))) {
        throw new DomainError('InvalidRequestUrl', 'Event does not exist in our records');
      }
      const profile = await this.merchants.profile(event.merchantId, event.profileId, em);
      if (!profile.webhookUrl)
        throw new DomainError('PreconditionFailed', 'No webhook endpoint is configured for this business profile');
      const delivery = await this.send(em, event, 'manual');
      await this.record(em, event, delivery.success, true);
      return delivery;
    });
  }

  /** `mode` null = every mode (admin); a merchant key sees only the events of its own mode's payments. */
  async list(
    merchantId: string,
    filter: { paymentId?: string; limit: number; offset: number; mode?: KeyMode | null },
  ): Promise<OutgoingEventEntity[]> {
    const qb = this.dataSource.manager
      .createQueryBuilder(OutgoingEventEntity, 'e')
      .where('e.merchant_id = :merchantId', { merchantId });
    if (filter.paymentId) qb.andWhere('e.payment_id = :paymentId', { paymentId: filter.paymentId });
    if (filter.mode) {
      qb.innerJoin(
        PaymentIntentEntity,
        'p',
        'p.payment_id = e.payment_id AND p.merchant_id = e.merchant_id AND p.mode = :mode',
        {
          mode: filter.mode,
        },
      );
    }
    return qb.orderBy('e.createdAt', 'DESC').take(filter.limit).skip(filter.offset).getMany();
  }

  async attempts(merchantId: string, eventId: string, mode: KeyMode | null = null): Promise<WebhookDeliveryEntity[]> {
    const event = await this.dataSource.manager.findOneBy(OutgoingEventEntity, { merchantId, eventId });
    if (!event || !(await this.inMode(event, mode))) {
      throw new DomainError('InvalidRequestUrl', 'Event does not exist in our records');
    }
    return this.dataSource.manager.find(WebhookDeliveryEntity, {
      where: { merchantId, eventId },
      order: { id: 'ASC' },
    });
  }

  private async inMode(event: OutgoingEventEntity, mode: KeyMode | null): Promise<boolean> {
    if (!mode || !event.paymentId) return mode === null;
    return this.dataSource.manager.exists(PaymentIntentEntity, {
      where: { merchantId: event.merchantId, paymentId: event.paymentId, mode },
    });
  }

  /** Re-publishes pending events whose job was lost (crash between commit and enqueue, Redis outage). */
  async sweep(): Promise<number> {
    const stale = await this.dataSource.manager
      .createQueryBuilder(OutgoingEventEntity, 'e')
      .where(`e.status = 'pending' AND e.next_attempt_at < now() - interval '2 minutes'`)
      .orderBy('e.next_attempt_at', 'ASC')
      .limit(500)
      .getMany();
    for (const event of stale) {
      await this.queue.add(
        JobName.DeliverOutgoingWebhook,
        { merchantId: event.merchantId, eventId: event.eventId, attempt: event.attempts + 1 },
        { jobId: `${event.eventId}.sweep.${event.attempts + 1}` },
      );
    }
    return stale.length;
  }

  async installSweeper(everyMs: number): Promise<void> {
    await this.queue.upsertJobScheduler(
      'outgoing-webhooks-sweeper',
      { every: everyMs },
      { name: JobName.SweepOutgoingWebhooks },
    );
  }

  private async send(
    em: EntityManager,
    event: OutgoingEventEntity,
    trigger: 'automatic' | 'manual',
  ): Promise<WebhookDeliveryEntity> {
    const profile = await this.merchants.profile(event.merchantId, event.profileId, em);
    const attemptNo = event.attempts + 1;
    const base = { merchantId: event.merchantId, eventId: event.eventId, attemptNo, trigger };
    const url = profile.webhookUrl ?? '';
    const now = this.clock.now();
    const body = JSON.stringify({ ...(event.payload as Record<string, unknown>), timestamp: now.toISOString() });
    const signature = hmacHex('sha512', this.merchants.hashKeyOf(profile), body);
    const started = Date.now();
    let responseStatus: number | null = null;
    let responseBody: string | null = null;
    let error: string | null = null;
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchyard-Webhooks/1.0',
          'x-webhook-signature-512': signature,
          'x-webhook-id': event.eventId,
          'x-webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(this.config.MERCHANT_WEBHOOK_TIMEOUT_MS),
      });
      responseStatus = res.statusCode;
      responseBody = (await res.body.text()).slice(0, RESPONSE_LOG_LIMIT);
    } catch (e: unknown) {
      const name = (e as { name?: string }).name;
      error =
        name === 'TimeoutError' || name === 'AbortError'
          ? 'timeout'
          : `network error ${(e as { code?: string }).code ?? ''}`.trim();
    }
    const success = responseStatus !== null && responseStatus >= 200 && responseStatus < 300;
    this.logger.log({
      msg: 'merchant webhook delivery',
      eventId: event.eventId,
      attemptNo,
      status: responseStatus,
      success,
      error,
    });
    return em.save(WebhookDeliveryEntity, {
      ...base,
      url,
      responseStatus,
      responseBody,
      error,
      durationMs: Date.now() - started,
      success,
    });
  }

  private async record(
    em: EntityManager,
    event: OutgoingEventEntity,
    success: boolean,
    manual: boolean,
  ): Promise<{ status: string; retryAt: Date | null }> {
    const attempts = event.attempts + 1;
    if (success) {
      await em.update(
        OutgoingEventEntity,
        { eventId: event.eventId },
        { status: 'delivered', attempts, deliveredAt: this.clock.now(), nextAttemptAt: null },
      );
      return { status: 'delivered', retryAt: null };
    }
    if (manual) {
      await em.update(OutgoingEventEntity, { eventId: event.eventId }, { attempts });
      return { status: event.status, retryAt: null };
    }
    const automaticSoFar = await em.count(WebhookDeliveryEntity, {
      where: { eventId: event.eventId, trigger: 'automatic' },
    });
    const delay = this.retryMs[automaticSoFar - 1];
    if (delay === undefined) {
      await em.update(
        OutgoingEventEntity,
        { eventId: event.eventId },
        { status: 'failed', attempts, nextAttemptAt: null },
      );
      this.logger.warn({ msg: 'merchant webhook gave up after the retry schedule', eventId: event.eventId, attempts });
      return { status: 'failed', retryAt: null };
    }
    const retryAt = new Date(this.clock.now().getTime() + delay);
    await em.update(OutgoingEventEntity, { eventId: event.eventId }, { attempts, nextAttemptAt: retryAt });
    return { status: 'retry scheduled', retryAt };
  }
}
