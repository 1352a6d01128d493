import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { call, type Merchant } from '../support/client';
import type { Stack } from '../support/stack';

export interface Page {
  status: number;
  html: string;
  headers: Headers;
  /** `sy_checkout=<nonce>` from Set-Cookie, ready for a Cookie header. */
  cookie: string | null;
  csrf: string | null;
}

/** GET a checkout page as a browser would. */
export async function openPage(url: string, headers: Record<string, string> = {}): Promise<Page> {
  const res = await fetch(url, { headers: { accept: 'text/html', ...headers }, redirect: 'manual' });
  const html = await res.text();
  const setCookie = res.headers.get('set-cookie');
  return {
    status: res.status,
    html,
    headers: res.headers,
    cookie: setCookie ? setCookie.split(';')[0] : null,
    csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? null,
  };
}

/** POST the page's form (urlencoded, redirects not followed). */
export async function postForm(
  url: string,
  fields: Record<string, string>,
  options: { cookie?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; location: string | null; html: string }> {
  const headers: Record<string, string> = {
    accept: 'text/html',
    'content-type': 'application/x-www-form-urlencoded',
    ...options.headers,
  };
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

export function createPayment(stack: Stack, merchant: Merchant, body: Record<string, unknown>) {
  return call(stack.api, 'POST', '/payments', {
    key: merchant.key,
    body: { amount: 1000, currency: 'USD', return_url: 'https://shop.example/done', ...body },
  });
}

export function checkoutUrl(stack: Stack, payment: Record<string, unknown>, secret?: string): string {
  const clientSecret = secret ?? String(payment.client_secret);
  return `${stack.api}/checkout/${String(payment.payment_id)}?client_secret=${encodeURIComponent(clientSecret)}`;
}

/** Moves a payment's client secret (and so its link) into the past, as 15 minutes would. */
export async function expireSession(paymentId: string): Promise<void> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    await db.query(
      `UPDATE payment_intents SET client_secret_expires_at = now() - interval '1 second' WHERE payment_id = $1`,
      [paymentId],
    );
  } finally {
    await db.end();
  }
}

/** The return_url query as Hyperswitch signs it: HMAC-SHA512 over the sorted `k=v` pairs. */
export function expectedSignature(url: URL, hashKey: string): string {
  const signed = [...url.searchParams.entries()]
    .filter(([k]) => k !== 'signature' && k !== 'signature_algorithm')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return createHmac('sha512', hashKey).update(signed).digest('hex');
}
