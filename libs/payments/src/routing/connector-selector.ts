import { Injectable } from '@nestjs/common';
import { DomainError } from '@switchyard/common';
import { ConnectorRegistry } from '@switchyard/connectors';
import { ConnectorAccountEntity } from '@switchyard/database';
import { ConnectorAccountsService } from '@switchyard/merchants';
import type { PaymentIntentEntity } from '@switchyard/database';

export interface RoutingCandidate {
  merchant_connector_id: string;
  connector: string;
  eligible: boolean;
  skipped_reason: string | null;
}

export interface RoutingDecision {
  algorithm: 'straight_through' | 'merchant_connector_list' | 'default_priority';
  candidates: RoutingCandidate[];
  selected: { merchant_connector_id: string; connector: string };
}

/** Merchant's per-payment hints, Hyperswitch's `routing` (StraightThroughAlgorithm) and `connector` list. */
export interface RoutingHints {
  routing?: { type: string; data: unknown } | null;
  connector?: string[] | null;
}

/**
 * Picks the connector account for a new attempt: eligibility (enabled, same mode, registered adapter, currency, exact
 * amount format, capture method, payment method) then the merchant's hint, then creation order. The routing issue
 * replaces the ordering with rules, splits and success rates; the eligibility and the recorded decision stay.
 */
@Injectable()
export class ConnectorSelector {
  constructor(
    private readonly accounts: ConnectorAccountsService,
    private readonly registry: ConnectorRegistry,
  ) {}

  async select(
    intent: PaymentIntentEntity,
    hints: RoutingHints,
  ): Promise<{ account: ConnectorAccountEntity; decision: RoutingDecision }> {
    const usable = await this.accounts.usable(intent.merchantId, intent.profileId, intent.mode);
    const wanted = this.wanted(hints);
    const candidates: RoutingCandidate[] = [];
    const eligible: ConnectorAccountEntity[] = [];
    for (const account of usable) {
      const reason = this.ineligibility(account, intent) ?? this.hintMismatch(account, wanted);
      candidates.push({
        merchant_connector_id: account.merchantConnectorId,
        connector: account.connectorName,
        eligible: reason === null,
        skipped_reason: reason,
      });
      if (reason === null) eligible.push(account);
    }
    const ordered = wanted.order.length ? this.orderBy(eligible, wanted.order) : eligible;
    const account = ordered[0];
    if (!account) {
      throw new DomainError(
        'NoEligibleConnector',
        'No eligible connector was found for the current payment method configuration',
        {
          data: candidates,
        },
      );
    }
    return {
      account,
      decision: {
        algorithm: wanted.algorithm,
        candidates,
        selected: { merchant_connector_id: account.merchantConnectorId, connector: account.connectorName },
      },
    };
  }

  private ineligibility(account: ConnectorAccountEntity, intent: PaymentIntentEntity): string | null {
    if (!this.registry.has(account.connectorName)) return 'connector not available in this build';
    const connector = this.registry.get(account.connectorName);
    const { currencies } = connector.features;
    if (currencies !== '*' && !currencies.includes(intent.currency)) return `currency ${intent.currency} not supported`;
    if (!connector.supportsAmount(intent.amount, intent.currency))
      return 'amount cannot be expressed exactly in the connector format';
    if (intent.captureMethod === 'manual' && !connector.features.manualCapture) return 'manual capture not supported';
    if (intent.paymentMethod && !connector.features.paymentMethods.includes(intent.paymentMethod)) {
      return `payment method ${intent.paymentMethod} not supported`;
    }
    if (intent.paymentMethod && account.paymentMethodsEnabled?.length) {
      const enabled = account.paymentMethodsEnabled.some(
        (pm) => (pm as { payment_method?: unknown }).payment_method === intent.paymentMethod,
      );
      if (!enabled) return `payment method ${intent.paymentMethod} not enabled on this account`;
    }
    return null;
  }

  private hintMismatch(account: ConnectorAccountEntity, wanted: Wanted): string | null {
    if (!wanted.order.length) return null;
    const matches = wanted.order.some((w) => this.matches(account, w));
    return matches ? null : 'not in the merchant routing hint';
  }

  private orderBy(accounts: ConnectorAccountEntity[], order: WantedChoice[]): ConnectorAccountEntity[] {
    const rank = (a: ConnectorAccountEntity) => order.findIndex((w) => this.matches(a, w));
    return [...accounts].sort((a, b) => rank(a) - rank(b));
  }

  private matches(account: ConnectorAccountEntity, choice: WantedChoice): boolean {
    if (choice.merchantConnectorId) return account.merchantConnectorId === choice.merchantConnectorId;
    return account.connectorName === choice.connector;
  }

  private wanted(hints: RoutingHints): Wanted {
    const routing = hints.routing;
    if (routing?.type === 'single') {
      return { algorithm: 'straight_through', order: [toChoice(routing.data)] };
    }
    if (routing?.type === 'priority' && Array.isArray(routing.data)) {
      return { algorithm: 'straight_through', order: routing.data.map(toChoice) };
    }
    if (hints.connector?.length) {
      return { algorithm: 'merchant_connector_list', order: hints.connector.map((connector) => ({ connector })) };
    }
    return { algorithm: 'default_priority', order: [] };
  }
}

interface WantedChoice {
  connector?: string;
  merchantConnectorId?: string;
}

interface Wanted {
  algorithm: RoutingDecision['algorithm'];
  order: WantedChoice[];
}

function toChoice(data: unknown): WantedChoice {
  const d = (data ?? {}) as { connector?: unknown; merchant_connector_id?: unknown };
  return {
    connector: typeof d.connector === 'string' ? d.connector : undefined,
    merchantConnectorId: typeof d.merchant_connector_id === 'string' ? d.merchant_connector_id : undefined,
  };
}
