import { call, createMerchant, Merchant } from './support/client';
import { startStack, Stack } from './support/stack';

/** Bad input always answers 4xx with the error envelope; never a 5xx, never a stack trace. */
describe('Bad input on the payments API', () => {
  let stack: Stack;
  let merchant: Merchant;
  let liveKey: string;

  beforeAll(async () => {
    stack = await startStack('bad-input');
    merchant = await createMerchant(stack);
    const live = await call(stack.api, 'POST', `/api_keys/${merchant.merchantId}`, {
      key: stack.adminKey,
      body: { name: 'live', expiration: 'never', mode: 'live' },
    });
    liveKey = String(live.body.api_key);
  });
  afterAll(() => stack.close());

  const cases: [string, unknown, number, string][] = [
    ['missing amount', { currency: 'USD' }, 400, 'IR_04'],
    ['missing currency', { amount: 100 }, 400, 'IR_04'],
    ['negative amount', { amount: -5, currency: 'USD' }, 422, 'IR_05'],
    ['zero amount', { amount: 0, currency: 'USD' }, 422, 'IR_05'],
    ['fractional amount', { amount: 10.5, currency: 'USD' }, 422, 'IR_05'],
    ['amount as a string', { amount: '100', currency: 'USD' }, 422, 'IR_05'],
    ['amount beyond a safe integer', { amount: 2 ** 60, currency: 'USD' }, 422, 'IR_05'],
    ['lower-case currency', { amount: 100, currency: 'usd' }, 422, 'IR_05'],
    ['unknown currency', { amount: 100, currency: 'XYZ' }, 400, 'IR_28'],
    ['unknown field', { amount: 100, currency: 'USD', surprise: true }, 400, 'IR_06'],
    ['bad capture_method', { amount: 100, currency: 'USD', capture_method: 'later' }, 422, 'IR_05'],
    ['scheduled capture', { amount: 100, currency: 'USD', capture_method: 'scheduled' }, 501, 'IR_00'],
    ['bad return_url', { amount: 100, currency: 'USD', return_url: 'not a url' }, 422, 'IR_05'],
    ['bad payment_id', { amount: 100, currency: 'USD', payment_id: 'has spaces!' }, 422, 'IR_05'],
    [
      'metadata with too many keys',
      {
        amount: 100,
        currency: 'USD',
        metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
      },
      422,
      'IR_05',
    ],
    ['body is an array', [1, 2], 400, 'IR_06'],
    ['amount_to_capture above amount', { amount: 100, currency: 'USD', amount_to_capture: 200 }, 422, 'IR_05'],
  ];

  it.each(cases)('refuses %s', async (_name, body, status, code) => {
    const res = await call(stack.api, 'POST', '/payments', { key: merchant.key, body });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ type: 'invalid_request', code });
    expect(typeof res.body.error?.message).toBe('string');
  });

  it('refuses malformed JSON with 400 and the envelope', async () => {
    const res = await call(stack.api, 'POST', '/payments', { key: merchant.key, raw: '{"amount": 100, "currency": ' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request', code: 'IR_06' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
  });

  it('refuses an oversized body with 413 and the envelope', async () => {
    const res = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      raw: JSON.stringify({ amount: 1, currency: 'USD', description: 'x'.repeat(200_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('IR_06');
  });

  it('refuses a non-HTTPS return_url in live mode', async () => {
    const res = await call(stack.api, 'POST', '/payments', {
      key: liveKey,
      body: { amount: 100, currency: 'USD', return_url: 'http://shop.example/r' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error?.message).toContain('return_url');
  });

  it('answers unknown routes and methods with the envelope', async () => {
    const unknown = await call(stack.api, 'GET', '/nowhere', { key: merchant.key });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('IR_02');
    const missing = await call(stack.api, 'GET', '/payments/pay_doesnotexist00000000', { key: merchant.key });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'HE_02', message: 'Payment does not exist in our records' });
  });

  it('refuses bad query values on list and retrieve', async () => {
    expect((await call(stack.api, 'GET', '/payments/list?limit=abc', { key: merchant.key })).status).toBe(422);
    expect((await call(stack.api, 'GET', '/payments/list?bogus=1', { key: merchant.key })).status).toBe(400);
    expect((await call(stack.api, 'GET', '/payments/list?created.gte=yesterday', { key: merchant.key })).status).toBe(
      422,
    );
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 100, currency: 'USD' },
    });
    expect(
      (await call(stack.api, 'GET', `/payments/${created.body.payment_id}?force_sync=maybe`, { key: merchant.key }))
        .status,
    ).toBe(422);
  });

  it('refuses bad merchant and connector account input', async () => {
    const noId = await call(stack.api, 'POST', '/accounts', { key: stack.adminKey, body: { merchant_name: 'x' } });
    expect(noId.body.error?.code).toBe('IR_04');
    const dup = await call(stack.api, 'POST', '/accounts', {
      key: stack.adminKey,
      body: { merchant_id: merchant.merchantId },
    });
    expect(dup.body.error?.code).toBe('HE_01');
    const badConnector = await call(stack.api, 'POST', `/account/${merchant.merchantId}/connectors`, {
      key: stack.adminKey,
      body: {
        connector_type: 'payment_processor',
        connector_name: 'nonexistent',
        test_mode: true,
        connector_account_details: { auth_type: 'BodyKey', api_key: 'a', key1: 'b' },
      },
    });
    expect(badConnector.status).toBe(400);
    expect(badConnector.body.error?.code).toBe('IR_07');
    const noSecret = await call(stack.api, 'POST', `/account/${merchant.merchantId}/connectors`, {
      key: stack.adminKey,
      body: {
        connector_type: 'payment_processor',
        connector_name: 'generic',
        test_mode: true,
        connector_account_details: { auth_type: 'BodyKey', api_key: 'a' },
        metadata: { base_url: 'https://x.example' },
      },
    });
    expect(noSecret.body.error?.code).toBe('IR_30');
  });
});
