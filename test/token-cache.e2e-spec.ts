import { call, createMerchant, Merchant } from './support/client';
import { startStack, Stack } from './support/stack';

/** The connector access token is shared through Redis: one token request for many payments, one re-auth on expiry. */
describe('Connector access-token cache', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack('token-cache');
    merchant = await createMerchant(stack);
  });
  afterAll(() => stack.close());

  const pay = () =>
    call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 1000, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });

  it('asks for one token for many payments, sequential and concurrent', async () => {
    const stats = stack.sandboxState.generic.stats;
    const before = stats.tokenRequests;
    for (let i = 0; i < 5; i++) expect((await pay()).body.status).toBe('requires_customer_action');
    const concurrent = await Promise.all(Array.from({ length: 10 }, pay));
    concurrent.forEach((r) => expect(r.body.status).toBe('requires_customer_action'));
    expect(stats.tokenRequests - before).toBe(1);
  });

  it('re-authenticates exactly once when the token has expired, and the retried call succeeds', async () => {
    const stats = stack.sandboxState.generic.stats;
    const tokensBefore = stats.tokenRequests;
    const unauthorizedBefore = stats.unauthorizedRequests;
    const expired = await fetch(`${stack.sandbox}/__sandbox/generic/expire-tokens`, { method: 'POST' });
    expect(expired.status).toBe(200);
    const res = await pay();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('requires_customer_action');
    expect(stats.tokenRequests - tokensBefore).toBe(1);
    expect(stats.unauthorizedRequests - unauthorizedBefore).toBe(1);
    expect((await pay()).body.status).toBe('requires_customer_action');
    expect(stats.tokenRequests - tokensBefore).toBe(1);
  });

  it('fails the attempt with a unified code, not a 500, when the gateway refuses the credentials', async () => {
    const bad = await createMerchant(stack);
    await call(stack.api, 'POST', `/account/${bad.merchantId}/connectors/${bad.connectorId}`, {
      key: stack.adminKey,
      body: { connector_account_details: { auth_type: 'BodyKey', api_key: 'client', key1: 'invalid_secret_1' } },
    });
    const res = await call(stack.api, 'POST', '/payments', {
      key: bad.key,
      body: { amount: 1000, currency: 'USD', confirm: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', unified_code: 'UE_3000' });
  });
});
