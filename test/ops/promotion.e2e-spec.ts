import { call, createMerchantWith } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { pluralAccount } from '../plural/plural.support';
import { tapAccount } from '../tap/tap.support';
import { liveGeneric, liveKey, promote } from './support/ops';

const METHODS = [
  {
    payment_method: 'card',
    payment_method_types: [{ payment_method_type: 'credit' }, { payment_method_type: 'debit' }],
  },
  { payment_method: 'wallet', payment_method_types: [{ payment_method_type: 'apple_pay' }] },
];

/** Sandbox → live: the setup is copied, the secrets never are. */
describe('POST /account/{merchant_id}/connectors/{id}/promote', () => {
  let stack: Stack;
  const live = 'https://gateway.example/pay/api/v1';

  beforeAll(async () => {
    stack = await startStack('ops-promotion');
  });
  afterAll(() => stack?.close());

  const genericTest = (merchantId: string) => ({
    connector_type: 'payment_processor',
    connector_name: 'generic',
    connector_label: 'gateway_eu',
    test_mode: true,
    connector_account_details: { auth_type: 'BodyKey', api_key: `client_${merchantId}`, key1: 'sandbox_secret_123' },
    payment_methods_enabled: METHODS,
    metadata: {
      base_url: `${stack.sandbox}/generic/pay/sandbox/api/v1`,
      checkout_base_url: 'http://x',
      shop_code: 'EU-1',
    },
  });

  it('copies payment methods, profile and metadata (minus test URLs) to a live account with the given credentials', async () => {
    const merchant = await createMerchantWith(stack, genericTest);
    const res = await promote(stack, merchant.merchantId, merchant.connectorId, {
      connector_account_details: { auth_type: 'BodyKey', api_key: 'live_client', key1: 'live_secret_456' },
      metadata: { base_url: live },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      connector_name: 'generic',
      connector_label: 'gateway_eu_live',
      test_mode: false,
      disabled: false,
      payment_methods_enabled: METHODS,
      metadata: { base_url: live, shop_code: 'EU-1' },
      connector_account_details: { auth_type: 'BodyKey', masked: true },
      promoted_from: merchant.connectorId,
      routing: { copied: false },
    });
    expect(res.body.metadata).not.toHaveProperty('checkout_base_url');
    expect(JSON.stringify(res.body)).not.toContain('live_secret_456');
    const source = await call(stack.api, 'GET', `/account/${merchant.merchantId}/connectors/${merchant.connectorId}`, {
      key: stack.adminKey,
    });
    expect(source.body).toMatchObject({ test_mode: true, connector_label: 'gateway_eu' });
    const profiles = [source.body.profile_id, res.body.profile_id];
    expect(profiles[1]).toBe(profiles[0]);
  });

  it('asks for live credentials instead of copying them, and for the live base URL the test one was dropped for', async () => {
    const merchant = await createMerchantWith(stack, genericTest);
    const none = await promote(stack, merchant.merchantId, merchant.connectorId, {});
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({
      code: 'IR_04',
      message: expect.stringContaining('connector_account_details'),
    });
    const noBase = await promote(stack, merchant.merchantId, merchant.connectorId, {
      connector_account_details: { auth_type: 'BodyKey', api_key: 'live_client', key1: 'live_secret_456' },
    });
    expect(noBase.status).toBe(400);
    expect(noBase.body.error).toMatchObject({ code: 'IR_30', message: expect.stringContaining('base_url') });
    const plainHttp = await promote(
      stack,
      merchant.merchantId,
      merchant.connectorId,
      liveGeneric('http://gw.example', 'c'),
    );
    expect(plainHttp.body.error).toMatchObject({
      code: 'IR_30',
      message: expect.stringContaining('https in live mode'),
    });
  });

  it('requires a webhook secret for a connector that sends webhooks, and a live key of the processor', async () => {
    const plural = await createMerchantWith(stack, (m) => ({
      ...pluralAccount(stack, m),
      connector_webhook_details: { merchant_secret: 'test_webhook_secret' },
    }));
    const body = {
      connector_account_details: { auth_type: 'SignatureKey', api_key: 'live_client', key1: 'live_client_secret' },
    };
    const missing = await promote(stack, plural.merchantId, plural.connectorId, body);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      code: 'IR_04',
      message: expect.stringContaining('connector_webhook_details.merchant_secret'),
    });
    const ok = await promote(stack, plural.merchantId, plural.connectorId, {
      ...body,
      connector_webhook_details: { merchant_secret: 'live_webhook_secret' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ test_mode: false, connector_webhook_details: { merchant_secret: '********' } });
    // Plural's live host is the default once the sandbox base_url is dropped.
    expect(ok.body.metadata).toEqual({});

    const tap = await createMerchantWith(stack, (m) => tapAccount(stack, m));
    const testKeyAsLive = await promote(stack, tap.merchantId, tap.connectorId, {
      connector_account_details: { auth_type: 'HeaderKey', api_key: 'sk_test_copied_key' },
    });
    expect(testKeyAsLive.body.error).toMatchObject({ code: 'IR_30', message: expect.stringContaining('sk_live_') });
    const tapLive = await promote(stack, tap.merchantId, tap.connectorId, {
      connector_account_details: { auth_type: 'HeaderKey', api_key: 'sk_live_issued_key' },
    });
    expect(tapLive.status).toBe(200);
  });

  it('copies the active routing config to live once every account it pins is promoted, mapped to the live ids', async () => {
    const merchant = await createMerchantWith(stack, genericTest);
    const second = await call(stack.api, 'POST', `/account/${merchant.merchantId}/connectors`, {
      key: merchant.key,
      body: { ...genericTest(merchant.merchantId), connector_label: 'gateway_us' },
    });
    const [a, b] = [merchant.connectorId, String(second.body.merchant_connector_id)];
    const profileId = String(second.body.profile_id);
    const saved = await call(stack.api, 'POST', '/routing', {
      key: merchant.key,
      body: {
        name: 'us-first',
        profile_id: profileId,
        algorithm: {
          type: 'priority',
          data: [
            { connector: 'generic', merchant_connector_id: b },
            { connector: 'generic', merchant_connector_id: a },
          ],
        },
      },
    });
    expect(saved.status).toBe(200);
    await call(stack.api, 'POST', `/routing/${String(saved.body.id)}/activate`, { key: merchant.key, body: {} });
    const body = (label: string) => ({
      ...liveGeneric('https://gw.example', `live_${label}`),
      metadata: { base_url: live },
      connector_label: label,
    });

    const first = await promote(stack, merchant.merchantId, a, body('eu_live'));
    expect(first.body.routing).toMatchObject({
      copied: false,
      detail: expect.stringContaining(`once these are promoted too: ${b}`),
    });
    const last = await promote(stack, merchant.merchantId, b, body('us_live'));
    expect(last.body.routing).toMatchObject({ copied: true, detail: expect.stringContaining('activated') });

    const { key } = await liveKey(stack, merchant.merchantId);
    const active = await call(stack.api, 'GET', `/routing/active?profile_id=${profileId}`, { key });
    expect(active.body).toEqual([
      expect.objectContaining({
        id: (last.body.routing as { algorithm_id: string }).algorithm_id,
        mode: 'live',
        active: true,
        name: 'us-first',
        algorithm: {
          type: 'priority',
          data: [
            { connector: 'generic', merchant_connector_id: String(last.body.merchant_connector_id) },
            { connector: 'generic', merchant_connector_id: String(first.body.merchant_connector_id) },
          ],
        },
      }),
    ]);
    const again = await promote(stack, merchant.merchantId, a, body('eu_live_2'));
    expect(again.body.routing).toMatchObject({ copied: false, detail: expect.stringContaining('already active') });
  });

  it('promotes only test accounts, with the admin key or a live key of the merchant', async () => {
    const merchant = await createMerchantWith(stack, genericTest);
    const body = { ...liveGeneric(live.replace('/pay/api/v1', ''), 'live_client'), metadata: { base_url: live } };
    const byTestKey = await promote(stack, merchant.merchantId, merchant.connectorId, body, merchant.key);
    expect(byTestKey.status).toBe(403);
    const { key } = await liveKey(stack, merchant.merchantId);
    const byLiveKey = await promote(stack, merchant.merchantId, merchant.connectorId, body, key);
    expect(byLiveKey.status).toBe(200);
    const again = await promote(stack, merchant.merchantId, String(byLiveKey.body.merchant_connector_id), body);
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: 'IR_06', message: expect.stringContaining('test-mode') });
    const duplicate = await promote(stack, merchant.merchantId, merchant.connectorId, body);
    expect(duplicate.body.error).toMatchObject({ code: 'HE_01' });
    const relabelled = await promote(stack, merchant.merchantId, merchant.connectorId, {
      ...body,
      connector_label: 'gateway_eu_live_2',
    });
    expect(relabelled.status).toBe(200);
  });
});
