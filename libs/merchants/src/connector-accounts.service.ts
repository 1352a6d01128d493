import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConfigCache, DomainError, Errors, SecretBox, generateId } from '@switchyard/common';
import { ConnectorAccountContext, ConnectorRegistry } from '@switchyard/connectors';
import { ConnectorAccountEntity, KeyMode } from '@switchyard/database';
import { MerchantsService } from './merchants.service';

export interface ConnectorAccountInput {
  connectorType: string;
  connectorName: string;
  connectorLabel: string | null;
  profileId: string | null;
  mode: KeyMode;
  disabled: boolean;
  credentials: Record<string, string>;
  webhookSecret: string | null;
  paymentMethodsEnabled: object[] | null;
  metadata: Record<string, unknown> | null;
  /** Set by promotion: the test-mode account this one copies. */
  promotedFrom?: string | null;
}

const MAX_CONTEXTS = 10_000;

export interface ConnectorAccountUpdate {
  disabled?: boolean;
  credentials?: Record<string, string>;
  webhookSecret?: string | null;
  paymentMethodsEnabled?: object[] | null;
  metadata?: Record<string, unknown> | null;
  connectorLabel?: string;
}

/**
 * Connector accounts: credentials and webhook secret AES-256-GCM encrypted at rest, never returned. A merchant's accounts
 * are read through the configuration cache (routing and every connector call need them); every write here invalidates
 * them in all replicas.
 */
@Injectable()
export class ConnectorAccountsService {
  /** Decrypted views by account, valid while the encrypted columns they came from are unchanged. */
  private readonly contexts = new Map<string, { sealed: string; context: ConnectorAccountContext }>();

  constructor(
    @InjectRepository(ConnectorAccountEntity) private readonly accounts: Repository<ConnectorAccountEntity>,
    private readonly merchants: MerchantsService,
    private readonly registry: ConnectorRegistry,
    private readonly secretBox: SecretBox,
    private readonly cache: ConfigCache,
  ) {}

