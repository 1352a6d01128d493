import { Injectable } from '@nestjs/common';
import { DomainError } from '@switchyard/common';
import { ConnectorRegistry } from '@switchyard/connectors';
import type { ConnectorAccountEntity } from '@switchyard/database';
import { RoutingConfigRepository } from './config/routing-config.repository';
import { RoutingConfigService } from './config/routing-config.service';
import { validated } from './config/routing-config.views';
import { AlgorithmSource, decideRoute } from './core/decide';
import { CIRCUIT_OPEN_PREFIX } from './core/eligibility';
import type { AccountFacts, Algorithm, Choice, PaymentFacts, RoutingDecision, WindowStats } from './core/routing.types';
import { parseAlgorithm, parseStraightThrough } from './core/validation/algorithm.validator';
import { CircuitBreakerService } from './health/circuit-breaker.service';
import { SuccessRateWindow } from './health/success-rate.window';
import { DEFAULT_MAX_CASCADE_RETRIES } from './retry/cascade-policy';

/** The merchant's per-payment pin: Hyperswitch's `routing` (StraightThroughAlgorithm) and `connector` list. */
export interface RoutingHints {
  routing?: { type: string; data: unknown } | null;
  connector?: string[] | null;
}

export interface RouteRequest {
  merchantId: string;
  profileId: string;
  /** Seeds success-rate exploration reproducibly. */
  attemptId: string;
  payment: PaymentFacts;
  hints: RoutingHints;
  /** Accounts this confirm already tried (cascading retry) → their attempt. */
  tried?: Record<string, string>;
  retry?: { of: string; reason: string } | null;
}

export interface RoutedAttempt {
  account: ConnectorAccountEntity;
  decision: RoutingDecision;
  /** Set when this attempt is a half-open circuit's probe: hand it back with the call's outcome. */
  probe: string | null;
  /** The profile's cascading-retry budget. */
  maxCascadeRetries: number;
}

/** A payment method routing can serve for a payment, and the connectors that would take it (best first). */
export interface ServableMethod {
  paymentMethod: string;
  connectors: string[];
}

const PARSED_CACHE_LIMIT = 1000;

/**
 * Picks the connector account for an attempt: reads the profile's active config and fallback list (Postgres), circuit
 * states and, for success-rate routing, the outcome windows (Redis), then lets the pure `decideRoute` decide. A
 * half-open account is only used by the request that wins its probe.
 */
@Injectable()
export class RoutingService {
  /** Config versions never change, so a parsed algorithm can be kept for the life of the process. */
  private readonly parsed = new Map<string, Algorithm>();

  constructor(
    private readonly repo: RoutingConfigRepository,
    private readonly configs: RoutingConfigService,
    private readonly registry: ConnectorRegistry,
    private readonly breaker: CircuitBreakerService,
    private readonly window: SuccessRateWindow,
  ) {}

  async route(req: RouteRequest): Promise<RoutedAttempt> {
    const { payment } = req;
    const [entities, { settings, config }] = await Promise.all([
      this.configs.profileAccounts(req.merchantId, req.profileId),
      this.repo.forPayment(req.merchantId, req.profileId, payment.mode),
    ]);
    const algorithm: AlgorithmSource = hintSource(req.hints) ?? (config ? this.configSource(config) : null);
    const accounts = entities.map((e) => this.facts(e, payment));
    const ids = accounts.map((a) => a.merchantConnectorId);
    const [circuits, stats] = await Promise.all([this.breaker.view(ids), this.statsFor(algorithm, ids)]);
    const result = decideRoute({
      payment,
      seed: req.attemptId,
      accounts,
      algorithm,
      fallback: (settings?.defaultFallback as Choice[] | null | undefined) ?? null,
      circuits,
      stats,
      tried: req.tried ?? {},
      retry: req.retry,
    });
    const { decision } = result;
    const byId = new Map(entities.map((e) => [e.merchantConnectorId, e]));
    for (const candidate of result.order) {
      const id = candidate.merchantConnectorId;
      let probe: string | null = null;
      if (result.probes.includes(id)) {
        probe = await this.breaker.acquireProbe(id);
        if (!probe) {
          const skipped = decision.candidates.find((c) => c.merchant_connector_id === id);
          if (skipped)
            Object.assign(skipped, {
              eligible: false,
              skipped_reason: `${CIRCUIT_OPEN_PREFIX} (half-open: another request is probing it)`,
            });
          continue;
        }
        decision.details = { ...decision.details, circuit_probe: true };
      }
      const account = byId.get(id);
      if (!account) continue;
      return {
        account,
        decision: { ...decision, selected: { merchant_connector_id: id, connector: candidate.connector } },
        probe,
        maxCascadeRetries: settings?.maxCascadeRetries ?? DEFAULT_MAX_CASCADE_RETRIES,
      };
    }
    throw new DomainError(
      'NoEligibleConnector',
      'No eligible connector was found for the current payment method configuration',
      { data: decision.candidates },
    );
  }

