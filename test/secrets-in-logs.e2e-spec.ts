import { readFileSync } from 'node:fs';
import { call, createMerchant, eventually, shopperActs } from './support/client';
import { startStack, Stack } from './support/stack';

/** Every log line written while a full flow runs at debug level is scanned for the secrets that flow handled. */
describe('Secrets never reach the logs', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('secrets-in-logs', { worker: true, env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(() => stack.close());

  it('logs no API key, admin key, client secret, connector secret id, access token or hash key', async () => {
    const merchant = await createMerchant(stack);
    const secrets = new Map<string, string>([
      ['admin key', stack.adminKey],
      ['merchant API key', merchant.key],
      ['publishable key', merchant.publishableKey],
      ['connector secret_id', 'sandbox_secret_123'],
      ['response hash key', merchant.hashKey],
    ]);
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 1052, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
      headers: { 'idempotency-key': 'secret-scan-1' },
    });
    secrets.set('client secret', String(created.body.client_secret));
    const paymentId = String(created.body.payment_id);
    await call(stack.api, 'GET', `/payments/${paymentId}?client_secret=${created.body.client_secret}`, {
      key: merchant.publishableKey,
    });
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    await eventually(
      () => call(stack.api, 'GET', `/payments/${paymentId}`, { key: merchant.key }),
      (r) => r.body.status === 'succeeded',
    );
    await call(stack.api, 'POST', '/refunds', { key: merchant.key, body: { payment_id: paymentId, amount: 100 } });
    await call(stack.api, 'GET', '/payments/list', { key: 'sk_test_wrongwrongwrong' });

    const tokens = (await (await fetch(`${stack.sandbox}/__sandbox/generic/tokens`)).json()) as unknown;
    const tokenList = JSON.stringify(tokens).match(/"[0-9a-f]{32,}"/g) ?? [];
    expect(tokenList.length).toBeGreaterThan(0);
    tokenList.forEach((t, i) => secrets.set(`access token ${i}`, t.replace(/"/g, '')));

    const log = readFileSync(stack.logFile, 'utf8');
    expect(log.split('\n').length).toBeGreaterThan(20);
    expect(log).toContain('connector call');
    // Every request is logged once (pino-http), with its URL redacted of query secrets.
    const requests = log
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg?: string; req?: { method: string; url: string } })
      .filter((line) => line.msg === 'request completed' && line.req?.url.startsWith(`/payments/${paymentId}`));
    expect(requests.length).toBeGreaterThanOrEqual(2);
    const leaks = [...secrets].filter(([, value]) => value && log.includes(value)).map(([name]) => name);
    expect(leaks).toEqual([]);
  });
});
