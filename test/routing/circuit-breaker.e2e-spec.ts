import Redis from 'ioredis';
import { CircuitBreakerService, loadRoutingHealthSettings } from '@switchyard/routing';
import { call, shopperActs } from '../support/client';
import { startStack, Stack } from '../support/stack';
import {
  activateRouting,
  choice,
  decisionOf,
  merchantWithAccounts,
  pay,
  redirectOf,
  RoutingMerchant,
  sandboxBase,
  startFlakyProxy,
  withEnv,
} from './routing.support';

const OPEN_SECONDS = 3;

/**
 * A processor that starts answering 5xx: its account's circuit opens after a few failed authorizations, traffic moves to
 * the fallback account, and once the processor recovers a single half-open probe closes the circuit again. No payment
 * is lost: the ones caught by the outage stay `processing` (unknown outcome, polled), never failed by guess.
 */
describe('Circuit breaker per connector account', () => {
  let stack: Stack;
  let proxy: Awaited<ReturnType<typeof startFlakyProxy>>;
  let restoreEnv: () => void;
  let m: RoutingMerchant;
  let redis: Redis;

  beforeAll(async () => {
    restoreEnv = withEnv({
      ROUTING_BREAKER_MIN_FAILURES: '3',
      ROUTING_BREAKER_FAILURE_RATIO: '0.5',
      ROUTING_BREAKER_WINDOW_SECONDS: '60',
      ROUTING_BREAKER_OPEN_SECONDS: String(OPEN_SECONDS),
    });
    stack = await startStack('routing-circuit', { worker: true });
    proxy = await startFlakyProxy(stack.sandbox);
    m = await merchantWithAccounts(stack, [
      { label: 'flaky', baseUrl: `${proxy.url}/generic/pay/sandbox/api/v1` },
      { label: 'steady', baseUrl: sandboxBase(stack) },
    ]);
    await activateRouting(stack, m, { type: 'priority', data: [choice(m, 'flaky'), choice(m, 'steady')] });
    redis = new Redis(process.env.REDIS_URL!);
  });
  afterAll(async () => {
    redis?.disconnect();
    await proxy?.close();
    await stack?.close();
    restoreEnv();
  });

  const breaker = () => new CircuitBreakerService(redis, loadRoutingHealthSettings());
  const stateOf = async (id: string) => (await breaker().states()).find((s) => s.merchantConnectorId === id)?.state;

  it('opens on 5xx, moves traffic to the fallback, probes once recovered, and loses no payment', async () => {
    const payments: { id: string; connector: string; redirect: string | null }[] = [];
    const send = async () => {
      const res = await pay(stack, m, 1000);
      expect(res.status).toBe(200);
      const d = decisionOf(res);
      payments.push({
        id: String(res.body.payment_id),
        connector: d.selected.merchant_connector_id,
        redirect: res.body.status === 'requires_customer_action' ? redirectOf(res) : null,
      });
      return res;
    };

    // Healthy: the priority list's first account takes the payments.
    for (let i = 0; i < 2; i++) expect(decisionOf(await send()).selected.merchant_connector_id).toBe(m.accounts.flaky);

    // The processor starts failing: 3 unknown outcomes (stay processing), then the circuit is open.
    proxy.failing = true;
    for (let i = 0; i < 3; i++) {
      const res = await send();
      expect(res.body.status).toBe('processing');
      expect(decisionOf(res).selected.merchant_connector_id).toBe(m.accounts.flaky);
    }
    expect(await stateOf(m.accounts.flaky)).toBe('open');
    for (let i = 0; i < 4; i++) {
      const res = await send();
      expect(res.body.status).toBe('requires_customer_action');
      const d = decisionOf(res);
      expect(d.selected.merchant_connector_id).toBe(m.accounts.steady);
      expect(d.candidates.find((c) => c.merchant_connector_id === m.accounts.flaky)?.skipped_reason).toMatch(
        /^circuit open \(next probe after /,
      );
    }

    // Recovered: after the open period one payment probes the account and closes the circuit.
    proxy.failing = false;
    await new Promise((r) => setTimeout(r, OPEN_SECONDS * 1000 + 200));
    const probe = await send();
    expect(decisionOf(probe).selected.merchant_connector_id).toBe(m.accounts.flaky);
    expect(decisionOf(probe).details.circuit_probe).toBe(true);
    expect(await stateOf(m.accounts.flaky)).toBe('closed');
    expect(decisionOf(await send()).selected.merchant_connector_id).toBe(m.accounts.flaky);

    // No payment lost: every one with a hosted page is paid; the outage's stay processing, none failed.
    for (const p of payments.filter((x) => x.redirect)) await shopperActs(p.redirect!, 'pay');
    for (const p of payments) {
      const res = await call(stack.api, 'GET', `/payments/${p.id}?expand_attempts=true`, { key: m.key });
      expect(res.body.status).toBe(p.redirect ? 'succeeded' : 'processing');
      if (!p.redirect) expect((res.body.attempts as { status: string }[])[0].status).toBe('pending');
    }
    expect(payments.filter((p) => !p.redirect)).toHaveLength(3);
    expect(payments.filter((p) => p.connector === m.accounts.steady)).toHaveLength(4);
  });

  it('shares circuit state through Redis: another replica sees what this one recorded', async () => {
    const account = `mca_shared_${Date.now()}`;
    const replicaA = breaker();
    const replicaB = breaker();
    for (let i = 0; i < 3; i++) await replicaA.record(account, 'failure');
    expect((await replicaB.view([account]))[account].state).toBe('open');
    // Only one replica wins the half-open probe once the open period is over.
    const later = Date.now() + OPEN_SECONDS * 1000 + 1;
    const probes = await Promise.all([replicaA.acquireProbe(account, later), replicaB.acquireProbe(account, later)]);
    expect(probes.filter((p) => p !== null)).toHaveLength(1);
    const winner = probes.find((p) => p !== null)!;
    await replicaB.record(account, 'success', 'not-the-probe');
    expect(await stateOf(account)).toBe('half_open');
    await replicaA.record(account, 'success', winner);
    expect(await stateOf(account)).toBe('closed');
  });
});
