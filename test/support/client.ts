import { randomBytes } from 'node:crypto';
import type { Stack } from './stack';

export interface HttpResult {
  status: number;
  body: Record<string, unknown> & { error?: { type: string; code: string; message: string } };
  headers: Headers;
}

export async function call(
  base: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers['api-key'] = options.key;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: HttpResult['body'] = {};
  try {
    parsed = text ? (JSON.parse(text) as HttpResult['body']) : {};
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export interface Merchant {
  merchantId: string;
  key: string;
  keyId: string;
  hashKey: string;
  publishableKey: string;
  connectorId: string;
}

/** A merchant with a test secret key and a generic connector account on this stack's sandbox. */
export function createMerchant(
  stack: Stack,
  options: { returnUrl?: string; clientId?: string } = {},
): Promise<Merchant> {
  return createMerchantWith(
    stack,
    (merchantId) => ({
      connector_type: 'payment_processor',
      connector_name: 'generic',
      test_mode: true,
      connector_account_details: {
        auth_type: 'BodyKey',
        api_key: options.clientId ?? `client_${merchantId}`,
        key1: 'sandbox_secret_123',
      },
      metadata: { base_url: `${stack.sandbox}/generic/pay/sandbox/api/v1` },
    }),
    options.returnUrl,
  );
}

/** A merchant with a test secret key and the connector account `accountBody` describes. */
export async function createMerchantWith(
  stack: Stack,
  accountBody: (merchantId: string) => Record<string, unknown>,
  returnUrl?: string,
): Promise<Merchant> {
  const merchantId = `m_${randomBytes(6).toString('hex')}`;
  const account = await call(stack.api, 'POST', '/accounts', {
    key: stack.adminKey,
    body: {
      merchant_id: merchantId,
      merchant_name: 'Test shop',
      return_url: returnUrl ?? 'https://shop.example/return',
    },
  });
  if (account.status !== 200) throw new Error(`create merchant: ${JSON.stringify(account.body)}`);
  const key = await call(stack.api, 'POST', `/api_keys/${merchantId}`, {
    key: stack.adminKey,
    body: { name: 'test', expiration: 'never' },
  });
  if (key.status !== 200) throw new Error(`create key: ${JSON.stringify(key.body)}`);
  const connector = await call(stack.api, 'POST', `/account/${merchantId}/connectors`, {
    key: stack.adminKey,
    body: accountBody(merchantId),
  });
  if (connector.status !== 200) throw new Error(`create connector: ${JSON.stringify(connector.body)}`);
  return {
    merchantId,
    key: String(key.body.api_key),
    keyId: String(key.body.key_id),
    hashKey: String(account.body.payment_response_hash_key),
    publishableKey: String(account.body.publishable_key),
    connectorId: String(connector.body.merchant_connector_id),
  };
}

/**
 * Acts as the shopper on the sandbox's hosted page: opens it, presses a button, and follows the 303 back to our return
 * route. Returns where Switchyard finally sends the shopper (the merchant's return_url with the signed query).
 */
export async function shopperActs(
  redirectUrl: string,
  action: 'pay' | 'cancel' | 'fail',
): Promise<{ returnLocation: string | null; gatewayLocation: string }> {
  const page = await fetch(redirectUrl);
  if (page.status !== 200) throw new Error(`hosted page answered ${page.status}`);
  const html = await page.text();
  if (!html.includes(`id="${action}"`)) throw new Error(`hosted page has no ${action} button`);
  const submitted = await fetch(`${redirectUrl}/${action}`, { method: 'POST', redirect: 'manual' });
  const gatewayLocation = submitted.headers.get('location');
  if (submitted.status !== 303 || !gatewayLocation) throw new Error(`pressing ${action} answered ${submitted.status}`);
  const back = await fetch(gatewayLocation, { redirect: 'manual' });
  return { returnLocation: back.headers.get('location'), gatewayLocation };
}

export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}
