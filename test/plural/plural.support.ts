import { createHmac, randomBytes } from 'node:crypto';
import type { Merchant } from '../support/client';
import { formsOf, postForm, type HtmlForm } from '../support/html-forms';
import type { Stack } from '../support/stack';

/** Test-side Plural helpers: the shopper on the sandbox's hosted page, and Standard Webhooks deliveries built with node:crypto. */

export const PLURAL_CLIENT_SECRET = 'plural_client_secret_0001';
export const PLURAL_MERCHANT_SECRET_HEX = 'A1B2C3D4E5F60718A1B2C3D4E5F60718';

export const pluralClientId = (merchantId: string): string => `client_${merchantId}`;

/** Body of POST /account/{merchant_id}/connectors for a test-mode Plural account on the stack's sandbox. */
export function pluralAccount(stack: Stack, merchantId: string): Record<string, unknown> {
  return {
    connector_type: 'payment_processor',
    connector_name: 'plural',
    test_mode: true,
    connector_account_details: {
      auth_type: 'SignatureKey',
      api_key: pluralClientId(merchantId),
      key1: PLURAL_CLIENT_SECRET,
      api_secret: PLURAL_MERCHANT_SECRET_HEX,
    },
    metadata: { base_url: `${stack.sandbox}/plural` },
  };
}

/** What the merchant sets in the Pine Labs dashboard: the webhook URL (and the secrets the sandbox signs with). */
export async function registerPluralMerchant(stack: Stack, merchant: Merchant): Promise<void> {
  const res = await fetch(`${stack.sandbox}/__sandbox/plural/merchants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: pluralClientId(merchant.merchantId),
      client_secret: PLURAL_CLIENT_SECRET,
      merchant_secret_hex: PLURAL_MERCHANT_SECRET_HEX,
      webhook_url: `${stack.api}/webhooks/${merchant.merchantId}/${merchant.connectorId}`,
    }),
  });
  if (res.status !== 200) throw new Error(`register Plural merchant: ${res.status} ${await res.text()}`);
}

/**
 * Opens the hosted page and presses a button. Returns the callback form the page answers with (what the browser would
 * auto-submit to callback_url), or null when the shopper stays on the page (a failed try they may retry).
 */
export async function pressButton(redirectUrl: string, action: 'pay' | 'fail'): Promise<HtmlForm | null> {
  const page = await fetch(redirectUrl);
  if (page.status !== 200) throw new Error(`hosted page answered ${page.status}`);
  const button = formsOf(await page.text(), redirectUrl).find((f) => f.html.includes(`id="${action}"`));
  if (!button) throw new Error(`hosted page has no ${action} button`);
  const answer = await postForm(button);
  const html = await answer.text();
  if (answer.status !== 200) throw new Error(`pressing ${action} answered ${answer.status}`);
  return formsOf(html, redirectUrl).find((f) => f.html.includes('id="continue"')) ?? null;
}

/** The shopper pays or fails, and the browser posts the callback form to our return route. Returns our 303 Location. */
export async function pluralShopper(
  redirectUrl: string,
  action: 'pay' | 'fail',
): Promise<{ returnLocation: string | null; callback: HtmlForm | null }> {
  const callback = await pressButton(redirectUrl, action);
  if (!callback) return { returnLocation: null, callback };
  const back = await postForm(callback);
  return { returnLocation: back.headers.get('location'), callback };
}

/** Our return route, posted the way Pine Labs' page posts it. */
export function postToReturn(stack: Stack, merchantId: string, paymentId: string, fields: Record<string, string>) {
  return postForm({ action: `${stack.api}/payments/${paymentId}/${merchantId}/redirect/response/plural`, fields });
}

export interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/** A Standard Webhooks delivery signed the way plural.md says, independently of both the adapter and the sandbox. */
export function signedDelivery(
  secret: string,
  body: string,
  options: { id?: string; timestamp?: number } = {},
): Delivery {
  const id = options.id ?? `msg_${randomBytes(12).toString('hex')}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
  return {
    headers: { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` },
    body,
  };
}

/** An ORDER_PROCESSED event for a payment attempt, as Pine Labs would send it. */
export function orderProcessedBody(payment: {
  amount: number;
  currency: string;
  connector_transaction_id: string | null;
  attempt_id: string;
}): string {
  return JSON.stringify({
    event_type: 'ORDER_PROCESSED',
    data: {
      order_id: payment.connector_transaction_id,
      merchant_order_reference: payment.attempt_id,
      type: 'CHARGE',
      status: 'PROCESSED',
      order_amount: { value: payment.amount, currency: payment.currency },
    },
  });
}
