// The processors' signature schemes, written from their wire formats (shared/connectors/*.md) with node:crypto only:
// they share nothing with libs/connectors or the sandbox, so a mistake on either side is caught, not mirrored.

import { createHmac, randomBytes } from 'node:crypto';

/** Plural webhooks (Standard Webhooks): `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, UTF-8 secret. */
export function pluralWebhook(secret, body, { id, timestamp } = {}) {
  const webhookId = id ?? `msg_${randomBytes(12).toString('hex')}`;
  const ts = timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${webhookId}.${ts}.${body}`)
    .digest('base64');
  return {
    headers: { 'webhook-id': webhookId, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${signature}` },
    body,
  };
}

/** Plural's callback (return) signature: upper-case hex HMAC-SHA256 of the sorted `k=v&k=v` fields, hex-decoded key. */
export function pluralReturnSignature(fields, merchantSecretHex) {
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

const TAP_DECIMALS = { KWD: 3, BHD: 3, OMR: 3, JOD: 3 };

/** Tap's `hashstring`: lower-case hex HMAC-SHA256 (secret key) over x_id…x_created…, amount with the currency's decimals. */
export function tapHashstring(secretKey, charge) {
  const decimals = TAP_DECIMALS[charge.currency] ?? 2;
  const amount = Number(charge.amount).toFixed(decimals);
  const message =
    `x_id${charge.id}x_amount${amount}x_currency${charge.currency}` +
    `x_gateway_reference${charge.reference?.gateway ?? ''}x_payment_reference${charge.reference?.payment ?? ''}` +
    `x_status${charge.status}x_created${charge.transaction?.created ?? ''}`;
  return createHmac('sha256', secretKey).update(message, 'utf8').digest('hex');
}
