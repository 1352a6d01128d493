import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { call, createMerchant, createMerchantWith, Merchant, shopperActs } from '../support/client';
import { startStack, Stack } from '../support/stack';
import { pluralAccount } from '../plural/plural.support';

/**
 * Short version of `npm run verify` check 4: fast-check bodies (about 300 per route) for every route that takes a body,
 * plus the inputs that once answered 500 (found by the verify fuzzer, fixed in apps/api/src/common): deep nesting, NUL
 * characters, and a Content-Encoding the body does not match. Every answer is below 500 and every 4xx carries the
 * error envelope.
 */
describe('verify: bad input never answers 5xx and always carries the error envelope', () => {
  let stack: Stack;
  let merchant: Merchant;
  let plural: Merchant;
  let paymentId: string;
  let paidId: string;

  beforeAll(async () => {
    stack = await startStack('verify-fuzz');
    merchant = await createMerchant(stack);
    plural = await createMerchantWith(stack, (id) => pluralAccount(stack, id));
    const open = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 1000, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });
    paymentId = String(open.body.payment_id);
    const paid = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 2000, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });
    paidId = String(paid.body.payment_id);
    await shopperActs((paid.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
  });
  afterAll(() => stack.close());

  const send = async (method: string, path: string, key: string | null, body: string, contentType?: string) => {
    const headers: Record<string, string> = { 'content-type': contentType ?? 'application/json' };
    if (key) headers['api-key'] = key;
    const res = await fetch(`${stack.api}${path}`, { method, headers, body, redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  };
  const wellFormed = (res: { status: number; text: string }): boolean => {
    if (res.status >= 500) return false;
    if (res.status < 400) return true;
    try {
      const e = (JSON.parse(res.text) as { error?: Record<string, unknown> }).error;
      return typeof e?.type === 'string' && typeof e.code === 'string' && typeof e.message === 'string';
    } catch {
      return false;
    }
  };

  const weird = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('', '\u0000', '__proto__', '9'.repeat(400), 'x'.repeat(3000)),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
    fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  );
  const bodies = (valid: Record<string, unknown>) =>
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc
          .array(fc.tuple(fc.constantFrom(...Object.keys(valid), 'surprise'), fc.option(weird, { nil: undefined })), {
            maxLength: 3,
          })
          .map((changes) => {
            const body: Record<string, unknown> = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
            for (const [k, v] of changes) {
              if (v === undefined) delete body[k];
              else body[k] = v;
            }
            return JSON.stringify(body);
          }),
      },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 2, arbitrary: fc.string() },
      { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)) },
    );

  const routes = (): [string, string, 'admin' | 'merchant' | 'none', Record<string, unknown>][] => [
    ['POST', '/accounts', 'admin', { merchant_id: 'fz_m', merchant_name: 'F', return_url: 'https://shop.example/r' }],
    ['POST', `/api_keys/${merchant.merchantId}`, 'admin', { name: 'k', expiration: 'never', mode: 'test' }],
    [
      'POST',
      `/account/${merchant.merchantId}/connectors`,
      'merchant',
      {
        connector_type: 'payment_processor',
        connector_name: 'generic',
        test_mode: true,
        disabled: true,
        connector_account_details: { auth_type: 'BodyKey', api_key: 'c', key1: 'secret_123' },
        metadata: { base_url: 'https://gateway.invalid/pay/api/v1' },
      },
    ],
    [
      'POST',
      `/account/${merchant.merchantId}/connectors/${merchant.connectorId}`,
      'merchant',
      { connector_label: 'x' },
    ],
    [
      'POST',
      '/payments',
      'merchant',
      { amount: 1000, currency: 'USD', return_url: 'https://shop.example/r', metadata: { a: 1 }, customer_id: 'c1' },
    ],
    [
      'POST',
      `/payments/${paymentId}/confirm`,
      'merchant',
      { return_url: 'https://shop.example/r', payment_method: 'card' },
    ],
    ['POST', `/payments/${paidId}/capture`, 'merchant', { amount_to_capture: 100 }],
    ['POST', `/payments/${paymentId}/cancel`, 'merchant', { cancellation_reason: 'x' }],
    ['POST', '/refunds', 'merchant', { payment_id: paidId, amount: 1, reason: 'r' }],
    [
      'POST',
      `/recon/${merchant.merchantId}/runs`,
      'merchant',
      { merchant_connector_id: merchant.connectorId, date: '2026-01-01' },
    ],
    [
      'POST',
      `/webhooks/${plural.merchantId}/${plural.connectorId}`,
      'none',
      { event_type: 'ORDER_PROCESSED', data: { order_id: 'v1-x', status: 'PROCESSED' } },
    ],
    ['POST', `/payments/${paymentId}/${merchant.merchantId}/redirect/response/generic`, 'none', { token: 'x' }],
  ];

  it('answers ~300 generated bodies per route below 500, every 4xx with the envelope', async () => {
    const seed = Date.now() % 2 ** 31;
    const failures: string[] = [];
    for (const [method, path, auth, valid] of routes()) {
      const key = auth === 'admin' ? stack.adminKey : auth === 'merchant' ? merchant.key : null;
      const cases = fc.sample(fc.tuple(bodies(valid), fc.constantFrom('application/json', 'text/plain')), {
        numRuns: 300,
        seed,
      });
      // Sent 12 at a time (a property run is sequential, and 3,600 sequential requests take too long here).
      let next = 0;
      await Promise.all(
        Array.from({ length: 12 }, async () => {
          while (next < cases.length) {
            const [body, type] = cases[next++];
            const res = await send(method, path, key, body, type);
            if (!wellFormed(res) && failures.length < 10) {
              failures.push(
                `${method} ${path} ${type} ${body.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`,
              );
            }
          }
        }),
      );
    }
    expect({ seed, failures }).toEqual({ seed, failures: [] });
  }, 180_000);

  it('refuses deep nesting with 400 IR_06 (it overflowed the stack: 500), with and without an Idempotency-Key', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const deepObject = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
    for (const body of [deep, deepObject]) {
      expect(JSON.parse((await send('POST', '/payments', merchant.key, body)).text)).toMatchObject({
        error: { code: 'IR_06' },
      });
      const keyed = await fetch(`${stack.api}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': merchant.key, 'idempotency-key': 'deep-1' },
        body,
      });
      expect(keyed.status).toBe(400);
    }
    const shallow = JSON.stringify({ amount: 100, currency: 'USD', metadata: { a: { b: { c: 1 } } } });
    expect((await send('POST', '/payments', merchant.key, shallow)).status).toBe(200);
  });

  it('refuses NUL characters in paths, bodies and webhook bodies with a 4xx (Postgres refused them: 500)', async () => {
    const inPath = await call(stack.api, 'GET', `/payments/${paymentId}%00`, { key: merchant.key });
    expect(inPath.status).toBe(400);
    expect(inPath.body.error?.code).toBe('IR_06');
    const inBody = await send(
      'POST',
      '/payments',
      merchant.key,
      '{"amount":100,"currency":"USD","description":"a\\u0000b"}',
    );
    expect(inBody.status).toBe(400);
    const inKey = await send(
      'POST',
      '/payments',
      merchant.key,
      '{"amount":100,"currency":"USD","metadata":{"a\\u0000":1}}',
    );
    expect(inKey.status).toBe(400);
    const webhook = await send('POST', `/webhooks/${plural.merchantId}/${plural.connectorId}`, null, '{"a":"\u0000"}');
    expect(wellFormed(webhook)).toBe(true);
    expect(webhook.status).toBeLessThan(500);
  });

  it.each(['gzip', 'deflate', 'br'])(
    'answers a body that is not %s-encoded as declared with 400 and the envelope (500 before)',
    async (encoding) => {
      const res = await fetch(`${stack.api}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding, 'api-key': merchant.key },
        body: '{"amount":100,"currency":"USD"}',
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(await res.text())).toMatchObject({ error: { type: 'invalid_request', code: 'IR_06' } });
      const real = await fetch(`${stack.api}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'deflate', 'api-key': merchant.key },
        body: deflateSync('{"amount":100,"currency":"USD"}'),
      });
      expect(real.status).toBe(200);
    },
  );
});
