import { createHmac } from 'node:crypto';
import type { Stack } from '../support/stack';

/**
 * Test helpers for Tap through the engine, written from Tap's wire format (node:crypto, own amount text): they share
 * nothing with libs/connectors/src/tap, so a mistake there is caught here instead of mirrored.
 */
export const tapKeyFor = (merchantId: string): string => `sk_test_sy_${merchantId}`;

/** Body of POST /account/{merchant_id}/connectors for a test-mode Tap account on this stack's sandbox. */
export function tapAccount(stack: Stack, merchantId: string): Record<string, unknown> {
  return {
    connector_type: 'payment_processor',
    connector_name: 'tap',
    test_mode: true,
    connector_account_details: { auth_type: 'HeaderKey', api_key: tapKeyFor(merchantId) },
    metadata: { base_url: `${stack.sandbox}/tap` },
  };
}

const DECIMALS: Readonly<Record<string, number>> = { KWD: 3, BHD: 3, OMR: 3, JOD: 3 };
const decimalsOf = (currency: string): number => DECIMALS[currency] ?? 2;

/** Minor units → the amount with the currency's places, as the hashstring wants it (2000 KWD → "2.000"). */
export function fixedAmount(minor: number, currency: string): string {
  const d = decimalsOf(currency);
  const digits = String(minor).padStart(d + 1, '0');
  return `${digits.slice(0, -d)}.${digits.slice(-d)}`;
}

/** How Tap writes the amount in a body: a JSON number with one decimal at least (2000 KWD → `2.0`). */
export function bodyAmount(minor: number, currency: string): string {
  return fixedAmount(minor, currency).replace(/0+$/, '').replace(/\.$/, '.0');
}

export interface TapDelivery {
  headers: Record<string, string>;
  body: string;
}

/** A charge delivery exactly as Tap would post it: raw JSON (amount as Tap writes it) and its `hashstring`. */
export function chargeDelivery(
  key: string,
  charge: { id: string; minor: number; currency: string; status: string; attemptId?: string },
): TapDelivery {
  const created = String(Date.now());
  const [gateway, payment] = ['802341763120', '102341763120000001'];
  const body =
    `{"id":"${charge.id}","object":"charge","live_mode":false,"status":"${charge.status}",` +
    `"amount":${bodyAmount(charge.minor, charge.currency)},"currency":"${charge.currency}",` +
    `"reference":{"gateway":"${gateway}","payment":"${payment}","transaction":"${charge.attemptId ?? ''}"},` +
    `"response":{"code":"000","message":"Captured"},"transaction":{"created":"${created}"}}`;
  const message =
    `x_id${charge.id}x_amount${fixedAmount(charge.minor, charge.currency)}x_currency${charge.currency}` +
    `x_gateway_reference${gateway}x_payment_reference${payment}x_status${charge.status}x_created${created}`;
  const hashstring = createHmac('sha256', key).update(message).digest('hex');
  return { headers: { hashstring }, body };
}

/**
 * Acts as the shopper on Tap's hosted page (`transaction.url`): opens it, submits the form of the button, follows Tap's
 * 303 to `redirect.url?tap_id=…` (our return route), and returns where Switchyard then sends the shopper.
 */
export async function tapShopper(
  transactionUrl: string,
  action: 'pay' | 'fail' | 'cancel',
  options: { followReturn?: boolean } = {},
): Promise<{ returnLocation: string | null; tapLocation: string }> {
  const page = await fetch(transactionUrl);
  if (page.status !== 200) throw new Error(`Tap hosted page answered ${page.status}`);
  const html = await page.text();
  const form = new RegExp(`<form method="post" action="([^"]+)"><button type="submit" id="${action}"`).exec(html);
  if (!form) throw new Error(`Tap hosted page has no ${action} button`);
  const submitted = await fetch(new URL(form[1].replace(/&amp;/g, '&'), transactionUrl), {
    method: 'POST',
    redirect: 'manual',
  });
  const tapLocation = submitted.headers.get('location');
  if (submitted.status !== 303 || !tapLocation) throw new Error(`pressing ${action} answered ${submitted.status}`);
  if (options.followReturn === false) return { returnLocation: null, tapLocation };
  const back = await fetch(tapLocation, { redirect: 'manual' });
  return { returnLocation: back.headers.get('location'), tapLocation };
}
