import { performance } from 'node:perf_hooks';
import { AlgorithmSource, decideRoute, RouteInput } from '../core/decide';
import type { AccountFacts, Algorithm, PaymentFacts, Rule } from '../core/routing.types';
import { parseAlgorithm, SUCCESS_RATE_DEFAULTS } from '../core/validation/algorithm.validator';

/**
 * The routing decision's own cost (`npm run bench -- routing`): `decideRoute` over a 50-rule advanced config, six
 * accounts with one open circuit, payments spread so that about half fall through every rule to the default selection
 * (the worst case: all 50 rules evaluated). I/O is not included: a real route adds two primary-key reads in Postgres
 * and one or two pipelined Redis reads, shared with the payment's own round trips.
 */
export interface BenchCase {
  name: string;
  decisions_per_second: number;
  mean_us: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
}

const ACCOUNTS: AccountFacts[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((x, i) => ({
  merchantConnectorId: `mca_${x}`,
  connector: i < 4 ? 'generic' : 'tap',
  mode: 'test',
  disabled: false,
  registered: true,
  currencies: i < 4 ? '*' : ['USD', 'KWD', 'AED'],
  paymentMethods: ['card', 'wallet', 'bank_redirect'],
  manualCapture: i >= 4,
  amountRepresentable: true,
  enabledPaymentMethods: null,
}));
const pick = (i: number) => ({
  connector: ACCOUNTS[i % 6].connector,
  merchant_connector_id: ACCOUNTS[i % 6].merchantConnectorId,
});
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'IN', 'AE', 'KW', 'SA', 'NG', 'BR'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'INR', 'AED', 'KWD'];

/** 50 rules, two statements each (ORed) of two or three conditions (ANDed), outputs cycling single/priority/split. */
export function fiftyRuleConfig(): Algorithm {
  const rules: Rule[] = [];
  for (let i = 0; i < 50; i++) {
    const output =
      i % 3 === 0
        ? { type: 'single' as const, data: pick(i) }
        : i % 3 === 1
          ? { type: 'priority' as const, data: [pick(i), pick(i + 1), pick(i + 2)] }
          : {
              type: 'volume_split' as const,
              data: [
                { connector: pick(i), split: 60 },
                { connector: pick(i + 1), split: 40 },
              ],
            };
    rules.push({
      name: `rule_${i}`,
      statements: [
        {
          condition: [
            { lhs: 'amount', comparison: 'greater_than', value: 100_000 + i * 1000 },
            { lhs: 'currency', comparison: 'in', value: [CURRENCIES[i % 6], CURRENCIES[(i + 1) % 6]] },
            { lhs: 'metadata.segment', comparison: 'equal', value: `seg_${i}` },
          ],
        },
        {
          condition: [
            { lhs: 'country', comparison: 'equal', value: COUNTRIES[i % 10] },
            { lhs: 'payment_method', comparison: 'equal', value: 'wallet' },
            { lhs: 'metadata.tier', comparison: 'not_in', value: ['gold', 'platinum'] },
          ],
        },
      ],
      connector_selection: output,
    });
  }
  const raw = {
    type: 'advanced',
    data: { rules, default_selection: { type: 'priority', data: [pick(0), pick(1), pick(4)] } },
  };
  return parseAlgorithm(raw).algorithm;
}

function payments(n: number): PaymentFacts[] {
  return Array.from({ length: n }, (_, i) => ({
    paymentId: `pay_bench_${i.toString(36).padStart(8, '0')}`,
    amount: 500 + ((i * 7919) % 200_000),
    currency: CURRENCIES[i % 6],
    captureMethod: i % 10 === 0 ? 'manual' : 'automatic',
    paymentMethod: i % 2 === 0 ? 'card' : 'wallet',
    paymentMethodType: null,
    country: COUNTRIES[(i * 3) % 10],
    metadata: { segment: `seg_${i % 70}`, tier: i % 4 === 0 ? 'gold' : 'silver' },
    mode: 'test',
  }));
}

function inputs(algorithm: Algorithm, n: number): RouteInput[] {
  const source: AlgorithmSource = { source: 'config', id: 'routing_bench', name: 'bench', version: 1, algorithm };
  return payments(n).map((payment) => ({
    payment,
    seed: `${payment.paymentId}_1`,
    accounts: ACCOUNTS,
    algorithm: source,
    fallback: null,
    circuits: { mca_c: { state: 'open', retryAt: '2030-01-01T00:00:00.000Z' } },
    stats: {
      mca_a: { success: 80, failure: 15, unknown: 5 },
      mca_b: { success: 92, failure: 8, unknown: 0 },
      mca_e: { success: 3, failure: 1, unknown: 0 },
    },
    tried: {},
  }));
}

export function measure(name: string, cases: RouteInput[], seconds: number): BenchCase {
  for (let i = 0; i < 20_000; i++) decideRoute(cases[i % cases.length]); // warm-up: let the JIT settle
  const samples: number[] = [];
  let count = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      decideRoute(cases[count++ % cases.length]);
      samples.push(performance.now() - t0);
    }
  }
  const elapsedMs = performance.now() - started;
  samples.sort((a, b) => a - b);
  const us = (ms: number) => Math.round(ms * 1000 * 100) / 100;
  return {
    name,
    decisions_per_second: Math.round((count / elapsedMs) * 1000),
    mean_us: us(elapsedMs / count),
    p50_us: us(samples[Math.floor(samples.length * 0.5)]),
    p99_us: us(samples[Math.floor(samples.length * 0.99)]),
    max_us: us(samples[samples.length - 1]),
  };
}

/** Every case of the routing benchmark; `seconds` per case. */
export function runRoutingBench(seconds = 3): { cases: BenchCase[]; parse_50_rules_us: number } {
  const rules = fiftyRuleConfig();
  const parseRuns = 2000;
  const raw = JSON.parse(JSON.stringify(rules)) as unknown;
  const t0 = performance.now();
  for (let i = 0; i < parseRuns; i++) parseAlgorithm(raw);
  const parseUs = Math.round(((performance.now() - t0) / parseRuns) * 1000 * 100) / 100;
  const sr: Algorithm = {
    type: 'success_rate',
    data: { connectors: ACCOUNTS.map((_, i) => pick(i)), ...SUCCESS_RATE_DEFAULTS },
  };
  const split: Algorithm = {
    type: 'volume_split',
    data: [0, 1, 2, 3].map((i) => ({ connector: pick(i), split: 25 })),
  };
  return {
    cases: [
      measure('advanced, 50 rules (6 accounts, 1 open circuit)', inputs(rules, 4096), seconds),
      measure('volume split, 4 entries', inputs(split, 4096), seconds),
      measure('success rate, 6 accounts', inputs(sr, 4096), seconds),
    ],
    parse_50_rules_us: parseUs,
  };
}
