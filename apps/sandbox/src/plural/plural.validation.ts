import { invalid, PluralApiError } from './plural.wire';
import type { NewOrder } from './plural.store';

export const REFERENCE_PATTERN = /^[A-Za-z0-9_-]{1,50}$/;
export const MIN_ORDER_VALUE = 100;
export const MAX_ORDER_VALUE = 100_000_000;
export const MIN_REFUND_VALUE = 100;
const INTEGRATION_MODES = ['REDIRECT', 'IFRAME', 'SDK'];
const PAYMENT_METHODS = ['CARD', 'UPI', 'POINTS', 'NETBANKING', 'WALLET', 'CREDIT_EMI', 'DEBIT_EMI', 'BNPL'];
/** http is tolerated only towards the developer's own machine: this is a local sandbox. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface TokenRequest {
  clientId: string;
  clientSecret: string;
}

/** Request bodies that are not JSON objects are treated as empty: the first required field is then reported missing. */
function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function parseTokenRequest(body: unknown): TokenRequest {
  const { client_id: clientId, client_secret: clientSecret, grant_type: grantType } = fieldsOf(body);
  if (!nonEmpty(clientId)) throw invalid('client_id is required');
  if (!nonEmpty(clientSecret)) throw invalid('client_secret is required');
  if (grantType !== 'client_credentials') throw invalid('grant_type must be client_credentials');
  return { clientId, clientSecret };
}

export function checkReference(field: string, value: unknown): string {
  if (!nonEmpty(value)) throw invalid(`${field} is required`);
  if (!REFERENCE_PATTERN.test(value)) throw invalid(`${field} must be 1 to 50 characters of A-Z, a-z, 0-9, _ and -`);
  return value;
}

/** `{value, currency}` in paise of INR; bounds are checked by the caller (orders and refunds differ). */
export function checkAmount(field: string, raw: unknown): { value: number; currency: string } {
  const { value, currency } = fieldsOf(raw);
  if (raw === undefined || raw === null) throw invalid(`${field} is required`);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(`${field}.value must be a positive integer amount in paise`);
  }
  if (currency !== 'INR') throw invalid(`${field}.currency must be INR`);
  return { value, currency };
}

function checkCallbackUrl(value: unknown): string {
  if (!nonEmpty(value)) throw invalid('callback_url is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('callback_url must be a valid URL');
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) return value;
  throw invalid('callback_url must be an https URL (http only for localhost)');
}

/** Hosted checkout orders and seamless ones (`POST /api/pay/v1/orders`) take the same body. */
export function parseCreateOrder(clientId: string, body: unknown, seamless = false): NewOrder {
  const fields = fieldsOf(body);
  const reference = checkReference('merchant_order_reference', fields.merchant_order_reference);
  const { value, currency } = checkAmount('order_amount', fields.order_amount);
  if (value < MIN_ORDER_VALUE || value > MAX_ORDER_VALUE) {
    throw invalid(`order_amount.value must be between ${MIN_ORDER_VALUE} and ${MAX_ORDER_VALUE} paise`);
  }
  if (fields.pre_auth !== undefined && typeof fields.pre_auth !== 'boolean')
    throw invalid('pre_auth must be a boolean');
  const mode = fields.integration_mode ?? 'REDIRECT';
  if (typeof mode !== 'string' || !INTEGRATION_MODES.includes(mode)) {
    throw invalid(`integration_mode must be one of ${INTEGRATION_MODES.join(', ')}`);
  }
  const methods = fields.allowed_payment_methods;
  if (
    methods !== undefined &&
    (!Array.isArray(methods) || methods.some((m) => typeof m !== 'string' || !PAYMENT_METHODS.includes(m)))
  ) {
    throw invalid(`allowed_payment_methods must be a list of ${PAYMENT_METHODS.join(', ')}`);
  }
  const details = fields.purchase_details;
  if (details !== undefined && (typeof details !== 'object' || details === null || Array.isArray(details))) {
    throw invalid('purchase_details must be an object');
  }
  return {
    clientId,
    reference,
    value,
    currency,
    preAuth: fields.pre_auth === true,
    callbackUrl: checkCallbackUrl(fields.callback_url),
    integrationMode: mode,
    allowedPaymentMethods: (methods as string[] | undefined) ?? null,
    purchaseDetails: (details as object | undefined) ?? null,
    seamless,
  };
}

export function parseCapture(body: unknown): { reference: string; value: number; currency: string } {
  const fields = fieldsOf(body);
  const reference = checkReference('merchant_capture_reference', fields.merchant_capture_reference);
  return { reference, ...checkAmount('capture_amount', fields.capture_amount) };
}

/** One official plugin sends `refund_amount` instead of `order_amount`: both are accepted. */
export function parseRefund(body: unknown): { reference: string; value: number; currency: string } {
  const fields = fieldsOf(body);
  const reference = checkReference('merchant_order_reference', fields.merchant_order_reference);
  const field =
    fields.order_amount === undefined && fields.refund_amount !== undefined ? 'refund_amount' : 'order_amount';
  const amount = checkAmount(field, fields[field]);
  if (amount.value < MIN_REFUND_VALUE) throw invalid(`${field}.value must be at least ${MIN_REFUND_VALUE} paise`);
  return { reference, ...amount };
}

/** Plural wants its tracing headers on every call. */
export function checkTracingHeaders(requestId: string | undefined, timestamp: string | undefined): void {
  if (!requestId) throw invalid('Request-ID header is required');
  if (!timestamp || !Number.isFinite(Date.parse(timestamp))) {
    throw invalid('Request-Timestamp header is required (ISO-8601 UTC)');
  }
}

/**
 * The sandbox's credentials rule for a client_id nobody registered: any client_id not starting with "invalid", any
 * client_secret of at least 8 characters not starting with "invalid" (the first such request provisions the merchant).
 * A registered client_id needs exactly its registered client_secret.
 */
export function credentialsRefusal(request: TokenRequest, registeredSecret: string | undefined): PluralApiError | null {
  const refused = new PluralApiError(401, 'invalid_client', 'Client authentication failed');
  if (registeredSecret !== undefined) return registeredSecret === request.clientSecret ? null : refused;
  if (request.clientId.startsWith('invalid') || request.clientId.length > 255) return refused;
  if (request.clientSecret.length < 8 || request.clientSecret.startsWith('invalid')) return refused;
  return null;
}
