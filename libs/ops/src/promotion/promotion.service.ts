import { Injectable } from '@nestjs/common';
import { DomainError, Errors } from '@switchyard/common';
import { ConnectorRegistry } from '@switchyard/connectors';
import type { ConnectorAccountEntity } from '@switchyard/database';
import { ConnectorAccountsService } from '@switchyard/merchants';
import { needsWebhookSecret } from '../credential-verifier';
import { RoutingCopier, type RoutingCopy } from './routing-copy';

export interface PromoteInput {
  /** The live credentials the processor issued: secrets are never copied from the test account. */
  credentials: Record<string, string>;
  webhookSecret: string | null;
  label?: string;
  /** Merged over the copied metadata, e.g. the live `base_url` where the connector needs one. */
  metadata?: Record<string, unknown>;
  disabled?: boolean;
}

export interface Promotion {
  account: ConnectorAccountEntity;
  source: ConnectorAccountEntity;
  routing: RoutingCopy;
}

const LABEL_MAX = 128;
const SUFFIX = '_live';

/**
 * Sandbox → live: a new live-mode account copying the test account's setup (payment methods, metadata without the test
 * environment's URLs, profile, label + `_live`) and the active routing config (routing-copy.ts), with live credentials
 * and webhook secret supplied by the caller.
 */
@Injectable()
export class PromotionService {
  constructor(
    private readonly accounts: ConnectorAccountsService,
    private readonly registry: ConnectorRegistry,
    private readonly routing: RoutingCopier,
  ) {}

  async promote(merchantId: string, testAccountId: string, input: PromoteInput): Promise<Promotion> {
    const source = await this.accounts.get(merchantId, testAccountId);
    if (source.mode !== 'test') {
      throw new DomainError('InvalidRequestData', 'Only a test-mode connector account can be promoted to live');
    }
    if (!input.webhookSecret && needsWebhookSecret(this.registry, source.connectorName)) {
      // The live webhook secret comes from the processor's live dashboard; the test one is never reused.
      throw Errors.missingField('connector_webhook_details.merchant_secret');
    }
    const account = await this.accounts.create(merchantId, {
      connectorType: source.connectorType,
      connectorName: source.connectorName,
      connectorLabel: input.label ?? `${source.connectorLabel.slice(0, LABEL_MAX - SUFFIX.length)}${SUFFIX}`,
      profileId: source.profileId,
      mode: 'live',
      disabled: input.disabled ?? false,
      credentials: input.credentials,
      webhookSecret: input.webhookSecret,
      paymentMethodsEnabled: (source.paymentMethodsEnabled as object[] | null) ?? null,
      metadata: { ...withoutTestUrls(source.metadata as Record<string, unknown> | null), ...(input.metadata ?? {}) },
      promotedFrom: source.merchantConnectorId,
    });
    return { account, source, routing: await this.routing.copy(merchantId, source.profileId) };
  }
}

/** Metadata minus the test environment's endpoints (`base_url`, `*_base_url`): live traffic must not reach a sandbox. */
export function withoutTestUrls(metadata: Record<string, unknown> | null): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata ?? {}).filter(([key]) => key !== 'base_url' && !key.endsWith('_base_url')),
  );
}
