import { hmacHex, isKnownCurrency, safeEqual } from '@switchyard/common';
import type { ParsedWebhook } from '../core/connector.types';
import {
  chargeResult,
  fromTapAmount,
  isChargeStatus,
  isRefundStatus,
  refundResult,
  tapAmountText,
} from './tap.transformers';
import type { TapCharge, TapRefund } from './tap.types';

/** The fields Tap signs, in the order it signs them. */
export interface TapSignedFields {
  id: string;
  /** Exact major-unit decimal text as it appeared in the body (`1.0`, `1.005`, `12`). */
  amount: string;
  currency: string;
  gatewayReference: string;
  paymentReference: string;
  status: string;
  created: string;
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * `JSON.parse`, except that every number keeps its exact source text as a string: `"amount": 1.0` must be formatted from
 * the decimal `1.0`, never from the float 1. Returns undefined for a body that is not JSON.
 */
export function parseJsonExact(text: string): unknown {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)?.[0] ?? ch;
      out += `"${token}"`;
      i += token.length - 1;
      continue;
    }
    out += ch;
  }
  return JSON.parse(out) as unknown;
}

export function hashstringMessage(f: TapSignedFields): string {
  return (
    `x_id${f.id}x_amount${f.amount}x_currency${f.currency}x_gateway_reference${f.gatewayReference}` +
    `x_payment_reference${f.paymentReference}x_status${f.status}x_created${f.created}`
  );
}

export function hashstring(secretKey: string, fields: TapSignedFields): string {
  return hmacHex('sha256', secretKey, hashstringMessage(fields));
}

type TapObject = ({ kind: 'charge' } & TapCharge) | ({ kind: 'refund' } & TapRefund);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The posted object, numbers kept as their source text; null when it is not a charge, authorization or refund. */
function readObject(rawBody: Buffer): TapObject | null {
  const body = parseJsonExact(rawBody.toString('utf8'));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const obj = body as Record<string, unknown>;
  if (typeof obj.id !== 'string' || typeof obj.status !== 'string' || typeof obj.currency !== 'string') return null;
  if (obj.object === 'refund' || obj.id.startsWith('re_')) return { kind: 'refund', ...(obj as unknown as TapRefund) };
  if (/^(chg|auth)_/.test(obj.id)) return { kind: 'charge', ...(obj as unknown as TapCharge) };
  return null;
}

/** What Tap signed for this object; the amount is re-formatted with the currency's decimals from the exact decimal. */
function signedFields(obj: TapObject): TapSignedFields | null {
  const currency = obj.currency.toUpperCase();
  if (!isKnownCurrency(currency)) return null;
  const minor = fromTapAmount(obj.amount, currency);
  if (minor === null) return null;
  return {
    id: obj.id,
    amount: tapAmountText(minor, currency),
    currency: obj.currency,
    gatewayReference: text(obj.reference?.gateway),
    paymentReference: text(obj.reference?.payment),
    status: obj.status,
    created: text(obj.kind === 'refund' ? obj.created : obj.transaction?.created),
  };
}

/** `hashstring` header = hex HMAC-SHA256 (key: the secret API key) over the signed fields; constant-time compare. */
export function verifyTapWebhook(secretKey: string, headers: Record<string, string>, rawBody: Buffer): boolean {
  const received = (headers.hashstring ?? '').trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(received) || !secretKey) return false;
  const obj = readObject(rawBody);
  const fields = obj && signedFields(obj);
  if (!fields) return false;
  return safeEqual(hashstring(secretKey, fields), received);
}

/**
 * Reads a verified delivery. Only signed fields decide: the event is matched by Tap's own id (signed), never by
 * `reference.transaction` / `reference.merchant`, which the hashstring does not cover and a replayed delivery could
 * point at another payment. Capture charges (`source.id = auth_…`) are left to the capture answer and the inquiry,
 * which know the authorized amount (full vs partial capture).
 */
export function parseTapWebhook(rawBody: Buffer): ParsedWebhook | null {
  const obj = readObject(rawBody);
  if (!obj) return null;
  const eventId = `${obj.id}:${obj.status}`;
  if (obj.kind === 'refund') {
    if (!isRefundStatus(obj.status)) return { kind: 'ignored', eventId, reason: `unknown refund status ${obj.status}` };
    const result = refundResult({ ...obj, status: obj.status });
    return { kind: 'refund', eventId, refundReference: null, connectorRefundId: obj.id, result };
  }
  if (!isChargeStatus(obj.status)) return { kind: 'ignored', eventId, reason: `unknown charge status ${obj.status}` };
  // An authorization reading CAPTURED does not say how much was captured: the capture charge decides.
  if (obj.source?.id?.startsWith('auth_') || (obj.id.startsWith('auth_') && obj.status === 'CAPTURED')) {
    return { kind: 'ignored', eventId, reason: 'capture charge: settled by the capture answer or the inquiry' };
  }
  const result = chargeResult({ ...obj, status: obj.status });
  return { kind: 'payment', eventId, attemptReference: null, connectorTransactionId: obj.id, result };
}
