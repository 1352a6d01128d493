import { call, createMerchant, createMerchantWith } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { pluralAccount } from '../plural/plural.support';
import { goLive, liveGeneric, liveKey, promote, statuses, updateProfile } from './support/ops';
import { startTlsFront, type TlsFront } from './support/tls-front';

const CARDS = [{ payment_method: 'card', payment_method_types: [{ payment_method_type: 'credit' }] }];

/** The readiness report through the API: every item failing on a sandbox-only merchant, then passing once fixed. */
describe('GET /account/{merchant_id}/go_live_check', () => {
  let stack: Stack;
  let front: TlsFront;

  beforeAll(async () => {
    stack = await startStack('ops-go-live');
    front = await startTlsFront(stack.sandbox);
  });
  afterAll(async () => {
    await front?.close();
    await stack?.close();
  });

  it("answers the admin key and the merchant's own keys, and nobody else", async () => {
    const merchant = await createMerchant(stack);
    const other = await createMerchant(stack);
    expect(
      (await call(stack.api, 'GET', `/account/${merchant.merchantId}/go_live_check`, { key: merchant.key })).status,
    ).toBe(200);
    const foreign = await call(stack.api, 'GET', `/account/${merchant.merchantId}/go_live_check`, { key: other.key });
    expect(foreign.status).toBe(404);
    expect((await call(stack.api, 'GET', `/account/${merchant.merchantId}/go_live_check`, {})).status).toBe(401);
    const publishable = await call(stack.api, 'GET', `/account/${merchant.merchantId}/go_live_check`, {
      key: merchant.publishableKey,
    });
    expect(publishable.status).toBe(401);
  });

  it('documents the operations routes in the OpenAPI document, but not the dashboard or the scrape', async () => {
    const doc = await call(stack.api, 'GET', '/docs/openapi.json');
    const paths = Object.keys(doc.body.paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/account/{merchant_id}/go_live_check',
        '/account/{merchant_id}/connectors/{merchant_connector_id}/promote',
        '/account/{merchant_id}/connectors/{merchant_connector_id}/rotate',
        '/api_keys/{merchant_id}/{key_id}/rotate',
      ]),
    );
    expect(paths.filter((p) => p.startsWith('/dashboard') || p === '/metrics')).toEqual([]);
  });

  it('reports a sandbox-only merchant as not ready, each failing item saying what to do', async () => {
    const merchant = await createMerchant(stack);
    const res = await call(stack.api, 'GET', `/account/${merchant.merchantId}/go_live_check`, { key: merchant.key });
    expect(res.body).toMatchObject({ merchant_id: merchant.merchantId, ready: false });
    const items = await goLive(stack, merchant.merchantId);
    expect(statuses(items)).toEqual({
      live_connector_accounts: 'fail',
      live_credentials_verified: 'fail',
      webhook_secrets: 'fail',
      merchant_webhook_endpoint: 'fail',
      return_urls_https: 'pass',
      payment_methods_enabled: 'fail',
      live_api_key: 'fail',
      no_test_credentials_in_live: 'pass',
      response_hash_key: 'pass',
    });
    expect(items.get('live_connector_accounts')!.detail).toContain(`generic (${merchant.connectorId})`);
    for (const item of items.values()) {
      if (item.status === 'fail') expect(item.action.length).toBeGreaterThan(20);
      expect(item.title.length).toBeGreaterThan(5);
    }
  });

  it('turns each item from fail to pass as the configuration it checks is fixed, until ready', async () => {
    const merchant = await createMerchant(stack);
    const m = merchant.merchantId;

    await updateProfile(stack, m, { webhook_details: { webhook_url: 'http://shop.example/hooks' } });
    expect((await goLive(stack, m)).get('merchant_webhook_endpoint')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('not HTTPS'),
    });
    await updateProfile(stack, m, { webhook_details: { webhook_url: 'https://shop.example/hooks' } });
    expect((await goLive(stack, m)).get('merchant_webhook_endpoint')!.status).toBe('pass');

    await updateProfile(stack, m, { return_url: 'http://shop.example/back' });
    expect((await goLive(stack, m)).get('return_urls_https')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('not HTTPS'),
    });
    await updateProfile(stack, m, { return_url: 'https://shop.example/back' });

    await updateProfile(stack, m, { enable_payment_response_hash: false });
    expect((await goLive(stack, m)).get('response_hash_key')!.status).toBe('fail');
    await updateProfile(stack, m, { enable_payment_response_hash: true });

    const promoted = await promote(stack, m, merchant.connectorId, liveGeneric(front.url, `live_${m}`));
    expect(promoted.status).toBe(200);
    const liveId = String(promoted.body.merchant_connector_id);
    let items = await goLive(stack, m);
    expect(items.get('live_connector_accounts')!.status).toBe('pass');
    expect(items.get('live_credentials_verified')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining(liveId),
    });
    expect(items.get('webhook_secrets')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('no webhooks'),
    });
    // The test account had no payment methods, so the promoted copy has none either.
    expect(items.get('payment_methods_enabled')!.status).toBe('fail');
    await call(stack.api, 'POST', `/account/${m}/connectors/${liveId}`, {
      key: stack.adminKey,
      body: { payment_methods_enabled: CARDS },
    });

    expect((await goLive(stack, m)).get('live_api_key')!.status).toBe('fail');
    const { keyId } = await liveKey(stack, m);
    items = await goLive(stack, m);
    expect(items.get('live_api_key')).toMatchObject({ status: 'pass', detail: expect.stringContaining(keyId) });

    // A Plural live account sends webhooks: without a webhook secret the item fails.
    const pluralLive = await call(stack.api, 'POST', `/account/${m}/connectors`, {
      key: stack.adminKey,
      body: {
        ...pluralAccount(stack, `live_${m}`),
        test_mode: false,
        metadata: { base_url: `${front.url}/plural` },
        payment_methods_enabled: CARDS,
      },
    });
    expect(pluralLive.status).toBe(200);
    const pluralId = String(pluralLive.body.merchant_connector_id);
    expect((await goLive(stack, m)).get('webhook_secrets')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(pluralId),
    });
    await call(stack.api, 'POST', `/account/${m}/connectors/${pluralId}`, {
      key: stack.adminKey,
      body: { connector_webhook_details: { merchant_secret: 'plural_live_webhook_secret' } },
    });

    const report = await call(stack.api, 'GET', `/account/${m}/go_live_check`, { key: stack.adminKey });
    expect(report.body.ready).toBe(true);
    expect(statuses(await goLive(stack, m))).toEqual(
      Object.fromEntries([...(await goLive(stack, m)).keys()].map((id) => [id, 'pass'])),
    );
  });

  it('fails live credentials the processor refuses or cannot be reached, and credentials copied from a test account', async () => {
    const merchant = await createMerchant(stack);
    const m = merchant.merchantId;
    const refused = await promote(stack, m, merchant.connectorId, liveGeneric(front.url, 'invalid_client'));
    expect(refused.status).toBe(200);
    let item = (await goLive(stack, m)).get('live_credentials_verified')!;
    expect(item.status).toBe('fail');
    expect(item.detail).toContain('refused by the processor');
    expect(item.detail).not.toContain('live_secret_123');

    const unreachable = await call(stack.api, 'POST', `/account/${m}/connectors`, {
      key: stack.adminKey,
      body: {
        ...liveGeneric('https://127.0.0.1:9', `live_${m}`),
        connector_type: 'payment_processor',
        connector_name: 'generic',
        connector_label: 'generic_unreachable',
      },
    });
    expect(unreachable.status).toBe(200);
    item = (await goLive(stack, m)).get('live_credentials_verified')!;
    expect(item.detail).toContain(`${String(unreachable.body.merchant_connector_id)}): not verified`);

    // The test account's own client id and secret, pasted into a live account.
    const copied = await createMerchantWith(stack, () => ({
      connector_type: 'payment_processor',
      connector_name: 'generic',
      test_mode: true,
      connector_account_details: { auth_type: 'BodyKey', api_key: 'shared_client', key1: 'shared_secret_1' },
      metadata: { base_url: `${stack.sandbox}/generic/pay/sandbox/api/v1` },
    }));
    await promote(
      stack,
      copied.merchantId,
      copied.connectorId,
      liveGeneric(front.url, 'shared_client', 'shared_secret_1'),
    );
    const noTest = (await goLive(stack, copied.merchantId)).get('no_test_credentials_in_live')!;
    expect(noTest).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('api_key, key1 also used by a test account'),
    });
  });
});
