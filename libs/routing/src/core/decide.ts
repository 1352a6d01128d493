import { orderOutput, rankBySuccessRate } from './algorithms';
import { CIRCUIT_OPEN_PREFIX, choiceMatches, EligibilityContext, ineligibility } from './eligibility';
import { evaluateRules } from './rules';
import type {
  AccountFacts,
  Algorithm,
  Choice,
  CircuitView,
  DecisionAlgorithm,
  Output,
  PaymentFacts,
  RoutingCandidate,
  RoutingDecision,
  WindowStats,
} from './routing.types';

/** Where the algorithm comes from: the profile's active config, the merchant's per-payment pin, or nothing. */
export type AlgorithmSource =
  | { source: 'config'; id: string; name: string; version: number; algorithm: Algorithm }
  | { source: 'hint'; kind: 'straight_through' | 'merchant_connector_list'; output: Output }
  | null;

export interface RouteInput {
  payment: PaymentFacts;
  /** The attempt id: seeds success-rate exploration and tie-breaks reproducibly. */
  seed: string;
  /** The profile's connector accounts in creation order. */
  accounts: readonly AccountFacts[];
  algorithm: AlgorithmSource;
  /** The profile's default fallback list; null = every account in creation order. */
  fallback: readonly Choice[] | null;
  circuits: Readonly<Record<string, CircuitView | undefined>>;
  stats: Readonly<Record<string, WindowStats | undefined>>;
  tried: Readonly<Record<string, string | undefined>>;
  retry?: { of: string; reason: string } | null;
}

export interface RouteResult {
  /** `selected` is the first of `order`; the caller may move on when a half-open probe is taken by someone else. */
  decision: Omit<RoutingDecision, 'selected'> & { selected: RoutingDecision['selected'] | null };
  /** Eligible accounts, best first: the pick, then what a cascading retry would try next. */
  order: AccountFacts[];
  /** Accounts in `order` whose circuit is half-open: the caller must win the probe before using one. */
  probes: string[];
}

/**
 * The whole routing decision, pure: rank the accounts the algorithm names, append the fallback list, mark every account
 * of the profile with why it cannot take the payment. When every eligible account has an open circuit the circuits are
 * ignored (panic mode, as Envoy does) rather than refusing payments a recovered connector might take.
 */
export function decideRoute(input: RouteInput): RouteResult {
  const normal = route(input, false);
  const blockedOnlyByCircuits = normal.decision.candidates.some((c) =>
    c.skipped_reason?.startsWith(CIRCUIT_OPEN_PREFIX),
  );
  if (normal.order.length > 0 || !blockedOnlyByCircuits) return normal;
  const panic = route(input, true);
  panic.decision.circuit_panic = true;
  return panic;
}

