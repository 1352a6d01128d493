/**
 * The routing vocabulary. Everything under `core/` is pure (no I/O, no clock, no randomness of its own) so it can be
 * unit- and property-tested and benchmarked; the services feed it facts read from Postgres and Redis.
 */

/** A connector choice as Hyperswitch writes it: a connector name, optionally pinned to one account. */
export interface Choice {
  connector: string;
  merchant_connector_id?: string;
}

export interface SplitEntry {
  connector: Choice;
  /** Whole percent; the entries of one split add up to 100. */
  split: number;
}

/** What a rule (or a straight-through hint) resolves to. */
export type Output =
  | { type: 'single'; data: Choice }
  | { type: 'priority'; data: Choice[] }
  | { type: 'volume_split'; data: SplitEntry[] };

export type Lhs = 'amount' | 'currency' | 'payment_method' | 'payment_method_type' | 'country' | `metadata.${string}`;

export type Comparison =
  'equal' | 'not_equal' | 'less_than' | 'less_than_equal' | 'greater_than' | 'greater_than_equal' | 'in' | 'not_in';

export interface Condition {
  lhs: Lhs;
  comparison: Comparison;
  value: number | string | string[];
}

/** Conditions inside a statement are ANDed; the statements of a rule are ORed (Hyperswitch's reading). */
export interface Statement {
  condition: Condition[];
}

export interface Rule {
  name: string;
  statements: Statement[];
  connector_selection: Output;
}

export interface SuccessRateParams {
  /** Most recent outcomes per connector account that count. */
  window_size: number;
  /** Outcomes older than this do not count, however few there are. */
  window_seconds: number;
  /** Warm-up: below this many outcomes in the window an account is cold and scored at `cold_floor`. */
  min_samples: number;
  /** Share of payments sent to a connector other than the best one, so every window stays fresh. */
  exploration_percent: number;
  /** The score of a cold account (0..1): its few outcomes are not trusted yet, either way. */
  cold_floor: number;
}

export type Algorithm =
  | Output
  | { type: 'advanced'; data: { rules: Rule[]; default_selection?: Output } }
  | { type: 'success_rate'; data: { connectors: Choice[] } & SuccessRateParams };

export type AlgorithmType = Algorithm['type'];

/** The payment as routing sees it. */
export interface PaymentFacts {
  paymentId: string;
  amount: number;
  currency: string;
  captureMethod: 'automatic' | 'manual';
  paymentMethod: string | null;
  paymentMethodType: string | null;
  /** The merchant sent raw card data (server to server): only adapters that take raw cards can carry it. */
  rawCard?: boolean;
  /** ISO 3166 alpha-2, upper case; see docs/routing.md for where it comes from. */
  country: string | null;
  metadata: Record<string, unknown>;
  mode: 'test' | 'live';
}

/** A connector account of the payment's profile, with what its adapter says about this payment precomputed. */
export interface AccountFacts {
  merchantConnectorId: string;
  connector: string;
  mode: 'test' | 'live';
  disabled: boolean;
  /** false when this build has no adapter for the connector */
  registered: boolean;
  currencies: readonly string[] | '*';
  paymentMethods: readonly string[];
  manualCapture: boolean;
  /** The adapter can take raw card data server to server (tokenize or seamless card payment). */
  rawCards?: boolean;
  /** The adapter can express this payment's amount exactly. */
  amountRepresentable: boolean;
  /** payment_methods_enabled of the account, when it restricts them */
  enabledPaymentMethods: readonly string[] | null;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/** A breaker as routing sees it: open ones are skipped; a half-open one takes a single probe. */
export interface CircuitView {
  state: CircuitState;
  /** When an open circuit lets its next probe through (ISO), for the decision record. */
  retryAt?: string | null;
  /** Half-open with a probe in flight: routed around like an open circuit until the probe answers. */
  probing?: boolean;
}

export interface WindowStats {
  success: number;
  failure: number;
  unknown: number;
}

export interface RoutingCandidate {
  merchant_connector_id: string;
  connector: string;
  eligible: boolean;
  skipped_reason: string | null;
  /** algorithm: named by the algorithm (or hint); fallback: from the profile's default fallback list */
  source: 'algorithm' | 'fallback';
  /** success-rate routing only: the score it was ranked by */
  score?: number;
}

export type DecisionAlgorithm = AlgorithmType | 'straight_through' | 'merchant_connector_list' | 'default_fallback';

/** Stored on each attempt as `routing_decision` and returned with the payment. */
export interface RoutingDecision {
  algorithm: DecisionAlgorithm;
  /** The profile's routing config that decided, when one did. */
  routing_algorithm: { id: string; name: string; version: number } | null;
  /** advanced routing: the rule that matched (null = default selection or fallback). */
  rule: string | null;
  candidates: RoutingCandidate[];
  selected: { merchant_connector_id: string; connector: string };
  /** Cascading retry: the attempt this one retries, and why that one was retried. */
  retry_of: string | null;
  retry_reason: string | null;
  /** Every eligible account had an open circuit, so circuits were ignored rather than refusing the payment. */
  circuit_panic: boolean;
  /** Algorithm-specific facts: volume-split bucket, success-rate exploration. */
  details: Record<string, unknown>;
}
