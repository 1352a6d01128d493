import { Injectable } from '@nestjs/common';
import type { PaymentIntentEntity } from '@switchyard/database';
import { PaymentFacts, RoutedAttempt, RoutingHints, RoutingService } from '@switchyard/routing';

export type { RoutingCandidate, RoutingDecision, RoutingHints } from '@switchyard/routing';

/** A cascading retry: accounts this confirm already tried, and the attempt being retried. */
export interface CascadeState {
  tried: Record<string, string>;
  retry: { of: string; reason: string } | null;
  /** The confirm carries raw card data: only adapters that take raw cards are eligible. */
  rawCard?: boolean;
}

/**
 * The payments side of routing: turns an intent into the facts routing decides on. The decision itself (config, rules,
 * splits, success rates, circuits, eligibility) is `@switchyard/routing`'s.
 */
@Injectable()
export class ConnectorSelector {
  constructor(private readonly routing: RoutingService) {}

  select(
    intent: PaymentIntentEntity,
    hints: RoutingHints,
    cascade: CascadeState = { tried: {}, retry: null },
  ): Promise<RoutedAttempt> {
    return this.routing.route({
      merchantId: intent.merchantId,
      profileId: intent.profileId,
      attemptId: `${intent.paymentId}_${intent.attemptCount + 1}`,
      payment: { ...paymentFacts(intent), rawCard: cascade.rawCard ?? false },
      hints,
      tried: cascade.tried,
      retry: cascade.retry,
    });
  }
}

export function paymentFacts(intent: PaymentIntentEntity): PaymentFacts {
  const metadata = (intent.metadata ?? {}) as Record<string, unknown>;
  return {
    paymentId: intent.paymentId,
    amount: intent.amount,
    currency: intent.currency,
    captureMethod: intent.captureMethod === 'manual' ? 'manual' : 'automatic',
    paymentMethod: intent.paymentMethod,
    paymentMethodType: intent.paymentMethodType,
    country: countryOf(metadata),
    metadata,
    mode: intent.mode,
  };
}

/**
 * The payments API does not take a billing address yet, so the country rules see is the merchant's
 * `metadata.billing_country` (or `metadata.country`): ISO 3166 alpha-2, case-insensitive. Once `billing` is accepted,
 * its `address.country` should come first.
 */
export function countryOf(metadata: Record<string, unknown>): string | null {
  for (const key of ['billing_country', 'country']) {
    const value = metadata[key];
    if (typeof value === 'string' && /^[A-Za-z]{2}$/.test(value)) return value.toUpperCase();
  }
  return null;
}
