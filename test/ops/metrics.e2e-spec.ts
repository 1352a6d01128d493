import { randomBytes } from 'node:crypto';
import { call, createMerchant, createMerchantWith, eventually, shopperActs } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { chargeDelivery, tapAccount } from '../tap/tap.support';

const METRICS_TOKEN = `mt_${randomBytes(16).toString('hex')}`;

/** Parses the Prometheus text format into `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

/** /metrics and /health after a few payments: what they claim is what happened. */
describe('metrics and health', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('ops-metrics', { worker: true, env: { METRICS_TOKEN } });
  });
  afterAll(() => stack?.close());

  const scrape = async () => {
    const res = await fetch(`${stack.api}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return samples(await res.text());
  };
  const attempts = (m: Map<string, number>, status: string) =>
    m.get(`switchyard_payment_attempts{connector="generic",status="${status}"}`) ?? 0;

  it('is closed to anonymous callers and merchant keys; open to METRICS_TOKEN and the admin key', async () => {
    const merchant = await createMerchant(stack);
    expect((await fetch(`${stack.api}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${stack.api}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token-1' } })).status,
    ).toBe(401);
    expect((await fetch(`${stack.api}/metrics`, { headers: { 'api-key': merchant.key } })).status).toBe(401);
    expect((await fetch(`${stack.api}/metrics`, { headers: { 'api-key': stack.adminKey } })).status).toBe(200);
  });

  it('counts payments by connector and status, connector latency, webhook failures and queue depths', async () => {
    const before = await scrape();
    const merchant = await createMerchant(stack);
    const pay = async (amount: number, action: 'pay' | 'fail' | null) => {
      const created = await call(stack.api, 'POST', '/payments', {
        key: merchant.key,
        body: { amount, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
      });
      expect(created.status).toBe(200);
      if (action) await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, action);
      return String(created.body.payment_id);
    };
    const paid = [await pay(1000, 'pay'), await pay(1200, 'pay')];
    const failed = await pay(1300, 'fail');
    await pay(1400, null);
    for (const [id, status] of [...paid.map((p) => [p, 'succeeded']), [failed, 'failed']]) {
      await eventually(
        () => call(stack.api, 'GET', `/payments/${id}`, { key: merchant.key }),
        (r) => r.body.status === status,
      );
    }
    const tap = await createMerchantWith(stack, (m) => tapAccount(stack, m));
    const forged = chargeDelivery('sk_test_not_the_key', {
      id: 'chg_forged',
      minor: 1000,
      currency: 'KWD',
      status: 'CAPTURED',
    });
    const rejected = await call(stack.api, 'POST', `/webhooks/${tap.merchantId}/${tap.connectorId}`, {
      raw: forged.body,
      headers: forged.headers,
    });
    expect(rejected.status).toBe(401);

    const after = await scrape();
    expect(attempts(after, 'charged') - attempts(before, 'charged')).toBeGreaterThanOrEqual(2);
    expect(attempts(after, 'failure') - attempts(before, 'failure')).toBeGreaterThanOrEqual(1);
    // A gauge of the current status of every attempt in the window (parallel suites share the database): our unpaid
    // payment is still authentication_pending, whatever other suites' pending attempts did meanwhile.
    expect(attempts(after, 'authentication_pending')).toBeGreaterThanOrEqual(1);
    const latency = 'switchyard_connector_request_duration_seconds_count{connector="generic",status_class="2xx"}';
    expect((after.get(latency) ?? 0) - (before.get(latency) ?? 0)).toBeGreaterThanOrEqual(8);
    expect(
      after.get(
        'switchyard_connector_request_duration_seconds_bucket{le="+Inf",connector="generic",status_class="2xx"}',
      ),
    ).toBe(after.get(latency));
    expect(after.get('switchyard_webhook_verification_failures_total{connector="tap"}')).toBeGreaterThanOrEqual(1);
    for (const queue of ['payment-sync', 'refund-sync', 'incoming-webhooks', 'outgoing-webhooks', 'reconciliation']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(after.has(`switchyard_queue_jobs{queue="${queue}",state="${state}"}`)).toBe(true);
      }
    }
    const circuit = (state: string) =>
      after.get(`switchyard_connector_circuit_state{merchant_connector_id="${merchant.connectorId}",state="${state}"}`);
    expect([circuit('closed'), circuit('open'), circuit('half_open')]).toEqual([1, 0, 0]);
    expect(after.get('switchyard_metrics_source_up{source="postgres"}')).toBe(1);
    expect(after.get('switchyard_metrics_source_up{source="redis"}')).toBe(1);
    expect(after.has('process_cpu_user_seconds_total')).toBe(true);
    expect(after.has('nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('reports Postgres and Redis on /health/ready, and liveness on /health/live', async () => {
    const ready = await call(stack.api, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
    expect((await call(stack.api, 'GET', '/health/live')).body).toEqual({ status: 'ok' });
  });
});
