import type { AttemptStatus, ConnectorError, ConnectorPaymentResult, RefundStatus } from '../core/connector.types';
import { connectorError, type UNIFIED } from '../core/unified-codes';
import {
  PLURAL_ORDER_STATUSES,
  PLURAL_REFUND_STATUSES,
  type PluralAmount,
  type PluralErrorBody,
  type PluralOrder,
  type PluralOrderStatus,
  type PluralPayment,
  type PluralRefundStatus,
} from './plural.types';

/** Plural takes integer minor units (paise) of INR only, 100 to 100000000 per order. */
export const PLURAL_CURRENCIES: readonly string[] = ['INR'];
export const PLURAL_MIN_AMOUNT = 100;
export const PLURAL_MAX_AMOUNT = 100_000_000;
/** merchant_order_reference rule (also used for our refund ids and capture references). */
export const PLURAL_REFERENCE = /^[A-Za-z0-9_-]{1,50}$/;

/** `{value, currency}` for an order amount, or null when Plural cannot take it exactly (other currency, out of limits). */
export function toPluralAmount(minor: number, currency: string): PluralAmount | null {
  if (!PLURAL_CURRENCIES.includes(currency) || !Number.isSafeInteger(minor)) return null;
  if (minor < PLURAL_MIN_AMOUNT || minor > PLURAL_MAX_AMOUNT) return null;
  return { value: minor, currency };
}

/** A `{value, currency}` read back from Plural: the value must be a non-negative integer, never a decimal guessed at. */
export function readPluralAmount(raw: unknown): PluralAmount | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { value, currency } = raw as { value?: unknown; currency?: unknown };
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return null;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return null;
  return { value, currency };
}

export function isOrderStatus(value: unknown): value is PluralOrderStatus {
  return typeof value === 'string' && (PLURAL_ORDER_STATUSES as readonly string[]).includes(value);
}

export function isRefundStatus(value: unknown): value is PluralRefundStatus {
  return typeof value === 'string' && (PLURAL_REFUND_STATUSES as readonly string[]).includes(value);
}

/**
 * Exhaustive: a new Plural status fails to compile until it is mapped.
 * CREATED/PENDING: waiting for the shopper on the hosted page when we sent them there; otherwise (the create answer was
 * lost, the shopper never got the link) merely pending. ATTEMPTED: a payment failed but the shopper may retry on the page.
 */
export function mapOrderStatus(status: PluralOrderStatus, shopperSentToPage: boolean): AttemptStatus {
  switch (status) {
    case 'CREATED':
    case 'PENDING':
      return shopperSentToPage ? 'authentication_pending' : 'pending';
    case 'ATTEMPTED':
      return 'authentication_pending';
    case 'AUTHORIZED':
      return 'authorized';
    case 'PROCESSED':
    case 'FULLY_REFUNDED':
    case 'PARTIALLY_REFUNDED':
      return 'charged';
    case 'CANCELLED':
      return 'voided';
    case 'FAILED':
      return 'failure';
  }
}

export function mapRefundStatus(status: PluralRefundStatus): RefundStatus {
  switch (status) {
    case 'CREATED':
    case 'PENDING':
      return 'pending';
    case 'PROCESSED':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
  }
}

function paymentsOf(order: PluralOrder): PluralPayment[] {
  return Array.isArray(order.payments)
    ? order.payments.filter((p): p is PluralPayment => typeof p === 'object' && p !== null)
    : [];
}

/** Sum of `capture_data[].capture_amount` over the order's payments; null when Plural reported no capture. */
export function capturedAmount(order: PluralOrder): number | null {
  let total: number | null = null;
  for (const payment of paymentsOf(order)) {
    if (!Array.isArray(payment.capture_data)) continue;
    for (const capture of payment.capture_data as unknown[]) {
      const amount = readPluralAmount((capture as { capture_amount?: unknown } | null)?.capture_amount);
      if (amount) total = (total ?? 0) + amount.value;
    }
  }
  if (total !== null || order.pre_auth === true) return total;
  // No capture record: an auto-captured order captured what its PROCESSED payments carry (a pre-auth one may have captured
  // less than it authorized, so it is not guessed from the payments).
  const processed = paymentsOf(order).filter((p) => p.status === 'PROCESSED');
  if (!processed.length) return null;
  let sum = 0;
  for (const payment of processed) {
    const amount = readPluralAmount(payment.payment_amount);
    if (!amount) return null;
    sum += amount.value;
  }
  return sum;
}

