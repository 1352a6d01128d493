import { AlgorithmSource, decideRoute } from './decide';
import { account, input, payment, pick, srParams } from './routing.spec-harness';
import type { Algorithm } from './routing.types';

const config = (algorithm: Algorithm): AlgorithmSource => ({
  source: 'config',
  id: 'routing_1',
  name: 'test',
  version: 3,
  algorithm,
});
const ids = (order: { merchantConnectorId: string }[]) => order.map((a) => a.merchantConnectorId);
const reasonOf = (r: ReturnType<typeof decideRoute>, id: string) =>
  r.decision.candidates.find((c) => c.merchant_connector_id === id)?.skipped_reason;

describe('decideRoute', () => {
  it('without a config uses every account in creation order (default fallback)', () => {
    const r = decideRoute(input());
    expect(r.decision.algorithm).toBe('default_fallback');
    expect(ids(r.order)).toEqual(['mca_a', 'mca_b', 'mca_c']);
    expect(r.decision.selected).toEqual({ merchant_connector_id: 'mca_a', connector: 'generic' });
    expect(r.decision.routing_algorithm).toBeNull();
  });

  it('follows a stored fallback list and says why the other accounts are not used', () => {
    const r = decideRoute(input({ fallback: [pick('mca_c'), pick('mca_a')] }));
    expect(ids(r.order)).toEqual(['mca_c', 'mca_a']);
    expect(reasonOf(r, 'mca_b')).toBe('not in the routing algorithm or the fallback list');
  });

  it('single: the named account, then the fallback list for cascades', () => {
    const r = decideRoute(input({ algorithm: config({ type: 'single', data: pick('mca_b') }) }));
    expect(ids(r.order)).toEqual(['mca_b', 'mca_a', 'mca_c']);
    expect(r.decision.candidates.map((c) => c.source)).toEqual(['algorithm', 'fallback', 'fallback']);
    expect(r.decision.routing_algorithm).toEqual({ id: 'routing_1', name: 'test', version: 3 });
  });

  it('priority: in order, skipping what is ineligible with the reason', () => {
    const accounts = [account('mca_a'), account('mca_b', { disabled: true }), account('mca_c')];
    const algorithm = config({ type: 'priority', data: [pick('mca_b'), pick('mca_c'), pick('mca_a')] });
    const r = decideRoute(input({ accounts, algorithm }));
    expect(ids(r.order)).toEqual(['mca_c', 'mca_a']);
    expect(reasonOf(r, 'mca_b')).toBe('connector account disabled');
  });

  it('a name-only choice means every account of that connector, oldest first', () => {
    const accounts = [
      account('mca_t1', { connector: 'tap' }),
      account('mca_g'),
      account('mca_t2', { connector: 'tap' }),
    ];
    const r = decideRoute(input({ accounts, algorithm: config({ type: 'single', data: { connector: 'tap' } }) }));
    expect(ids(r.order)).toEqual(['mca_t1', 'mca_t2', 'mca_g']);
  });

  it('advanced: records the matching rule and routes by its output', () => {
    const algorithm = config({
      type: 'advanced',
      data: {
        rules: [
          {
            name: 'inr',
            statements: [{ condition: [{ lhs: 'currency', comparison: 'equal', value: 'INR' }] }],
            connector_selection: { type: 'single', data: pick('mca_c') },
          },
        ],
        default_selection: { type: 'single', data: pick('mca_b') },
      },
    });
    const inr = decideRoute(input({ payment: payment({ currency: 'INR' }), algorithm }));
    expect(inr.decision.rule).toBe('inr');
    expect(inr.order[0].merchantConnectorId).toBe('mca_c');
    const usd = decideRoute(input({ algorithm }));
    expect(usd.decision.rule).toBeNull();
    expect(usd.order[0].merchantConnectorId).toBe('mca_b');
  });

  it('success rate: ranks by score and records scores and samples', () => {
    const algorithm = config({
      type: 'success_rate',
      data: { connectors: [pick('mca_a'), pick('mca_b')], ...srParams({ exploration_percent: 0, min_samples: 5 }) },
    });
    const stats = { mca_a: { success: 3, failure: 7, unknown: 0 }, mca_b: { success: 9, failure: 1, unknown: 0 } };
    const r = decideRoute(input({ algorithm, stats }));
    expect(ids(r.order)).toEqual(['mca_b', 'mca_a', 'mca_c']);
    expect(r.decision.candidates.slice(0, 2).map((c) => c.score)).toEqual([0.9, 0.3]);
    expect(r.decision.details).toMatchObject({ explored: false, samples: { mca_a: 10, mca_b: 10 } });
  });

  it('a merchant pin restricts to the pinned accounts and appends no fallback', () => {
    const algorithm: AlgorithmSource = {
      source: 'hint',
      kind: 'straight_through',
      output: { type: 'priority', data: [pick('mca_c'), pick('mca_b')] },
    };
    const r = decideRoute(input({ algorithm }));
    expect(r.decision.algorithm).toBe('straight_through');
    expect(ids(r.order)).toEqual(['mca_c', 'mca_b']);
    expect(reasonOf(r, 'mca_a')).toBe('not in the merchant routing hint');
  });

  it('skips an open circuit and asks for a probe on a half-open one', () => {
    const circuits = { mca_a: { state: 'open' as const }, mca_b: { state: 'half_open' as const } };
    const r = decideRoute(input({ circuits }));
    expect(ids(r.order)).toEqual(['mca_b', 'mca_c']);
    expect(r.probes).toEqual(['mca_b']);
    expect(reasonOf(r, 'mca_a')).toBe('circuit open');
    expect(r.decision.circuit_panic).toBe(false);
  });

  it('ignores circuits (panic) only when every otherwise eligible account is open', () => {
    const circuits = { mca_a: { state: 'open' as const }, mca_b: { state: 'open' as const } };
    const accounts = [account('mca_a'), account('mca_b'), account('mca_c', { disabled: true })];
    const r = decideRoute(input({ accounts, circuits }));
    expect(r.decision.circuit_panic).toBe(true);
    expect(ids(r.order)).toEqual(['mca_a', 'mca_b']);
    expect(reasonOf(r, 'mca_c')).toBe('connector account disabled');
  });

  it('a cascade skips what it already tried and names the attempt it retries', () => {
    const r = decideRoute(
      input({ tried: { mca_a: 'pay_test_1_1' }, retry: { of: 'pay_test_1_1', reason: 'UNAUTHENTICATED' } }),
    );
    expect(r.order[0].merchantConnectorId).toBe('mca_b');
    expect(reasonOf(r, 'mca_a')).toBe('already tried for this payment (attempt pay_test_1_1)');
    expect(r.decision).toMatchObject({ retry_of: 'pay_test_1_1', retry_reason: 'UNAUTHENTICATED' });
  });

  it('returns no order (and no pick) when nothing is eligible', () => {
    const r = decideRoute(input({ payment: payment({ mode: 'live' }) }));
    expect(r.order).toEqual([]);
    expect(r.decision.selected).toBeNull();
    expect(r.decision.candidates.every((c) => !c.eligible)).toBe(true);
  });
});
