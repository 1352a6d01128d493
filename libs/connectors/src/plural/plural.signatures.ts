import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Standard Webhooks replay window: a delivery whose timestamp is further than this from now is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
const HEX_KEY = /^(?:[0-9a-fA-F]{2})+$/;

function equalBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * Standard Webhooks as Pine Labs signs them: `v1,` + base64(HMAC-SHA256(secret, `${id}.${timestamp}.${body}`)), the key being
 * the secret's UTF-8 bytes (not a base64 `whsec_` key), several space-separated signatures allowed. The HMAC comes from the
 * maintained `standardwebhooks` package (raw-key format); the window is checked here against the caller's clock, not the
 * package's `Date.now()`, so replay protection follows the engine's Clock.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: Record<string, string>,
  rawBody: Buffer,
  now: Date,
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!secret || !id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;
  const seconds = Number(timestamp);
  if (Math.abs(Math.floor(now.getTime() / 1000) - seconds) > WEBHOOK_TOLERANCE_SECONDS) return false;
  const signer = new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
  const expected = Buffer.from(signer.sign(id, new Date(seconds * 1000), rawBody), 'utf8');
  let valid = false;
  // Every candidate is compared (no early exit), each in constant time.
  for (const candidate of signatures.split(' ')) {
    if (candidate.startsWith('v1,') && equalBytes(Buffer.from(candidate, 'utf8'), expected)) valid = true;
  }
  return valid;
}

/** The string Pine Labs signs on the shopper's return: every field but `signature`, sorted by key, `k=v` joined by `&`. */
export function returnSignatureMessage(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((key) => key !== 'signature')
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
}

/** HMAC-SHA256 keyed with the merchant secret hex-decoded, upper-case hex; null when the key is not hex. */
export function signReturn(fields: Record<string, string>, secretHex: string): string | null {
  if (!HEX_KEY.test(secretHex)) return null;
  return createHmac('sha256', Buffer.from(secretHex, 'hex'))
    .update(returnSignatureMessage(fields), 'utf8')
    .digest('hex')
    .toUpperCase();
}

export function verifyReturnSignature(fields: Record<string, string>, secretHex: string): boolean {
  const given = fields.signature;
  const expected = signReturn(fields, secretHex);
  if (!given || !expected || !/^[0-9a-fA-F]{64}$/.test(given)) return false;
  return equalBytes(Buffer.from(given.toUpperCase(), 'utf8'), Buffer.from(expected, 'utf8'));
}

export function isHexKey(value: string): boolean {
  return HEX_KEY.test(value);
}