  async create(merchantId: string, input: ConnectorAccountInput): Promise<ConnectorAccountEntity> {
    const profile = input.profileId
      ? await this.merchants.profile(merchantId, input.profileId)
      : await this.merchants.defaultProfile(merchantId);
    this.validate(input.connectorName, input.mode, input.credentials, input.metadata ?? {});
    const entity = this.accounts.create({
      merchantConnectorId: generateId('mca'),
      merchantId,
      profileId: profile.profileId,
      connectorName: input.connectorName,
      connectorLabel: input.connectorLabel ?? `${input.connectorName}_${profile.profileName}`,
      connectorType: input.connectorType,
      mode: input.mode,
      credentialsEnc: this.secretBox.encrypt(JSON.stringify(input.credentials)),
      webhookSecretEnc: input.webhookSecret ? this.secretBox.encrypt(input.webhookSecret) : null,
      paymentMethodsEnabled: input.paymentMethodsEnabled,
      metadata: input.metadata,
      disabled: input.disabled,
      promotedFrom: input.promotedFrom ?? null,
    });
    try {
      await this.accounts.insert(entity);
      await this.cache.invalidate(merchantId);
    } catch (error: unknown) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(
          'DuplicateMerchantConnectorAccount',
          `The merchant connector account with the specified profile_id '${profile.profileId}' and connector_label '${entity.connectorLabel}' already exists in our records`,
        );
      }
      throw error;
    }
    return entity;
  }

  /** Every account of the merchant (deleted ones included), in creation order; copies, so callers may change them. */
  async list(merchantId: string): Promise<ConnectorAccountEntity[]> {
    return (await this.cachedList(merchantId)).map((a) => Object.assign(new ConnectorAccountEntity(), a));
  }

  async get(merchantId: string, merchantConnectorId: string): Promise<ConnectorAccountEntity> {
    const account = (await this.cachedList(merchantId)).find((a) => a.merchantConnectorId === merchantConnectorId);
    if (!account) throw Errors.connectorAccountNotFound();
    return Object.assign(new ConnectorAccountEntity(), account);
  }

  private cachedList(merchantId: string): Promise<readonly ConnectorAccountEntity[]> {
    return this.cache.get(merchantId, 'connector-accounts', () =>
      this.accounts.find({ where: { merchantId }, order: { createdAt: 'ASC' } }),
    );
  }

  async update(
    merchantId: string,
    merchantConnectorId: string,
    patch: ConnectorAccountUpdate,
  ): Promise<ConnectorAccountEntity> {
    const account = await this.get(merchantId, merchantConnectorId);
    const credentials = patch.credentials ?? this.decryptCredentials(account);
    const metadata =
      patch.metadata === undefined ? ((account.metadata ?? {}) as Record<string, unknown>) : (patch.metadata ?? {});
    this.validate(account.connectorName, account.mode, credentials, metadata);
    if (patch.credentials) account.credentialsEnc = this.secretBox.encrypt(JSON.stringify(patch.credentials));
    if (patch.webhookSecret !== undefined) {
      account.webhookSecretEnc = patch.webhookSecret ? this.secretBox.encrypt(patch.webhookSecret) : null;
    }
    if (patch.disabled !== undefined) account.disabled = patch.disabled;
    if (patch.paymentMethodsEnabled !== undefined) account.paymentMethodsEnabled = patch.paymentMethodsEnabled;
    if (patch.metadata !== undefined) account.metadata = patch.metadata;
    if (patch.connectorLabel) account.connectorLabel = patch.connectorLabel;
    await this.accounts.save(account);
    await this.cache.invalidate(merchantId);
    return account;
  }

  /**
   * Credential rotation: the new credentials become primary at once; the current ones (and webhook secret) are kept,
   * encrypted, until `previousValidUntil`, so webhooks the processor still signs with them keep verifying meanwhile.
   */
  async rotate(
    merchantId: string,
    merchantConnectorId: string,
    next: { credentials: Record<string, string>; webhookSecret?: string | null },
    previousValidUntil: Date,
  ): Promise<ConnectorAccountEntity> {
    const account = await this.get(merchantId, merchantConnectorId);
    const metadata = (account.metadata ?? {}) as Record<string, unknown>;
    this.validate(account.connectorName, account.mode, next.credentials, metadata);
    account.previousCredentialsEnc = account.credentialsEnc;
    account.previousWebhookSecretEnc = account.webhookSecretEnc;
    account.previousValidUntil = previousValidUntil;
    account.credentialsEnc = this.secretBox.encrypt(JSON.stringify(next.credentials));
    if (next.webhookSecret !== undefined) {
      account.webhookSecretEnc = next.webhookSecret ? this.secretBox.encrypt(next.webhookSecret) : null;
    }
    await this.accounts.save(account);
    await this.cache.invalidate(merchantId);
    return account;
  }

  /** The account as it was before its last rotation while the overlap lasts (webhook verification only), else null. */
  previousContext(account: ConnectorAccountEntity, now: Date): ConnectorAccountContext | null {
    if (!account.previousCredentialsEnc || !account.previousValidUntil) return null;
    if (account.previousValidUntil.getTime() <= now.getTime()) return null;
    return {
      ...this.context(account),
      credentials: JSON.parse(this.secretBox.decrypt(account.previousCredentialsEnc)) as Record<string, string>,
      webhookSecret: account.previousWebhookSecretEnc ? this.secretBox.decrypt(account.previousWebhookSecretEnc) : null,
    };
  }

  async delete(merchantId: string, merchantConnectorId: string): Promise<void> {
    const account = await this.get(merchantId, merchantConnectorId);
    // Attempts reference the account: keep the row (history stays readable) and take it out of service.
    account.disabled = true;
    account.connectorLabel = `${account.connectorLabel}__deleted_${Date.now()}`;
    await this.accounts.save(account);
    await this.cache.invalidate(merchantId);
  }

  /** Accounts that may take a payment of this profile and mode, in creation order. */
  async usable(merchantId: string, profileId: string, mode: KeyMode): Promise<ConnectorAccountEntity[]> {
    return this.accounts.find({ where: { merchantId, profileId, mode, disabled: false }, order: { createdAt: 'ASC' } });
  }

  /** Every enabled account of every merchant (the nightly reconciliation walks them). */
  async allEnabled(): Promise<ConnectorAccountEntity[]> {
    return this.accounts.find({ where: { disabled: false }, order: { createdAt: 'ASC' } });
  }

  /**
   * Decrypted view for one connector call. Lives only in memory; never logged or returned. Kept per account while the
   * row's encrypted columns and metadata are unchanged (decrypting on every call showed in the profile).
   */
  context(account: ConnectorAccountEntity): ConnectorAccountContext {
    const sealed = `${account.merchantId}|${account.connectorName}|${account.mode}|${account.credentialsEnc}|${account.webhookSecretEnc ?? ''}|${JSON.stringify(account.metadata ?? {})}`;
    const known = this.contexts.get(account.merchantConnectorId);
    if (known && known.sealed === sealed) return { ...known.context };
    const context: ConnectorAccountContext = {
      merchantConnectorId: account.merchantConnectorId,
      merchantId: account.merchantId,
      connectorName: account.connectorName,
      mode: account.mode,
      credentials: this.decryptCredentials(account),
      webhookSecret: account.webhookSecretEnc ? this.secretBox.decrypt(account.webhookSecretEnc) : null,
      metadata: (account.metadata ?? {}) as Record<string, unknown>,
    };
    if (this.contexts.size >= MAX_CONTEXTS) this.contexts.clear();
    this.contexts.set(account.merchantConnectorId, { sealed, context });
    return { ...context };
  }

  private decryptCredentials(account: ConnectorAccountEntity): Record<string, string> {
    return JSON.parse(this.secretBox.decrypt(account.credentialsEnc)) as Record<string, string>;
  }

  private validate(
    connectorName: string,
    mode: KeyMode,
    credentials: Record<string, string>,
    metadata: Record<string, unknown>,
  ): void {
    const problem = this.registry
      .get(connectorName)
      .validateAccount({ connectorName, mode, credentials, metadata, webhookSecret: null });
    if (problem)
      throw new DomainError(
        'InvalidConnectorConfiguration',
        `Merchant connector account is configured with invalid ${problem}`,
      );
  }
}
