import { currencyDecimals, majorNumberToMinor } from './tap.amounts';
import { TAP_ERRORS } from './tap.errors';
import type { TapObjectKind } from './tap.records';

export interface TapCreateInput {
  amountMinor: number;
  currency: string;
  decimals: number;
  description: string | null;
  metadata: Record<string, unknown>;
  reference: { transaction: string | null; order: string | null; idempotent: string | null };
  sourceId: string;
  redirectUrl: string | null;
  postUrl: string | null;
  auto: { type: string; time: number } | null;
  threeDSecure: boolean;
}

export interface TapRefundInput {
  chargeId: string;
  amountMinor: number;
  currency: string;
  decimals: number;
  reason: string;
  merchantReference: string | null;
  metadata: Record<string, unknown>;
  postUrl: string | null;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (body: Json, key: string): Json => (isObject(body[key]) ? body[key] : {});

function optionalText(value: unknown, field: string, max = 255): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > max) throw TAP_ERRORS.invalidRequest(`Invalid ${field}`);
  return value;
}

function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : null;
  } catch {
    return null;
  }
}

function currencyOf(body: Json): { currency: string; decimals: number } {
  if (body.currency === undefined || body.currency === null || body.currency === '') throw TAP_ERRORS.currencyMissing();
  const currency = typeof body.currency === 'string' ? body.currency.toUpperCase() : '';
  const decimals = currencyDecimals(currency);
  if (decimals === undefined) throw TAP_ERRORS.invalidCurrency();
  return { currency, decimals };
}

function amountOf(body: Json, decimals: number): number {
  const minor = majorNumberToMinor(body.amount, decimals);
  if (minor === null) throw TAP_ERRORS.invalidAmount();
  return minor;
}

function postUrlOf(body: Json): string | null {
  const post = objectAt(body, 'post');
  if (post.url === undefined || post.url === null || post.url === '') return null;
  const url = httpUrl(post.url);
  if (!url) throw TAP_ERRORS.invalidRequest('Invalid post URL');
  return url;
}

/**
 * `POST /v2/charges` and `POST /v2/authorize`. Hosted sources (`src_…`) need `redirect.url`; card tokens (`tok_…`) need it
 * only for a 3-D Secure challenge (checked once the token is known); a charge may also take an authorization (`auth_…`)
 * as its source, which is a capture.
 */
export function parseCreate(raw: unknown, object: TapObjectKind): TapCreateInput {
  const body = isObject(raw) ? raw : {};
  const { currency, decimals } = currencyOf(body);
  const amountMinor = amountOf(body, decimals);
  const source = objectAt(body, 'source');
  if (source.id === undefined || source.id === null || source.id === '') throw TAP_ERRORS.sourceMissing();
  const sourceId = typeof source.id === 'string' ? source.id : '';
  const hosted = /^src_[a-z0-9_.]+$/.test(sourceId);
  const capture = object === 'charge' && /^auth_[A-Za-z0-9]+$/.test(sourceId);
  const token = /^tok_[A-Za-z0-9]+$/.test(sourceId);
  if (!hosted && !capture && !token) throw TAP_ERRORS.invalidSource();
  // Tap's default is true; the engine sends true on creates and false on captures.
  if (body.threeDSecure !== undefined && typeof body.threeDSecure !== 'boolean') {
    throw TAP_ERRORS.invalidRequest('Invalid threeDSecure');
  }
  const redirect = objectAt(body, 'redirect');
  const redirectUrl = httpUrl(redirect.url);
  if (hosted && !redirectUrl) throw TAP_ERRORS.redirectUrlMissing();
  const reference = objectAt(body, 'reference');
  return {
    amountMinor,
    currency,
    decimals,
    description: optionalText(body.description, 'description', 1000),
    metadata: isObject(body.metadata) ? body.metadata : {},
    reference: {
      transaction: optionalText(reference.transaction, 'reference.transaction'),
      order: optionalText(reference.order, 'reference.order'),
      idempotent: optionalText(reference.idempotent, 'reference.idempotent'),
    },
    sourceId,
    redirectUrl,
    postUrl: postUrlOf(body),
    auto: object === 'authorize' ? autoOf(body) : null,
    threeDSecure: body.threeDSecure !== false,
  };
}

function autoOf(body: Json): { type: string; time: number } | null {
  if (body.auto === undefined || body.auto === null) return null;
  const auto = isObject(body.auto) ? body.auto : {};
  const type = auto.type;
  const time = auto.time;
  if (
    (type !== 'VOID' && type !== 'AUTO') ||
    typeof time !== 'number' ||
    !Number.isInteger(time) ||
    time < 1 ||
    time > 168
  ) {
    throw TAP_ERRORS.invalidRequest('Invalid auto: type VOID or AUTO, time 1 to 168 hours');
  }
  return { type, time };
}

/** `POST /v2/refunds`: amount in the charge's currency, and a reason (Tap refuses a refund without one: 1156). */
export function parseRefund(raw: unknown): TapRefundInput {
  const body = isObject(raw) ? raw : {};
  const chargeId = typeof body.charge_id === 'string' ? body.charge_id : '';
  if (!chargeId) throw TAP_ERRORS.chargeNotFound();
  const { currency, decimals } = currencyOf(body);
  const amountMinor = amountOf(body, decimals);
  if (typeof body.reason !== 'string' || body.reason.trim() === '') throw TAP_ERRORS.refundReasonMissing();
  return {
    chargeId,
    amountMinor,
    currency,
    decimals,
    reason: body.reason.slice(0, 255),
    merchantReference: optionalText(objectAt(body, 'reference').merchant, 'reference.merchant'),
    metadata: isObject(body.metadata) ? body.metadata : {},
    postUrl: postUrlOf(body),
  };
}
