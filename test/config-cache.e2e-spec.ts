import { INestApplication } from '@nestjs/common';
import { call, createMerchant, eventually, Merchant } from './support/client';
import { startStack, Stack } from './support/stack';

/**
 * Merchant configuration is kept in process memory on the payment path; a change through the API must take effect at
 * once in the replica that made it and within moments in every other replica (Redis pub/sub invalidation).
 */
describe('Configuration cache invalidation', () => {
  let stack: Stack;
  let replica: INestApplication;
  let replicaUrl: string;

  beforeAll(async () => {
    stack = await startStack('config-cache');
    // A second API replica in this process: its own caches, the same Postgres and Redis.
    const { createApiApp } = await import('../apps/api/src/api.factory');
    replica = await createApiApp();
    await replica.listen(0, '127.0.0.1');
    const address = replica.getHttpServer().address() as { port: number };
    replicaUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await replica?.close();
    await stack.close();
  });

  const pay = (base: string, merchant: Merchant) =>
    call(base, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 1000, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });

  it('refuses a revoked key on the next request, in this replica and the other', async () => {
    const merchant = await createMerchant(stack);
    expect((await pay(stack.api, merchant)).body.status).toBe('requires_customer_action');
    expect((await pay(replicaUrl, merchant)).body.status).toBe('requires_customer_action');
    const revoked = await call(stack.api, 'DELETE', `/api_keys/${merchant.merchantId}/${merchant.keyId}`, {
      key: stack.adminKey,
    });
    expect(revoked.status).toBe(200);
    expect((await pay(stack.api, merchant)).status).toBe(401);
    await eventually(
      () => pay(replicaUrl, merchant),
      (res) => res.status === 401,
      2000,
    );
  });

  it('stops routing to a disabled connector account on the next payment, in both replicas', async () => {
    const merchant = await createMerchant(stack);
    expect((await pay(stack.api, merchant)).body.status).toBe('requires_customer_action');
    expect((await pay(replicaUrl, merchant)).body.status).toBe('requires_customer_action');
    const disabled = await call(
      stack.api,
      'POST',
      `/account/${merchant.merchantId}/connectors/${merchant.connectorId}`,
      {
        key: stack.adminKey,
        body: { connector_type: 'payment_processor', disabled: true },
      },
    );
    expect(disabled.status).toBe(200);
    const here = await pay(stack.api, merchant);
    expect(here.status).toBeGreaterThanOrEqual(400);
    expect(here.body.status).not.toBe('requires_customer_action');
    await eventually(
      () => pay(replicaUrl, merchant),
      (res) => res.status >= 400,
      2000,
    );
  });

  it('uses rotated connector credentials on the next payment', async () => {
    const merchant = await createMerchant(stack);
    expect((await pay(stack.api, merchant)).body.status).toBe('requires_customer_action');
    const updated = await call(
      stack.api,
      'POST',
      `/account/${merchant.merchantId}/connectors/${merchant.connectorId}`,
      {
        key: stack.adminKey,
        body: {
          connector_type: 'payment_processor',
          connector_account_details: { auth_type: 'BodyKey', api_key: 'client', key1: 'invalid_secret_1' },
        },
      },
    );
    expect(updated.status).toBe(200);
    const res = await pay(stack.api, merchant);
    expect(res.body).toMatchObject({ status: 'failed', unified_code: 'UE_3000' });
  });
});
