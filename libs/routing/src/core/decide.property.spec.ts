import fc from 'fast-check';
import { pickSplitEntry } from './algorithms';
import { AlgorithmSource, decideRoute } from './decide';
import { ineligibility } from './eligibility';
import { account, input, payment, pick, srParams } from './routing.spec-harness';
import type { AccountFacts, Algorithm, CircuitView, SplitEntry } from './routing.types';

/** Whole-percent splits adding up to 100 over 2–5 entries. */
const splits = fc
  .array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 })
  .map((cuts) => {
    const points = [...new Set(cuts)].sort((a, b) => a - b);
    const bounds = [0, ...points, 100];
    return bounds.slice(1).map((b, i) => b - bounds[i]);
  })
  .filter((weights) => weights.length >= 2);

const accountArb = (id: string) =>
  fc
    .record({
      disabled: fc.boolean(),
      mode: fc.constantFrom<'test' | 'live'>('test', 'test', 'live'),
      currencies: fc.constantFrom<AccountFacts['currencies']>('*', ['USD'], ['INR']),
      amountRepresentable: fc.boolean(),
      manualCapture: fc.boolean(),
    })
    .map((o) => account(id, o));

const circuitArb = fc.constantFrom<CircuitView | undefined>(
  undefined,
  { state: 'closed' },
  { state: 'open' },
  { state: 'half_open' },
);

describe('routing properties', () => {
  it('volume split converges to its percentages over many payment ids', () => {
    fc.assert(
      fc.property(splits, fc.string({ minLength: 1, maxLength: 8 }), (weights, prefix) => {
        const entries: SplitEntry[] = weights.map((w, i) => ({ connector: pick(`mca_${i}`), split: w }));
        const counts = weights.map(() => 0);
        const n = 20_000;
        for (let i = 0; i < n; i++) counts[pickSplitEntry(entries, `${prefix}_pay_${i}`, () => true)!]++;
        counts.forEach((c, i) => expect(Math.abs((100 * c) / n - weights[i])).toBeLessThan(1.5));
      }),
      { numRuns: 25 },
    );
  });

  it('a payment keeps its connector on every retry while eligibility is unchanged', () => {
    fc.assert(
      fc.property(splits, fc.string({ minLength: 1, maxLength: 30 }), (weights, paymentId) => {
        const algorithm: AlgorithmSource = {
          source: 'config',
          id: 'r',
          name: 'r',
          version: 1,
          algorithm: { type: 'volume_split', data: weights.map((w, i) => ({ connector: pick(`mca_${i}`), split: w })) },
        };
        const accounts = weights.map((_, i) => account(`mca_${i}`));
        const first = decideRoute(
          input({ payment: payment({ paymentId }), accounts, algorithm, seed: `${paymentId}_1` }),
        );
        const retry = decideRoute(
          input({ payment: payment({ paymentId }), accounts, algorithm, seed: `${paymentId}_2` }),
        );
        expect(retry.decision.selected).toEqual(first.decision.selected);
      }),
    );
  });

  it('never picks an ineligible account, whatever the algorithm, accounts, circuits and pins', () => {
    const ids = ['mca_0', 'mca_1', 'mca_2', 'mca_3'];
    const algorithmArb = fc.oneof(
      fc.constant<Algorithm | null>(null),
      fc.constantFrom(...ids).map((id): Algorithm => ({ type: 'single', data: pick(id) })),
      fc.shuffledSubarray(ids, { minLength: 1 }).map((s): Algorithm => ({ type: 'priority', data: s.map(pick) })),
      splits.map((w): Algorithm => ({
        type: 'volume_split',
        data: w.map((s, i) => ({ connector: pick(ids[i % 4]), split: s })).slice(0, 4),
      })),
      fc.constant<Algorithm>({
        type: 'success_rate',
        data: { connectors: ids.map(pick), ...srParams({ exploration_percent: 30 }) },
      }),
    );
    fc.assert(
      fc.property(
        fc.tuple(...ids.map(accountArb)),
        fc.tuple(...ids.map(() => circuitArb)),
        algorithmArb,
        fc.option(fc.shuffledSubarray(ids, { minLength: 1 }), { nil: null }),
        fc.subarray(ids),
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.constantFrom<'automatic' | 'manual'>('automatic', 'manual'),
        (accounts, circuits, algorithm, pinned, tried, paymentId, captureMethod) => {
          const p = payment({ paymentId, captureMethod });
          const circuitMap = Object.fromEntries(ids.map((id, i) => [id, circuits[i]]));
          const triedMap = Object.fromEntries(tried.map((id) => [id, `${id}_attempt`]));
          const source: AlgorithmSource = pinned
            ? { source: 'hint', kind: 'straight_through', output: { type: 'priority', data: pinned.map(pick) } }
            : algorithm && algorithm.type !== 'advanced'
              ? { source: 'config', id: 'r', name: 'r', version: 1, algorithm }
              : null;
          const r = decideRoute(
            input({
              payment: p,
              accounts,
              algorithm: source,
              circuits: circuitMap,
              tried: triedMap,
              seed: `${paymentId}_1`,
            }),
          );
          const pins = pinned ? pinned.map(pick) : null;
          for (const chosen of r.order) {
            const reason = ineligibility(chosen, {
              payment: p,
              circuits: circuitMap,
              tried: triedMap,
              pinned: pins,
              ignoreCircuits: r.decision.circuit_panic,
            });
            expect(reason).toBeNull();
          }
          if (r.decision.selected)
            expect(r.decision.selected.merchant_connector_id).toBe(r.order[0].merchantConnectorId);
          expect(
            r.decision.candidates
              .filter((c) => c.eligible)
              .map((c) => c.merchant_connector_id)
              .sort(),
          ).toEqual(r.order.map((a) => a.merchantConnectorId).sort());
        },
      ),
      { numRuns: 500 },
    );
  });
});
