import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { call, createMerchant, createMerchantWith, type Merchant } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { orderProcessedBody, pluralAccount, signedDelivery } from '../plural/plural.support';
import { chargeDelivery, tapAccount, tapKeyFor } from '../tap/tap.support';
import { liveKey } from './support/ops';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rotation without downtime: connector credentials (webhooks keep verifying with the old secret for a while) and API keys. */
describe('credential rotation', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('ops-rotation');
  });
  afterAll(() => stack?.close());

  const rotate = (m: Merchant, body: Record<string, unknown>, key = stack.adminKey) =>
    call(stack.api, 'POST', `/account/${m.merchantId}/connectors/${m.connectorId}/rotate`, { key, body });

  const postWebhook = (m: Merchant, delivery: { headers: Record<string, string>; body: string }) =>
    call(stack.api, 'POST', `/webhooks/${m.merchantId}/${m.connectorId}`, {
      raw: delivery.body,
      headers: delivery.headers,
    });

  const plural = (m: Merchant, secret: string) =>
    postWebhook(
      m,
      signedDelivery(
        secret,
        orderProcessedBody({
          amount: 1000,
          currency: 'INR',
          connector_transaction_id: `v1-${randomBytes(4).toString('hex')}`,
          attempt_id: 'pay_x_1',
        }),
      ),
    );

  it('makes new Plural credentials primary and keeps the old webhook secret verifying until the overlap ends', async () => {
    const m = await createMerchantWith(stack, (id) => ({
      ...pluralAccount(stack, id),
      connector_webhook_details: { merchant_secret: 'old_webhook_secret' },
    }));
    expect((await plural(m, 'old_webhook_secret')).status).toBe(200);
    const res = await rotate(m, {
      connector_account_details: {
        auth_type: 'SignatureKey',
        api_key: `rotated_${m.merchantId}`,
        key1: 'rotated_client_secret',
      },
      connector_webhook_details: { merchant_secret: 'new_webhook_secret' },
      overlap_seconds: 3,
    });
    expect(res.status).toBe(200);
    const until = Date.parse(String(res.body.previous_credentials_valid_until));
    expect(until - Date.now()).toBeGreaterThan(1000);
    expect(until - Date.now()).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(res.body)).not.toMatch(/rotated_client_secret|new_webhook_secret/);
    expect((await plural(m, 'new_webhook_secret')).status).toBe(200);
    expect((await plural(m, 'old_webhook_secret')).status).toBe(200);
    expect((await plural(m, 'some_other_secret')).status).toBe(401);
    await sleep(until - Date.now() + 200);
    const late = await plural(m, 'old_webhook_secret');
    expect(late.status).toBe(401);
    expect((await plural(m, 'new_webhook_secret')).status).toBe(200);
    const log = readFileSync(stack.logFile, 'utf8');
    for (const secret of ['rotated_client_secret', 'new_webhook_secret', 'old_webhook_secret'])
      expect(log).not.toContain(secret);
  });

  it('checks the new credentials with the processor first and changes nothing when it refuses them', async () => {
    const m = await createMerchantWith(stack, (id) => tapAccount(stack, id));
    const tapWebhook = (key: string) =>
      postWebhook(
        m,
        chargeDelivery(key, {
          id: `chg_${randomBytes(8).toString('hex')}`,
          minor: 1000,
          currency: 'KWD',
          status: 'CAPTURED',
        }),
      );
    const refused = await rotate(m, {
      connector_account_details: { auth_type: 'HeaderKey', api_key: 'sk_test_invalid_key' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'IR_30',
      message: expect.stringContaining('refused the new credentials'),
    });
    expect((await tapWebhook(tapKeyFor(m.merchantId))).status).toBe(200);

    // Tap signs webhooks with the secret API key itself: the old key keeps verifying during the default overlap (24 h).
    const newKey = `sk_test_sy_next_${m.merchantId}`;
    const ok = await rotate(m, { connector_account_details: { auth_type: 'HeaderKey', api_key: newKey } }, m.key);
    expect(ok.status).toBe(200);
    const hours = (Date.parse(String(ok.body.previous_credentials_valid_until)) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect((await tapWebhook(newKey)).status).toBe(200);
    expect((await tapWebhook(tapKeyFor(m.merchantId))).status).toBe(200);
    const { key: live } = await liveKey(stack, m.merchantId);
    expect(
      (await rotate(m, { connector_account_details: { auth_type: 'HeaderKey', api_key: newKey } }, live)).status,
    ).toBe(404);
  });

  it('rotates an API key: a new key at once, the old one valid until the overlap ends', async () => {
    const m = await createMerchant(stack);
    const path = `/api_keys/${m.merchantId}/${m.keyId}/rotate`;
    expect((await call(stack.api, 'POST', path, { key: m.key, body: {} })).status).toBe(403);
    const res = await call(stack.api, 'POST', path, { key: stack.adminKey, body: { overlap_seconds: 2 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      merchant_id: m.merchantId,
      mode: 'test',
      expiration: 'never',
      previous_key: { key_id: m.keyId },
    });
    const fresh = String(res.body.api_key);
    expect(fresh).toMatch(/^sk_test_[A-Za-z0-9]{64}$/);
    const previous = res.body.previous_key as { expiration: string; replaced_by: string };
    expect(previous.replaced_by).toBe(res.body.key_id);
    const list = (key: string) => call(stack.api, 'GET', '/payments/list', { key });
    expect((await list(fresh)).status).toBe(200);
    expect((await list(m.key)).status).toBe(200);
    const again = await call(stack.api, 'POST', path, { key: stack.adminKey, body: {} });
    expect(again.body.error).toMatchObject({
      code: 'IR_16',
      message: expect.stringContaining(String(res.body.key_id)),
    });
    await sleep(Date.parse(previous.expiration) - Date.now() + 200);
    expect((await list(m.key)).status).toBe(401);
    expect((await list(fresh)).status).toBe(200);
  });

  it('keeps the old API key for 24 hours by default and lets the new key carry an expiry of its own', async () => {
    const m = await createMerchant(stack);
    const expiration = new Date(Date.now() + 7 * 86400_000).toISOString();
    const res = await call(stack.api, 'POST', `/api_keys/${m.merchantId}/${m.keyId}/rotate`, {
      key: stack.adminKey,
      body: { expiration },
    });
    expect(res.status).toBe(200);
    expect(Date.parse(String(res.body.expiration))).toBe(Date.parse(expiration));
    const hours = (Date.parse((res.body.previous_key as { expiration: string }).expiration) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
  });
});
