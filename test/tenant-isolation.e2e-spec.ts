import { call, createMerchant, Merchant } from './support/client';
import { startStack, Stack } from './support/stack';

describe('Tenant isolation and key handling', () => {
  let stack: Stack;
  let a: Merchant;
  let b: Merchant;
  let paymentOfA: string;
  let refundOfA: string;

  beforeAll(async () => {
    stack = await startStack('tenant-isolation');
    a = await createMerchant(stack);
    b = await createMerchant(stack);
    const created = await call(stack.api, 'POST', '/payments', { key: a.key, body: { amount: 100, currency: 'USD' } });
    paymentOfA = String(created.body.payment_id);
    refundOfA = 'ref_does_not_matter';
  });
  afterAll(() => stack.close());

  it.each([
    ['GET', () => `/payments/${paymentOfA}`],
    ['POST', () => `/payments/${paymentOfA}/confirm`],
    ['POST', () => `/payments/${paymentOfA}/cancel`],
    ['POST', () => `/payments/${paymentOfA}/capture`],
    ['GET', () => `/account/${a.merchantId}/connectors`],
    ['GET', () => `/account/${a.merchantId}/connectors/${a.connectorId}`],
    ['POST', () => `/account/${a.merchantId}/connectors/${a.connectorId}`],
    ['DELETE', () => `/account/${a.merchantId}/connectors/${a.connectorId}`],
    ['GET', () => `/api_keys/${a.merchantId}/list`],
    ['GET', () => `/api_keys/${a.merchantId}/${a.keyId}`],
    ['DELETE', () => `/api_keys/${a.merchantId}/${a.keyId}`],
    ['POST', () => `/api_keys/${a.merchantId}`],
    ['GET', () => `/accounts/${a.merchantId}`],
    ['GET', () => `/refunds/${refundOfA}`],
  ])('gives merchant B 404 on %s %s of merchant A', async (method, path) => {
    const res = await call(stack.api, method, path(), {
      key: b.key,
      body: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
    expect(res.status).toBe(404);
    expect(res.body.error?.type).toBe('invalid_request');
    expect(JSON.stringify(res.body)).not.toContain(a.connectorId);
  });

  it('does not list merchant A payments for merchant B', async () => {
    const list = await call(stack.api, 'GET', '/payments/list?limit=100', { key: b.key });
    expect((list.body.data as { payment_id: string }[]).map((p) => p.payment_id)).not.toContain(paymentOfA);
  });

  it('never returns connector credentials', async () => {
    const res = await call(stack.api, 'GET', `/account/${a.merchantId}/connectors/${a.connectorId}`, { key: a.key });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('sandbox_secret_123');
    expect(JSON.stringify(res.body)).not.toContain(`client_${a.merchantId}`);
    expect(res.body.connector_account_details).toEqual({ auth_type: 'BodyKey', masked: true });
  });

  it('refuses missing, unknown, revoked and expired keys with IR_01', async () => {
    expect((await call(stack.api, 'GET', '/payments/list')).body.error?.code).toBe('IR_01');
    expect((await call(stack.api, 'GET', '/payments/list', { key: `sk_test_${'x'.repeat(64)}` })).status).toBe(401);
    const extra = await call(stack.api, 'POST', `/api_keys/${a.merchantId}`, {
      key: stack.adminKey,
      body: { name: 'temp', expiration: 'never' },
    });
    const revoked = await call(stack.api, 'DELETE', `/api_keys/${a.merchantId}/${extra.body.key_id}`, {
      key: stack.adminKey,
    });
    expect(revoked.body).toMatchObject({ revoked: true });
    expect((await call(stack.api, 'GET', '/payments/list', { key: String(extra.body.api_key) })).status).toBe(401);
    const past = await call(stack.api, 'POST', `/api_keys/${a.merchantId}`, {
      key: stack.adminKey,
      body: { name: 'old', expiration: '2020-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(422);
  });

  it('shows a key once and stores only a hash and prefix', async () => {
    const created = await call(stack.api, 'POST', `/api_keys/${a.merchantId}`, {
      key: stack.adminKey,
      body: { name: 'once', expiration: 'never', mode: 'live' },
    });
    expect(String(created.body.api_key)).toMatch(/^sk_live_[A-Za-z0-9]{64}$/);
    const fetched = await call(stack.api, 'GET', `/api_keys/${a.merchantId}/${created.body.key_id}`, {
      key: stack.adminKey,
    });
    expect(fetched.body.api_key).toBeUndefined();
    expect(fetched.body.prefix).toBe(String(created.body.api_key).slice(0, 12));
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query('SELECT * FROM api_keys WHERE key_id = $1', [created.body.key_id]);
      expect(JSON.stringify(rows)).not.toContain(String(created.body.api_key));
      const accounts = await pg.query(
        'SELECT credentials_enc FROM connector_accounts WHERE merchant_connector_id = $1',
        [a.connectorId],
      );
      expect(accounts.rows[0].credentials_enc).toMatch(/^v1\./);
      expect(accounts.rows[0].credentials_enc).not.toContain('sandbox_secret_123');
    } finally {
      await pg.end();
    }
  });

  it('keeps test keys off live resources: a test key cannot configure or see live connector accounts', async () => {
    const live = await call(stack.api, 'POST', `/account/${a.merchantId}/connectors`, {
      key: a.key,
      body: {
        connector_type: 'payment_processor',
        connector_name: 'generic',
        test_mode: false,
        connector_account_details: { auth_type: 'BodyKey', api_key: 'c', key1: 'secret_12345' },
        metadata: { base_url: 'https://gateway.example/pay/api/v1' },
      },
    });
    expect(live.status).toBe(403);
    const byAdmin = await call(stack.api, 'POST', `/account/${a.merchantId}/connectors`, {
      key: stack.adminKey,
      body: {
        connector_type: 'payment_processor',
        connector_name: 'generic',
        connector_label: 'live_one',
        test_mode: false,
        connector_account_details: { auth_type: 'BodyKey', api_key: 'c', key1: 'secret_12345' },
        metadata: { base_url: 'https://gateway.example/pay/api/v1' },
      },
    });
    expect(byAdmin.status).toBe(200);
    const seenByTestKey = await call(
      stack.api,
      'GET',
      `/account/${a.merchantId}/connectors/${byAdmin.body.merchant_connector_id}`,
      { key: a.key },
    );
    expect(seenByTestKey.status).toBe(404);
    const insecure = await call(stack.api, 'POST', `/account/${a.merchantId}/connectors`, {
      key: stack.adminKey,
      body: {
        connector_type: 'payment_processor',
        connector_name: 'generic',
        connector_label: 'live_http',
        test_mode: false,
        connector_account_details: { auth_type: 'BodyKey', api_key: 'c', key1: 'secret_12345' },
        metadata: { base_url: 'http://gateway.example/pay/api/v1' },
      },
    });
    expect(insecure.status).toBe(400);
    expect(insecure.body.error?.code).toBe('IR_30');
  });

  it('keeps admin-only routes admin-only', async () => {
    const res = await call(stack.api, 'POST', '/accounts', { key: a.key, body: { merchant_id: 'sneaky' } });
    expect(res.status).toBe(403);
    const own = await call(stack.api, 'POST', `/api_keys/${a.merchantId}`, {
      key: a.key,
      body: { name: 'x', expiration: 'never', mode: 'live' },
    });
    expect(own.status).toBe(403);
  });
});
