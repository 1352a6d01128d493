import { createHmac } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SandboxContext } from '../sandbox.types';
import type { CardSummary, PaymentRecord, PluralOrder, PluralStore, RefundOrder } from './plural.store';

/** An error Plural answers as `{code, message}` with an HTTP status. */
export class PluralApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string): PluralApiError => new PluralApiError(400, 'INVALID_REQUEST', message);

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ code, message });
}

/** The app's link builder takes the sandbox's own slice of express's Request; this module uses the full express types. */
export function publicLink(ctx: SandboxContext, req: Request, path: string): string {
  return ctx.publicLink(req as unknown as Parameters<SandboxContext['publicLink']>[0], path);
}

const iso = (ms: number): string => new Date(ms).toISOString();
const amount = (value: number, currency: string) => ({ value, currency });

/** A card as the payment shows it (field names inferred): the network and the last four digits only. */
function cardDataView(card: CardSummary): object {
  return {
    card_type: 'CREDIT',
    network_name: card.network,
    last4_digit: card.lastFour,
    expiry_month: card.expiryMonth,
    expiry_year: card.expiryYear,
  };
}

function paymentView(order: PluralOrder, payment: PaymentRecord): object {
  return {
    id: payment.id,
    merchant_payment_reference:
      payment.draft?.merchantPaymentReference ?? `${order.reference}-${order.payments.indexOf(payment) + 1}`,
    status: payment.status,
    payment_amount: amount(payment.value, order.currency),
    payment_method: 'CARD',
    ...(payment.draft ? { payment_option: { card_data: cardDataView(payment.draft.card) } } : {}),
    acquirer_data: {
      approval_code: payment.status === 'FAILED' ? null : payment.rrn.slice(-6),
      acquirer_reference: `ACQ${payment.rrn}`,
      rrn: payment.rrn,
    },
    ...(payment.errorDetail ? { error_detail: { ...payment.errorDetail } } : {}),
    capture_data: payment.captures.map((c) => ({
      merchant_capture_reference: c.reference,
      capture_amount: amount(c.value, order.currency),
      created_at: iso(c.at),
    })),
    created_at: iso(payment.createdAt),
    updated_at: iso(payment.updatedAt),
  };
}

/** The order object of inquiry, capture and cancel answers (inside `data`) and of webhooks. */
export function orderView(store: PluralStore, order: PluralOrder): object {
  return {
    order_id: order.orderId,
    merchant_order_reference: order.reference,
    type: 'CHARGE',
    status: order.status,
    merchant_id: store.getMerchant(order.clientId)?.merchantId ?? null,
    order_amount: amount(order.value, order.currency),
    pre_auth: order.preAuth,
    allowed_payment_methods: order.allowedPaymentMethods ?? ['CARD', 'UPI', 'NETBANKING', 'WALLET'],
    callback_url: order.callbackUrl,
    purchase_details: order.purchaseDetails ?? {},
    integration_mode: order.integrationMode,
    payment_retries_remaining: order.retriesRemaining,
    created_at: iso(order.createdAt),
    updated_at: iso(order.updatedAt),
    payments: order.payments.map((p) => paymentView(order, p)),
  };
}

export function refundView(store: PluralStore, refund: RefundOrder): object {
  return {
    order_id: refund.orderId,
    parent_order_id: refund.parentOrderId,
    merchant_order_reference: refund.reference,
    type: 'REFUND',
    status: refund.status,
    merchant_id: store.getMerchant(refund.clientId)?.merchantId ?? null,
    order_amount: amount(refund.value, refund.currency),
    created_at: iso(refund.createdAt),
    updated_at: iso(refund.updatedAt),
    payments: [],
  };
}

/** The callback form's signature: fields but `signature` sorted by key, `k=v&…`, HMAC-SHA256 with the hex-decoded merchant secret. */
export function signCallback(fields: Record<string, string>, merchantSecretHex: string): string {
  const message = Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return createHmac('sha256', Buffer.from(merchantSecretHex, 'hex'))
    .update(message, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 over `${id}.${timestamp}.${body}`, keyed with the secret's UTF-8 bytes. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}
