/**
 * Secrets never reach the logs: every structured value that is logged passes through `redactSecrets`, and URLs through
 * `redactUrl`. Key-based, because connector bodies have no fixed shape that pino's path redaction could list.
 */
const SECRET_KEY =
  /(secret|password|passwd|access_token|refresh_token|id_token|api[-_]?key|authorization|card_number|card_cvc|^cvc$|^cvv$|^number$|key1|key2|private_key|hash_key|signature|credential|cookie|hashstring)/i;

export const REDACTED = '[REDACTED]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSecretKey(key) ? REDACTED : redactSecrets(inner, depth + 1);
  }
  return out;
}

/** Keeps the path, drops the values of secret-looking query parameters (client_secret, token, signature…). */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return redactLinkIds(url);
  const params = new URLSearchParams(url.slice(queryStart + 1));
  const kept: string[] = [];
  for (const [key, value] of params) {
    const secret = isSecretKey(key) || /token|tap_id/i.test(key);
    kept.push(`${encodeURIComponent(key)}=${secret ? REDACTED : encodeURIComponent(value)}`);
  }
  return `${redactLinkIds(url.slice(0, queryStart))}?${kept.join('&')}`;
}

/** A payment link id is the credential of its public checkout page (`/payment_link/{merchant_id}/plink_…`). */
function redactLinkIds(path: string): string {
  return path.replace(/plink_[A-Za-z0-9]+/g, `plink_${REDACTED}`);
}
