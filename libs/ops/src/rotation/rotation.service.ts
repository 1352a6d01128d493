import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { Clock, DomainError } from '@switchyard/common';
import { ConnectorRegistry } from '@switchyard/connectors';
import type { ApiKeyEntity, ConnectorAccountEntity } from '@switchyard/database';
import { ApiKeysService, ConnectorAccountsService } from '@switchyard/merchants';
import { CredentialVerifier } from '../credential-verifier';

export interface ConnectorRotationInput {
  credentials: Record<string, string>;
  /** undefined = keep the current webhook secret; null = remove it. */
  webhookSecret?: string | null;
  overlapSeconds?: number;
  /** Ask the processor before switching (default): a typo must not take payments down. */
  verify: boolean;
}

/**
 * Rotation without downtime. Connector accounts: the new credentials are checked with the processor, become primary,
 * and the previous ones keep verifying webhooks until the overlap ends. API keys: a new key is issued and the old one
 * expires at the end of the overlap.
 */
@Injectable()
export class RotationService {
  constructor(
    private readonly accounts: ConnectorAccountsService,
    private readonly apiKeys: ApiKeysService,
    private readonly registry: ConnectorRegistry,
    private readonly verifier: CredentialVerifier,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async rotateConnector(
    merchantId: string,
    merchantConnectorId: string,
    input: ConnectorRotationInput,
  ): Promise<ConnectorAccountEntity> {
    const account = await this.accounts.get(merchantId, merchantConnectorId);
    const current = this.accounts.context(account);
    const next = {
      ...current,
      credentials: input.credentials,
      webhookSecret: input.webhookSecret === undefined ? current.webhookSecret : input.webhookSecret,
    };
    const problem = this.registry.get(account.connectorName).validateAccount(next);
    if (problem) {
      throw new DomainError(
        'InvalidConnectorConfiguration',
        `Merchant connector account is configured with invalid ${problem}`,
      );
    }
    if (input.verify) {
      const verdict = await this.verifier.verify(next);
      if (verdict.status === 'invalid') {
        throw new DomainError(
          'InvalidConnectorConfiguration',
          `The processor refused the new credentials (${verdict.reason}); nothing was changed`,
        );
      }
      if (verdict.status === 'unreachable') {
        throw new DomainError(
          'PreconditionFailed',
          `The new credentials could not be verified (${verdict.reason}); nothing was changed. Retry, or send "verify": false`,
        );
      }
    }
    const overlap = input.overlapSeconds ?? this.config.CONNECTOR_ROTATION_OVERLAP_SECONDS;
    return this.accounts.rotate(
      merchantId,
      merchantConnectorId,
      { credentials: input.credentials, webhookSecret: input.webhookSecret },
      this.after(overlap),
    );
  }

  async rotateApiKey(
    merchantId: string,
    keyId: string,
    options: { overlapSeconds?: number; expiresAt?: Date | null },
  ): Promise<{ entity: ApiKeyEntity; plaintext: string; previous: ApiKeyEntity }> {
    const overlap = options.overlapSeconds ?? this.config.API_KEY_ROTATION_OVERLAP_SECONDS;
    return this.apiKeys.rotate(merchantId, keyId, this.after(overlap), options.expiresAt);
  }

  private after(seconds: number): Date {
    return new Date(this.clock.now().getTime() + seconds * 1000);
  }
}
