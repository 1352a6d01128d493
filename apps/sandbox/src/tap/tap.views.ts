import { randomBytes } from 'node:crypto';
import type { Response } from '../express-typed';
import { jsonAmountText } from './tap.amounts';
import type { TapChargeRecord, TapChargeStatus, TapRefundRecord, TapRefundStatus } from './tap.records';

/** Tap's response codes per status (tap.md). */
const CHARGE_RESPONSE: Readonly<Record<TapChargeStatus, { code: string; message: string }>> = {
  CAPTURED: { code: '000', message: 'Captured' },
  AUTHORIZED: { code: '001', message: 'Authorized' },
  INITIATED: { code: '100', message: 'Initiated' },
  IN_PROGRESS: { code: '200', message: 'In progress' },
  ABANDONED: { code: '301', message: 'Abandoned' },
  CANCELLED: { code: '302', message: 'Cancelled' },
  FAILED: { code: '401', message: 'Failed' },
  DECLINED: { code: '507', message: 'Declined, Insufficient Funds' },
  VOID: { code: '601', message: 'Void' },
  RESTRICTED: { code: '701', message: 'Restricted' },
  TIMEDOUT: { code: '801', message: 'Timed out' },
  UNKNOWN: { code: '901', message: 'Unknown' },
};

const REFUND_RESPONSE: Readonly<Record<TapRefundStatus, { code: string; message: string }>> = {
  REFUNDED: { code: '000', message: 'Refunded' },
  PENDING: { code: '100', message: 'Pending' },
  IN_PROGRESS: { code: '200', message: 'In progress' },
  CANCELLED: { code: '301', message: 'Cancelled' },
  FAILED: { code: '401', message: 'Failed' },
  DECLINED: { code: '501', message: 'Declined' },
  RESTRICTED: { code: '601', message: 'Restricted' },
  TIMEDOUT: { code: '701', message: 'Timed out' },
  UNKNOWN: { code: '801', message: 'Unknown' },
};

// Amounts are written as raw JSON numbers with at least one decimal (`1.0`), which JSON.stringify cannot do: they are
// put in as marker strings (with a per-process nonce, so no request text can forge one) and unquoted afterwards.
const NONCE = randomBytes(6).toString('hex');
const MARKER = new RegExp(`"@@${NONCE}:(-?[0-9]+\\.[0-9]+)@@"`, 'g');
const amount = (minor: number, decimals: number): string => `@@${NONCE}:${jsonAmountText(minor, decimals)}@@`;

/** JSON text of a Tap body, amounts as raw numbers. */
export function tapJsonText(body: object): string {
  return JSON.stringify(body).replace(MARKER, '$1');
}

export function sendTapJson(res: Response, status: number, body: object): void {
  res.status(status).type('application/json; charset=utf-8').send(tapJsonText(body));
}

function sourceView(c: TapChargeRecord): object {
  if (c.sourceId.startsWith('auth_')) return { object: 'authorize', id: c.sourceId };
  const object = c.sourceId.startsWith('tok_') ? 'token' : 'source';
  return { object, type: 'CARD_NOT_PRESENT', payment_method: c.card?.brand ?? null, id: c.sourceId };
}

export function chargeView(c: TapChargeRecord, pageTtlMs: number): object {
  const money = amount(c.amountMinor, c.decimals);
  return {
    id: c.id,
    object: c.object,
    live_mode: false,
    api_version: 'V2',
    method: 'POST',
    status: c.status,
    amount: money,
    currency: c.currency,
    threeDSecure: c.threeDSecure,
    // Whether the card went through 3-D Secure (a card-token charge that was sent to the challenge page).
    card_threeDSecure: c.sourceId.startsWith('tok_') && c.transactionUrl !== null,
    save_card: false,
    description: c.description ?? '',
    metadata: c.metadata,
    transaction: {
      authorization_id: c.gatewayReference ? c.gatewayReference.slice(-6) : null,
      timezone: 'UTC+03:00',
      created: String(c.createdAt),
      url: c.transactionUrl,
      expiry: { period: Math.max(1, Math.round(pageTtlMs / 60_000)), type: 'MINUTE' },
      asynchronous: false,
      amount: money,
      currency: c.currency,
    },
    reference: {
      track: c.paymentReference ? `tck_${c.paymentReference.slice(0, 10)}` : null,
      payment: c.paymentReference,
      gateway: c.gatewayReference,
      acquirer: c.gatewayReference,
      transaction: c.reference.transaction,
      order: c.reference.order,
    },
    response: c.response ?? CHARGE_RESPONSE[c.status],
    receipt: { email: false, sms: false },
    customer: { id: null },
    merchant: { id: 'sandbox_merchant' },
    ...(c.card ? { card: c.card } : {}),
    source: sourceView(c),
    redirect: { status: c.status === 'INITIATED' ? 'PENDING' : 'SUCCESS', url: c.redirectUrl },
    post: { status: 'PENDING', url: c.postUrl },
    ...(c.auto ? { auto: c.auto } : {}),
  };
}

export function refundView(r: TapRefundRecord): object {
  return {
    id: r.id,
    object: 'refund',
    api_version: 'V2',
    live_mode: false,
    amount: amount(r.amountMinor, r.decimals),
    currency: r.currency,
    charge_id: r.chargeId,
    created: r.createdAt,
    status: r.status,
    reason: r.reason,
    reference: { gateway: r.gatewayReference, payment: r.paymentReference, merchant: r.merchantReference },
    response: REFUND_RESPONSE[r.status],
    metadata: r.metadata,
    post: { url: r.postUrl },
  };
}
