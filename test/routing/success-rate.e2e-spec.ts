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
} from './routing.support';

const WINDOW = 20;

/**
 * Success-rate routing over two generic accounts, chosen by the router alone. The shopper fails 2 of every 5 payments
 * that land on account `weak` (a 40% decline rate at that processor) and pays every other one. Warm-up measures both;
 * within one window the router sends most traffic to `strong`, while exploration keeps `weak`'s figures fresh.
 */
describe('Success-rate routing', () => {
  let stack: Stack;
  let m: RoutingMerchant;

  beforeAll(async () => {
    stack = await startStack('routing-success-rate');
    m = await merchantWithAccounts(stack, [{ label: 'weak' }, { label: 'strong' }]);
    await activateRouting(stack, m, {
      type: 'success_rate',
      data: {
        connectors: [choice(m, 'weak'), choice(m, 'strong')],
        window_size: WINDOW,
        window_seconds: 900,
        min_samples: 5,
        exploration_percent: 5,
        // Optimistic: a cold account ties with a perfect warm one, so both are measured before the router exploits.
        cold_floor: 1,
      },
    });
  });
  afterAll(() => stack.close());

  it('shifts the majority of traffic to the better connector within a window', async () => {
    const picks: string[] = [];
    let weakSeen = 0;
    let warmAt = -1;
    // Pay until both accounts are warm (min_samples outcomes each), then one more window.
    while (warmAt < 0 || picks.length < warmAt + WINDOW) {
      expect(picks.length).toBeLessThan(3 * WINDOW);
      const created = await pay(stack, m, 1000 + picks.length);
      expect(created.status).toBe(200);
      const decision = decisionOf(created);
      const samples = decision.details.samples as Record<string, number>;
      if (warmAt < 0 && samples[m.accounts.weak] >= 5 && samples[m.accounts.strong] >= 5) warmAt = picks.length;
      const picked = decision.selected.merchant_connector_id;
      picks.push(picked);
      const fails = picked === m.accounts.weak && weakSeen++ % 5 < 2;
      const { returnLocation } = await shopperActs(redirectOf(created), fails ? 'fail' : 'pay');
      expect(new URL(returnLocation!).searchParams.get('status')).toBe(fails ? 'failed' : 'succeeded');
    }
    // Warm-up split the traffic; the window after it goes mostly to the connector that does not decline.
    const afterWarmUp = picks.slice(warmAt, warmAt + WINDOW);
    expect(afterWarmUp.filter((p) => p === m.accounts.strong).length / WINDOW).toBeGreaterThanOrEqual(0.7);
    expect(warmAt).toBeLessThan(2 * WINDOW);

    const decision = decisionOf(await pay(stack, m, 5000));
    expect(decision.algorithm).toBe('success_rate');
    const scores = Object.fromEntries(decision.candidates.map((c) => [c.merchant_connector_id, c.score]));
    expect(scores[m.accounts.strong]).toBe(1);
    expect(scores[m.accounts.weak]).toBeLessThanOrEqual(0.7);
  });

  it('does not count a shopper cancelling against the processor', async () => {
    const before = decisionOf(await pay(stack, m, 7000));
    const strongSamples = (before.details.samples as Record<string, number>)[m.accounts.strong];
    // Pin to strong so the cancel lands there, then read the window through the next decision.
    const pinned = await pay(stack, m, 7001, { routing: { type: 'single', data: choice(m, 'strong') } });
    await shopperActs(redirectOf(pinned), 'cancel');
    const status = await call(stack.api, 'GET', `/payments/${String(pinned.body.payment_id)}`, { key: m.key });
    expect(status.body.status).toBe('cancelled');
    const after = decisionOf(await pay(stack, m, 7002));
    expect((after.details.samples as Record<string, number>)[m.accounts.strong]).toBe(strongSamples);
  });
});
