import { GenericApiError } from './generic.envelope';

/** The gateway's amount: a decimal string with exactly two places, whatever the currency's exponent (even XAF). */
const AMOUNT_PATTERN = /^\d{1,12}\.\d{2}$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** http is tolerated only towards the developer's own machine: this is a local sandbox. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_URL_LENGTH = 2048;
const MAX_TEXT_LENGTH = 255;

export interface TokenRequest {
  clientId: string;
  secretId: string;
}

export interface CreatePaymentRequest {
  amount: string;
  currency: string;
  returnUrl: string;
  cancelUrl: string | null;
  custom: string | null;
}

export interface RefundRequest {
  token: string;
  amount: string;
  reference: string | null;
}

/** Request bodies that are not JSON objects are treated as empty: every required field is then reported missing. */
function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

const isBlank = (value: unknown): boolean => value === undefined || value === null || value === '';
const required = (field: string): string => `The ${field} field is required.`;

/** Amount in cents; the pattern caps it at 12 integer digits, well inside the exact range of a double. */
export function amountToCents(amount: string): number {
  const [units, cents] = amount.split('.');
  return Number(units) * 100 + Number(cents);
}

function checkAmount(value: unknown, errors: string[]): string | undefined {
  if (isBlank(value)) errors.push(required('amount'));
  else if (typeof value !== 'string' || !AMOUNT_PATTERN.test(value)) {
    errors.push('The amount field must be a string with exactly two decimals, like "5000.00".');
  } else if (amountToCents(value) === 0) errors.push('The amount field must be greater than 0.');
  else return value;
  return undefined;
}

function checkUrl(field: string, value: unknown, errors: string[]): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) {
    errors.push(`The ${field} field must be a valid URL.`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    errors.push(`The ${field} field must be a valid URL.`);
    return undefined;
  }
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!allowed) errors.push(`The ${field} field must be an https URL (http only for localhost).`);
  return allowed ? value : undefined;
}

function checkOptionalText(field: string, value: unknown, errors: string[]): string | null {
  if (isBlank(value)) return null;
  if (typeof value === 'string' && value.length <= MAX_TEXT_LENGTH) return value;
  errors.push(`The ${field} field must be a string of at most ${MAX_TEXT_LENGTH} characters.`);
  return null;
}

function failIfAny(errors: string[]): void {
  if (errors.length > 0) throw new GenericApiError(400, errors);
}

export function parseTokenRequest(body: unknown): TokenRequest {
  const { client_id: clientId, secret_id: secretId } = fieldsOf(body);
  const errors: string[] = [];
  if (isBlank(clientId)) errors.push(required('client_id'));
  else if (typeof clientId !== 'string') errors.push('Invalid client ID');
  if (isBlank(secretId)) errors.push(required('secret_id'));
  else if (typeof secretId !== 'string') errors.push('Invalid secret ID');
  failIfAny(errors);
  return { clientId: clientId as string, secretId: secretId as string };
}

/**
 * The sandbox's credentials rule: any client_id that is not blank and does not start with "invalid", with any secret_id of at
 * least 8 characters that does not start with "invalid". Returns the refusal message, or null when accepted.
 */
export function credentialsRefusal({ clientId, secretId }: TokenRequest): string | null {
  if (clientId.trim() === '' || clientId.length > MAX_TEXT_LENGTH || clientId.startsWith('invalid')) {
    return 'Invalid client ID';
  }
  if (secretId.length < 8 || secretId.startsWith('invalid')) return 'Invalid secret ID';
  return null;
}

export function parseCreatePayment(body: unknown): CreatePaymentRequest {
  const fields = fieldsOf(body);
  const errors: string[] = [];
  const amount = checkAmount(fields.amount, errors);
  if (isBlank(fields.currency)) errors.push(required('currency'));
  else if (typeof fields.currency !== 'string' || !CURRENCY_PATTERN.test(fields.currency)) {
    errors.push('The currency field must be a 3-letter upper-case ISO 4217 code.');
  }
  let returnUrl: string | undefined;
  if (isBlank(fields.return_url)) errors.push(required('return_url'));
  else returnUrl = checkUrl('return_url', fields.return_url, errors);
  const cancelUrl = isBlank(fields.cancel_url) ? null : (checkUrl('cancel_url', fields.cancel_url, errors) ?? null);
  const custom = checkOptionalText('custom', fields.custom, errors);
  failIfAny(errors);
  return {
    amount: amount as string,
    currency: fields.currency as string,
    returnUrl: returnUrl as string,
    cancelUrl,
    custom,
  };
}

export function parseRefund(body: unknown): RefundRequest {
  const fields = fieldsOf(body);
  const errors: string[] = [];
  if (isBlank(fields.token)) errors.push(required('token'));
  else if (typeof fields.token !== 'string') errors.push('The token field must be a string.');
  const amount = checkAmount(fields.amount, errors);
  const reference = checkOptionalText('reference', fields.reference, errors);
  failIfAny(errors);
  return { token: fields.token as string, amount: amount as string, reference };
}