function route(input: RouteInput, ignoreCircuits: boolean): RouteResult {
  const { payment, accounts, algorithm } = input;
  const pinned = algorithm?.source === 'hint' ? outputChoices(algorithm.output) : null;
  const ctx: EligibilityContext = { payment, circuits: input.circuits, tried: input.tried, pinned, ignoreCircuits };
  const reasons = new Map(accounts.map((a) => [a.merchantConnectorId, ineligibility(a, ctx)]));
  const eligible = (a: AccountFacts) => reasons.get(a.merchantConnectorId) === null;
  const accountsOf = (choice: Choice) => accounts.filter((a) => choiceMatches(a, choice));
  const usableChoice = (choice: Choice) => accountsOf(choice).some(eligible);

  let name: DecisionAlgorithm = 'default_fallback';
  let rule: string | null = null;
  let details: Record<string, unknown> = {};
  let ranked: AccountFacts[] = [];
  const scores = new Map<string, number>();
  const rankOutput = (output: Output) => {
    const ordered = orderOutput(output, payment.paymentId, usableChoice);
    details = { ...details, ...ordered.details };
    return ordered.choices.flatMap(accountsOf);
  };
  if (algorithm?.source === 'hint') {
    name = algorithm.kind;
    ranked = rankOutput(algorithm.output);
  } else if (algorithm?.source === 'config') {
    const algo = algorithm.algorithm;
    name = algo.type;
    switch (algo.type) {
      case 'single':
      case 'priority':
      case 'volume_split':
        ranked = rankOutput(algo);
        break;
      case 'advanced': {
        const matched = evaluateRules(algo.data.rules, algo.data.default_selection, payment);
        rule = matched.rule;
        ranked = matched.output ? rankOutput(matched.output) : [];
        break;
      }
      case 'success_rate': {
        const named = unique(algo.data.connectors.flatMap(accountsOf));
        const { order, explored } = rankBySuccessRate(
          named.filter(eligible).map((a) => a.merchantConnectorId),
          input.stats,
          algo.data,
          input.seed,
        );
        for (const s of order) scores.set(s.id, round(s.score));
        const byId = new Map(named.map((a) => [a.merchantConnectorId, a]));
        ranked = [...order.flatMap((s) => byId.get(s.id) ?? []), ...named.filter((a) => !eligible(a))];
        details = { explored, samples: Object.fromEntries(order.map((s) => [s.id, s.samples])) };
        break;
      }
    }
  }

  const fromAlgorithm = unique(ranked);
  const seen = new Set(fromAlgorithm.map((a) => a.merchantConnectorId));
  const fallbackAccounts =
    algorithm?.source === 'hint' ? [] : input.fallback ? input.fallback.flatMap(accountsOf) : [...accounts];
  const fromFallback = unique(fallbackAccounts).filter((a) => !seen.has(a.merchantConnectorId));
  for (const a of fromFallback) seen.add(a.merchantConnectorId);
  const unnamed = accounts.filter((a) => !seen.has(a.merchantConnectorId));

  const candidates: RoutingCandidate[] = [];
  const order: AccountFacts[] = [];
  const push = (a: AccountFacts, source: RoutingCandidate['source'], forced: string | null) => {
    const reason = reasons.get(a.merchantConnectorId) ?? forced;
    const candidate: RoutingCandidate = {
      merchant_connector_id: a.merchantConnectorId,
      connector: a.connector,
      eligible: reason === null,
      skipped_reason: reason,
      source,
    };
    const score = scores.get(a.merchantConnectorId);
    if (score !== undefined) candidate.score = score;
    candidates.push(candidate);
    if (reason === null) order.push(a);
  };
  for (const a of fromAlgorithm) push(a, 'algorithm', null);
  for (const a of fromFallback) push(a, 'fallback', null);
  const notNamed = pinned ? 'not in the merchant routing hint' : 'not in the routing algorithm or the fallback list';
  for (const a of unnamed) push(a, 'fallback', notNamed);

  const first = order[0];
  return {
    decision: {
      algorithm: name,
      routing_algorithm:
        algorithm?.source === 'config' ? { id: algorithm.id, name: algorithm.name, version: algorithm.version } : null,
      rule,
      candidates,
      selected: first ? { merchant_connector_id: first.merchantConnectorId, connector: first.connector } : null,
      retry_of: input.retry?.of ?? null,
      retry_reason: input.retry?.reason ?? null,
      circuit_panic: false,
      details,
    },
    order,
    probes: order
      .filter((a) => !ignoreCircuits && input.circuits[a.merchantConnectorId]?.state === 'half_open')
      .map((a) => a.merchantConnectorId),
  };
}

export function outputChoices(output: Output): Choice[] {
  switch (output.type) {
    case 'single':
      return [output.data];
    case 'priority':
      return output.data;
    case 'volume_split':
      return output.data.map((e) => e.connector);
  }
}

function unique(accounts: readonly AccountFacts[]): AccountFacts[] {
  const seen = new Set<string>();
  return accounts.filter((a) => !seen.has(a.merchantConnectorId) && seen.add(a.merchantConnectorId));
}

function round(score: number): number {
  return Math.round(score * 10000) / 10000;
}
