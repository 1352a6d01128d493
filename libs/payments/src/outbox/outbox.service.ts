import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomAlphanumeric } from '@switchyard/common';
import { EntityManager } from 'typeorm';
import { OutgoingEventEntity, PreparedWrites, WriteBatch } from '@switchyard/database';
import { MerchantsService } from '@switchyard/merchants';
import { JobName, OutgoingWebhookJob, QueueName } from '@switchyard/queue';

export interface OutboxEntry {
  merchantId: string;
  profileId: string;
  eventType: string;
  paymentId: string | null;
  refundId: string | null;
  contentType: 'payment_details' | 'refund_details';
  object: Record<string, unknown>;
}

/** `evt_` + a time-ordered part + randomness, like Hyperswitch's generate_time_ordered_id("evt"). */
export function timeOrderedEventId(now = Date.now()): string {
  return `evt_${now.toString(36).padStart(10, '0')}${randomAlphanumeric(14)}`;
}

/**
 * Merchant events are written in the caller's transaction (so a state change and its event commit or vanish together)
 * and published to the outgoing-webhooks queue after commit; a sweeper republishes what a crash left unpublished.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectQueue(QueueName.OutgoingWebhooks) private readonly queue: Queue<OutgoingWebhookJob>,
    private readonly merchants: MerchantsService,
  ) {}

  /**
   * Writes the event; returns its id when it is to be published, null when the profile has no webhook endpoint: the
   * row is then recorded as `no_endpoint` at once (as the worker would mark it) and no delivery job is queued for it.
   * Ops can still re-deliver it once the merchant configures an endpoint. `into` is the caller's transaction, or the
   * batch of writes it commits with (the row is then written when the batch runs).
   */
  async write(into: EntityManager | WriteBatch, entry: OutboxEntry): Promise<string | null> {
    const eventId = timeOrderedEventId();
    const em = into instanceof WriteBatch ? undefined : into;
    const profile = await this.merchants.profile(entry.merchantId, entry.profileId, em);
    const deliverable = !!profile.webhookUrl;
    const row: Partial<OutgoingEventEntity> = {
      eventId,
      merchantId: entry.merchantId,
      profileId: entry.profileId,
      eventType: entry.eventType,
      paymentId: entry.paymentId,
      refundId: entry.refundId,
      payload: {
        merchant_id: entry.merchantId,
        event_id: eventId,
        event_type: entry.eventType,
        content: { type: entry.contentType, object: entry.object },
      },
      status: deliverable ? 'pending' : 'no_endpoint',
      attempts: 0,
      nextAttemptAt: deliverable ? new Date() : null,
    };
    if (into instanceof WriteBatch) into.insert(OutgoingEventEntity, row);
    else await PreparedWrites.insert(into, OutgoingEventEntity, row);
    return deliverable ? eventId : null;
  }

  async publish(merchantId: string, eventIds: string[]): Promise<void> {
    for (const eventId of eventIds) {
      await this.queue
        .add(JobName.DeliverOutgoingWebhook, { merchantId, eventId, attempt: 1 }, { jobId: `${eventId}.1` })
        .catch((error: unknown) =>
          this.logger.error({
            msg: 'could not publish outgoing event; the sweeper will',
            eventId,
            error: String(error),
          }),
        );
    }
  }
}
