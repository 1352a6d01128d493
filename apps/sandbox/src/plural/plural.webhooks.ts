import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { SandboxContext } from '../sandbox.types';
import type { PluralStore } from './plural.store';
import { signWebhook } from './plural.wire';

export type PluralEvent =
  | 'ORDER_PROCESSED'
  | 'ORDER_AUTHORIZED'
  | 'ORDER_FAILED'
  | 'ORDER_CANCELLED'
  | 'PAYMENT_FAILED'
  | 'REFUND_PROCESSED'
  | 'REFUND_FAILED';

export interface WebhookAttempt {
  at: number;
  /** HTTP status of the merchant's answer; null when the request itself failed. */
  status: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  readonly webhookId: string;
  readonly eventType: PluralEvent;
  readonly orderId: string;
  readonly clientId: string;
  readonly url: string;
  /** The exact bytes signed and sent. */
  readonly body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
  /** Headers of the last attempt (a fresh timestamp and signature per attempt, the same webhook-id). */
  lastHeaders: Record<string, string> | null;
  lastResponse: string | null;
}

/** Pine Labs retries a delivery up to 3 times; the sandbox waits these delays before retry 1, 2 and 3. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000];
const DELIVERY_TIMEOUT_MS = 5000;

/** Signed Standard Webhooks deliveries to the URL each merchant registered, with retries on non-2xx answers. */
export class PluralWebhooks {
  readonly deliveries: WebhookDelivery[] = [];

  constructor(
    private readonly store: PluralStore,
    private readonly ctx: SandboxContext,
  ) {}

  /** Queues an event for the merchant's webhook URL; null when the merchant registered none. */
  emit(eventType: PluralEvent, clientId: string, orderId: string, data: object): WebhookDelivery | null {
    const url = this.store.getMerchant(clientId)?.webhookUrl;
    if (!url) return null;
    const delivery: WebhookDelivery = {
      webhookId: `msg_${randomBytes(16).toString('base64url')}`,
      eventType,
      orderId,
      clientId,
      url,
      body: JSON.stringify({ event_type: eventType, data }),
      state: 'pending',
      attempts: [],
      lastHeaders: null,
      lastResponse: null,
    };
    this.deliveries.push(delivery);
    this.run(delivery).catch((err: unknown) => console.error('sandbox/plural: webhook delivery crashed', err));
    return delivery;
  }

  find(webhookId: string): WebhookDelivery | undefined {
    return this.deliveries.find((d) => d.webhookId === webhookId);
  }

  /** Sends the same event again (same webhook-id, as a dashboard "resend" does); resolves once it is settled. */
  async redeliver(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    delivery.state = 'pending';
    await this.run(delivery);
    return delivery;
  }

  private async run(delivery: WebhookDelivery): Promise<void> {
    for (let retry = 0; ; retry += 1) {
      if (await this.attempt(delivery)) {
        delivery.state = 'delivered';
        this.store.stats.webhooksDelivered += 1;
        return;
      }
      if (retry >= WEBHOOK_RETRY_DELAYS_MS.length) break;
      // A fresh emitter per wait: the sandbox's dispose() cancels the timer, nothing else does.
      await new Promise<void>((resolve) => this.ctx.hang(WEBHOOK_RETRY_DELAYS_MS[retry], new EventEmitter(), resolve));
    }
    delivery.state = 'failed';
    this.store.stats.webhooksFailed += 1;
  }

  private async attempt(delivery: WebhookDelivery): Promise<boolean> {
    const merchant = this.store.getMerchant(delivery.clientId);
    const secret = merchant?.webhookSecret ?? merchant?.clientSecret ?? '';
    const timestamp = Math.floor(this.ctx.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': delivery.webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secret, delivery.webhookId, timestamp, delivery.body),
    };
    delivery.lastHeaders = headers;
    this.store.stats.webhookAttempts += 1;
    const record: WebhookAttempt = { at: this.ctx.now(), status: null, error: null };
    delivery.attempts.push(record);
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      record.status = res.status;
      delivery.lastResponse = (await res.text()).slice(0, 2000);
      return res.status >= 200 && res.status < 300;
    } catch (err: unknown) {
      record.error = err instanceof Error ? err.message : String(err);
      return false;
    }
  }
}