/** The decline Plural reported on the order's most recent failed payment, else a generic one. */
export function orderFailure(order: PluralOrder): ConnectorError {
  const failed = paymentsOf(order).filter((p) => typeof p.error_detail === 'object' && p.error_detail !== null);
  const detail = failed.length
    ? (failed[failed.length - 1].error_detail as { code?: unknown; message?: unknown })
    : null;
  const code = typeof detail?.code === 'string' && detail.code ? detail.code : 'FAILED';
  const message = typeof detail?.message === 'string' && detail.message ? detail.message : 'Payment failed at Plural';
  return connectorError(code, message, 'declined');
}

/**
 * An order object (inquiry, capture/cancel answer, webhook) as a payment result. `status` overrides the order's own (a
 * webhook's event type); amounts are reported so the engine can compare them with what was asked.
 */
export function orderResult(
  order: PluralOrder,
  status: PluralOrderStatus,
  shopperSentToPage: boolean,
): ConnectorPaymentResult {
  const amount = readPluralAmount(order.order_amount);
  let mapped = mapOrderStatus(status, shopperSentToPage);
  const captured = mapped === 'charged' ? capturedAmount(order) : null;
  if (mapped === 'charged' && captured !== null && amount && captured < amount.value) mapped = 'partial_charged';
  return {
    status: mapped,
    connectorTransactionId: typeof order.order_id === 'string' ? order.order_id : null,
    amount: amount?.value ?? null,
    currency: amount?.currency ?? null,
    amountCaptured: captured,
    error: mapped === 'failure' ? orderFailure(order) : null,
    rawStatus: status,
  };
}

/** Plural's error codes as unified codes; anything unknown in a 4xx is a refusal of the request as sent. */
export function unifiedFor(code: string, httpStatus: number): keyof typeof UNIFIED {
  if (/DECLIN|INSUFFICIENT/.test(code)) return 'declined';
  if (httpStatus === 401 || httpStatus === 403 || /AUTH|TOKEN|UNAUTHORI[SZ]ED|CLIENT/.test(code))
    return 'authentication';
  if (httpStatus === 429) return 'processorError';
  return 'invalidRequest';
}

/** `{code, message}` (or the token endpoint's `{error, error_description}` / `{status, message}`) as our error. */
export function errorFromBody(httpStatus: number, body: unknown): ConnectorError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as PluralErrorBody;
  const code =
    typeof b.code === 'string' && b.code
      ? b.code
      : typeof b.error === 'string' && b.error
        ? b.error
        : `HTTP_${httpStatus}`;
  const message =
    typeof b.message === 'string' && b.message
      ? b.message
      : typeof b.error_description === 'string' && b.error_description
        ? b.error_description
        : `Plural answered HTTP ${httpStatus}`;
  return connectorError(code, message, unifiedFor(code.toUpperCase(), httpStatus));
}

/** Seconds a token lives: `expires_in`, else `expires_at` minus now; null when neither can be read. */
export function tokenLifetimeSeconds(expiresIn: unknown, expiresAt: unknown, nowMs: number): number | null {
  const inSeconds = typeof expiresIn === 'string' && /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  if (typeof inSeconds === 'number' && Number.isFinite(inSeconds) && inSeconds > 0) return Math.floor(inSeconds);
  if (typeof expiresAt === 'string') {
    const at = Date.parse(expiresAt);
    if (Number.isFinite(at)) return Math.max(1, Math.floor((at - nowMs) / 1000));
  }
  return null;
}
