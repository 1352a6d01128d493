import { call, createMerchant, eventually, Merchant, shopperActs } from '../support/client';
import { startStack, Stack } from '../support/stack';

/**
 * Short version of `npm run verify` check 6: every route, called with another merchant's keys, answers 401/403/404 and
 * names none of the owner's ids; a test key sees none of its own merchant's live payments or connector accounts. The
 * owner's own call is made first so a 404 proves isolation, not a wrong path.
 */
describe('verify: tenant isolation matrix', () => {
  let stack: Stack;
  let a: Merchant;
  let b: Merchant;
  let ids: Record<string, string>;
  let liveKey: string;
  let live: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack('verify-isolation', { worker: true });
    a = await createMerchant(stack);
    b = await createMerchant(stack);
    const created = await call(stack.api, 'POST', '/payments', {
      key: a.key,
      body: { amount: 1000, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    const paymentId = String(created.body.payment_id);
    await eventually(
      () => call(stack.api, 'GET', `/payments/${paymentId}`, { key: a.key }),
      (r) => r.body.status === 'succeeded',
    );
    const refund = await call(stack.api, 'POST', '/refunds', {
      key: a.key,
      body: { payment_id: paymentId, amount: 1 },
    });
    const events = await eventually(
      () => call(stack.api, 'GET', `/events/${a.merchantId}`, { key: a.key }),
      (r) => Array.isArray(r.body) && (r.body as unknown[]).length > 0,
    );
    const run = await call(stack.api, 'POST', `/recon/${a.merchantId}/runs`, {
      key: a.key,
      body: { merchant_connector_id: a.connectorId, date: new Date().toISOString().slice(0, 10) },
    });
    const profiles = await call(stack.api, 'GET', `/account/${a.merchantId}/business_profile`, { key: a.key });
    ids = {
      paymentId,
      clientSecret: String(created.body.client_secret),
      refundId: String(refund.body.refund_id),
      eventId: String((events.body as unknown as { event_id: string }[])[0].event_id),
      runId: String(run.body.run_id),
      profileId: (profiles.body as unknown as { profile_id: string }[])[0].profile_id,
    };

    const liveKeyRes = await call(stack.api, 'POST', `/api_keys/${a.merchantId}`, {
      key: stack.adminKey,
      body: { name: 'live', expiration: 'never', mode: 'live' },
    });
    liveKey = String(liveKeyRes.body.api_key);
    const liveConnector = await call(stack.api, 'POST', `/account/${a.merchantId}/connectors`, {
      key: stack.adminKey,
      body: {
        connector_type: 'payment_processor',
        connector_name: 'generic',
        connector_label: 'live_one',
        test_mode: false,
        connector_account_details: { auth_type: 'BodyKey', api_key: 'c_live', key1: 'secret_live_123' },
        metadata: { base_url: 'https://gateway.invalid/pay/api/v1' },
      },
    });
    const livePayment = await call(stack.api, 'POST', '/payments', {
      key: liveKey,
      body: { amount: 1000, currency: 'USD', return_url: 'https://shop.example/live' },
    });
    await call(stack.api, 'POST', `/payments/${livePayment.body.payment_id}/cancel`, { key: liveKey, body: {} });
    const liveEvents = await eventually(
      () =>
        call(stack.api, 'GET', `/events/${a.merchantId}?payment_id=${livePayment.body.payment_id}`, { key: liveKey }),
      (r) => Array.isArray(r.body) && (r.body as unknown[]).length > 0,
    );
    const liveRun = await call(stack.api, 'POST', `/recon/${a.merchantId}/runs`, {
      key: liveKey,
      body: {
        merchant_connector_id: String(liveConnector.body.merchant_connector_id),
        date: new Date().toISOString().slice(0, 10),
      },
    });
    live = {
      keyId: String(liveKeyRes.body.key_id),
      connectorId: String(liveConnector.body.merchant_connector_id),
      paymentId: String(livePayment.body.payment_id),
      eventId: (liveEvents.body as unknown as { event_id: string }[])[0].event_id,
      runId: String(liveRun.body.run_id),
    };
  });
  afterAll(() => stack.close());

  const routes = (): [string, string, unknown?][] => {
    const m = a.merchantId;
    return [
      ['GET', `/accounts/${m}`],
      ['GET', `/api_keys/${m}/list`],
      ['GET', `/api_keys/${m}/${a.keyId}`],
      ['POST', `/account/${m}/connectors`, { connector_type: 'payment_processor' }],
      ['GET', `/account/${m}/connectors`],
      ['GET', `/account/${m}/connectors/${a.connectorId}`],
      ['POST', `/account/${m}/connectors/${a.connectorId}`, { connector_type: 'payment_processor' }],
      ['GET', `/account/${m}/business_profile`],
      ['POST', `/account/${m}/business_profile/${ids.profileId}`, { return_url: 'https://shop.example/x' }],
      ['GET', `/payments/${ids.paymentId}?expand_attempts=true`],
      ['POST', `/payments/${ids.paymentId}/confirm`, {}],
      ['POST', `/payments/${ids.paymentId}/capture`, {}],
      ['POST', `/payments/${ids.paymentId}/cancel`, {}],
      ['POST', '/refunds', { payment_id: ids.paymentId, amount: 1 }],
      ['GET', `/refunds/${ids.refundId}`],
      ['GET', `/events/${m}`],
      ['GET', `/events/${m}/${ids.eventId}/attempts`],
      ['POST', `/events/${m}/${ids.eventId}/retry`, {}],
      ['POST', `/recon/${m}/runs`, { merchant_connector_id: a.connectorId, date: '2026-01-01' }],
      ['GET', `/recon/${m}/runs`],
      ['GET', `/recon/${m}/runs/${ids.runId}`],
      ['GET', `/recon/${m}/runs/${ids.runId}/items.csv`],
    ];
  };

  it("refuses merchant B's secret key on every route of merchant A's, naming none of A's ids", async () => {
    const foreign = () => [
      ids.paymentId,
      ids.refundId,
      ids.eventId,
      ids.runId,
      a.connectorId,
      a.keyId,
      ids.clientSecret,
    ];
    for (const [method, path, body] of routes()) {
      const owner = await call(stack.api, method, path, { key: a.key, body });
      expect({ path, reached: owner.status !== 404 && owner.status < 500 }).toEqual({ path, reached: true });
      const res = await call(stack.api, method, path, { key: b.key, body });
      expect({ path, status: [401, 403, 404].includes(res.status) }).toEqual({ path, status: true });
      const text = JSON.stringify(res.body);
      expect(foreign().filter((id) => text.includes(id) && !path.includes(id))).toEqual([]);
    }
    for (const path of ['/payments/list?limit=100', `/refunds/list?payment_id=${ids.paymentId}`]) {
      const text = JSON.stringify((await call(stack.api, 'GET', path, { key: b.key })).body);
      expect(foreign().filter((id) => text.includes(id))).toEqual([]);
    }
  });

  it("refuses B's publishable key with A's client secret, and A's payment on B's return route", async () => {
    const get = await call(stack.api, 'GET', `/payments/${ids.paymentId}?client_secret=${ids.clientSecret}`, {
      key: b.publishableKey,
    });
    expect(get.status).toBe(404);
    const confirm = await call(stack.api, 'POST', `/payments/${ids.paymentId}/confirm`, {
      key: b.publishableKey,
      body: { client_secret: ids.clientSecret },
    });
    expect(confirm.status).toBe(404);
    const back = await call(stack.api, 'GET', `/payments/${ids.paymentId}/${b.merchantId}/redirect/response/generic`);
    expect(back.status).toBe(404);
    expect(back.headers.get('location')).toBeNull();
  });

  it("keeps a test key off the merchant's live payments and connector accounts", async () => {
    const m = a.merchantId;
    for (const [method, path, body] of [
      ['GET', `/payments/${live.paymentId}`],
      ['POST', `/payments/${live.paymentId}/confirm`, {}],
      ['POST', `/payments/${live.paymentId}/cancel`, {}],
      ['POST', '/refunds', { payment_id: live.paymentId, amount: 1 }],
      ['GET', `/account/${m}/connectors/${live.connectorId}`],
      ['POST', `/account/${m}/connectors/${live.connectorId}`, { connector_type: 'payment_processor' }],
    ] as [string, string, unknown?][]) {
      const res = await call(stack.api, method, path, { key: a.key, body });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    for (const path of ['/payments/list?limit=100', `/account/${m}/connectors`]) {
      const text = JSON.stringify((await call(stack.api, 'GET', path, { key: a.key })).body);
      expect(text).not.toContain(live.paymentId);
      expect(text).not.toContain(live.connectorId);
    }
  });

  // Found by `npm run verify` (issue 7) and fixed: a test key never reaches live events, recon runs or key metadata.
  it('keeps a test key off the events of live payments', async () => {
    const list = await call(stack.api, 'GET', `/events/${a.merchantId}`, { key: a.key });
    expect(JSON.stringify(list.body)).not.toContain(live.eventId);
  });

  it('answers 404 to a test key asking for the attempts of a live event', async () => {
    const res = await call(stack.api, 'GET', `/events/${a.merchantId}/${live.eventId}/attempts`, { key: a.key });
    expect(res.status).toBe(404);
  });

  it('keeps a test key off reconciliation of a live connector account', async () => {
    const res = await call(stack.api, 'POST', `/recon/${a.merchantId}/runs`, {
      key: a.key,
      body: { merchant_connector_id: live.connectorId, date: '2026-01-01' },
    });
    expect([403, 404]).toContain(res.status);
  });

  it('keeps a test key off live reconciliation runs', async () => {
    const res = await call(stack.api, 'GET', `/recon/${a.merchantId}/runs/${live.runId}`, { key: a.key });
    expect(res.status).toBe(404);
  });

  it('keeps a test key off live API keys', async () => {
    const res = await call(stack.api, 'GET', `/api_keys/${a.merchantId}/${live.keyId}`, { key: a.key });
    expect([403, 404]).toContain(res.status);
  });
});