  /**
   * Read-only: the payment methods this payment could be routed with right now, i.e. `route`'s own decision run once per
   * method the profile's accounts offer (adapter capabilities × the account's enabled methods), with the same config,
   * rules, fallback and pin. Circuits are left out (panic mode would ignore them anyway) and no probe is taken.
   */
  async servablePaymentMethods(
    req: Pick<RouteRequest, 'merchantId' | 'profileId' | 'payment' | 'hints'>,
  ): Promise<ServableMethod[]> {
    const [entities, { settings, config }] = await Promise.all([
      this.configs.profileAccounts(req.merchantId, req.profileId),
      this.repo.forPayment(req.merchantId, req.profileId, req.payment.mode),
    ]);
    const algorithm: AlgorithmSource = hintSource(req.hints) ?? (config ? this.configSource(config) : null);
    const offered = new Set<string>();
    for (const entity of entities) {
      const facts = this.facts(entity, req.payment);
      for (const method of facts.paymentMethods) {
        if (!facts.enabledPaymentMethods || facts.enabledPaymentMethods.includes(method)) offered.add(method);
      }
    }
    const servable: ServableMethod[] = [];
    for (const method of offered) {
      const payment = { ...req.payment, paymentMethod: method };
      const { order } = decideRoute({
        payment,
        seed: payment.paymentId,
        accounts: entities.map((e) => this.facts(e, payment)),
        algorithm,
        fallback: (settings?.defaultFallback as Choice[] | null | undefined) ?? null,
        circuits: {},
        stats: {},
        tried: {},
      });
      if (order.length)
        servable.push({ paymentMethod: method, connectors: [...new Set(order.map((a) => a.connector))] });
    }
    return servable;
  }

  private configSource(config: {
    algorithmId: string;
    name: string;
    version: number;
    algorithm: object;
  }): AlgorithmSource {
    let algorithm = this.parsed.get(config.algorithmId);
    if (!algorithm) {
      algorithm = parseAlgorithm(config.algorithm).algorithm;
      if (this.parsed.size >= PARSED_CACHE_LIMIT) this.parsed.clear();
      this.parsed.set(config.algorithmId, algorithm);
    }
    return { source: 'config', id: config.algorithmId, name: config.name, version: config.version, algorithm };
  }

  private async statsFor(algorithm: AlgorithmSource, ids: string[]): Promise<Record<string, WindowStats>> {
    if (algorithm?.source !== 'config' || algorithm.algorithm.type !== 'success_rate') return {};
    const { window_size: size, window_seconds: seconds } = algorithm.algorithm.data;
    return this.window.stats(ids, { size, seconds });
  }

  private facts(account: ConnectorAccountEntity, payment: PaymentFacts): AccountFacts {
    const registered = this.registry.has(account.connectorName);
    const connector = registered ? this.registry.get(account.connectorName) : null;
    const enabled = (account.paymentMethodsEnabled ?? [])
      .map((pm) => (pm as { payment_method?: unknown }).payment_method)
      .filter((pm): pm is string => typeof pm === 'string');
    return {
      merchantConnectorId: account.merchantConnectorId,
      connector: account.connectorName,
      mode: account.mode,
      disabled: account.disabled,
      registered,
      currencies: connector?.features.currencies ?? [],
      paymentMethods: connector?.features.paymentMethods ?? [],
      manualCapture: connector?.features.manualCapture ?? false,
      rawCards: connector?.features.rawCards ?? false,
      amountRepresentable: connector
        ? representable(() => connector.supportsAmount(payment.amount, payment.currency))
        : false,
      enabledPaymentMethods: enabled.length ? enabled : null,
    };
  }
}

/** The merchant's pin, validated like a config's output (a malformed one is the request's fault: 4xx). */
function hintSource(hints: RoutingHints): AlgorithmSource {
  if (hints.routing) {
    return { source: 'hint', kind: 'straight_through', output: validated(() => parseStraightThrough(hints.routing)) };
  }
  if (hints.connector?.length) {
    return {
      source: 'hint',
      kind: 'merchant_connector_list',
      output: { type: 'priority', data: hints.connector.map((connector) => ({ connector })) },
    };
  }
  return null;
}

function representable(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
