import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SandboxContext } from '../sandbox.types';
import { formatMajor } from './tap.amounts';
import { isPostedChargeStatus, isPostedRefundStatus, type TapChargeRecord, type TapRefundRecord } from './tap.records';
import type { TapStore } from './tap.store';
import { chargeView, refundView, tapJsonText } from './tap.views';

const DELIVERY_TIMEOUT_MS = 5000;

/**
 * Tap's `hashstring` (tap.md), written here on its own: lower-case hex HMAC-SHA256 keyed with the merchant's secret key
 * over `x_id…x_amount…x_currency…x_gateway_reference…x_payment_reference…x_status…x_created…`, the amount with the
 * currency's decimals.
 */
export function tapHashstring(
  secretKey: string,
  f: {
    id: string;
    amount: string;
    currency: string;
    gateway: string;
    payment: string;
    status: string;
    created: string;
  },
): string {
  const message =
    `x_id${f.id}x_amount${f.amount}x_currency${f.currency}x_gateway_reference${f.gateway}` +
    `x_payment_reference${f.payment}x_status${f.status}x_created${f.created}`;
  return createHmac('sha256', secretKey).update(message, 'utf8').digest('hex');
}

function chargeSignature(c: TapChargeRecord): string {
  return tapHashstring(c.apiKey, {
    id: c.id,
    amount: formatMajor(c.amountMinor, c.decimals),
    currency: c.currency,
    gateway: c.gatewayReference ?? '',
    payment: c.paymentReference ?? '',
    status: c.status,
    created: String(c.createdAt),
  });
}

function refundSignature(r: TapRefundRecord): string {
  return tapHashstring(r.apiKey, {
    id: r.id,
    amount: formatMajor(r.amountMinor, r.decimals),
    currency: r.currency,
    gateway: r.gatewayReference ?? '',
    payment: r.paymentReference ?? '',
    status: r.status,
    created: String(r.createdAt),
  });
}

interface Delivery {
  url: string;
  body: string;
  signature: string;
  objectId: string;
  objectStatus: string;
}

/** POSTs the raw object to its `post.url` on a final status, with 2 retries; every try is logged in the store. */
export class TapWebhookSender {
  constructor(
    private readonly store: TapStore,
    private readonly ctx: SandboxContext,
  ) {}

  chargeSettled(c: TapChargeRecord): void {
    if (!c.postUrl || !isPostedChargeStatus(c.status)) return;
    this.send({
      url: c.postUrl,
      body: tapJsonText(chargeView(c, this.store.pageTtlMs)),
      signature: chargeSignature(c),
      objectId: c.id,
      objectStatus: c.status,
    });
  }

  refundSettled(r: TapRefundRecord): void {
    if (!r.postUrl || !isPostedRefundStatus(r.status)) return;
    this.send({
      url: r.postUrl,
      body: tapJsonText(refundView(r)),
      signature: refundSignature(r),
      objectId: r.id,
      objectStatus: r.status,
    });
  }

  /** Runs `then` after `ms` on the sandbox's cancellable timers (disposed with the sandbox). */
  later(ms: number, then: () => void): void {
    this.ctx.hang(ms, new EventEmitter(), then);
  }

  private send(delivery: Delivery, attempt = 1): void {
    this.tryOnce(delivery, attempt).then(
      (ok) => {
        const delay = this.store.settings.webhookRetryDelaysMs[attempt - 1];
        if (!ok && delay !== undefined) this.later(delay, () => this.send(delivery, attempt + 1));
      },
      (err: unknown) => console.error('sandbox/tap: webhook delivery crashed', err),
    );
  }

  private async tryOnce(d: Delivery, attempt: number): Promise<boolean> {
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', hashstring: d.signature },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      httpStatus = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err: unknown) {
      error = err instanceof Error ? err.name : 'network error';
    }
    this.store.recordDelivery({
      objectId: d.objectId,
      objectStatus: d.objectStatus,
      url: d.url,
      attempt,
      httpStatus,
      error,
    });
    return httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
  }
}
