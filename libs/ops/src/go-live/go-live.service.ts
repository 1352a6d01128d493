import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { Clock } from '@switchyard/common';
import { ConnectorRegistry } from '@switchyard/connectors';
import type { ConnectorAccountEntity } from '@switchyard/database';
import { ApiKeysService, ConnectorAccountsService, MerchantsService } from '@switchyard/merchants';
import { CREDENTIAL_SIGNED_WEBHOOKS, CredentialVerifier } from '../credential-verifier';
import { goLiveItems } from './go-live.checks';
import type { AccountFacts, GoLiveReport, GoLiveSnapshot, ProfileFacts } from './go-live.types';

const TEST_KEY = /^(sk|pk|rk)_test_/;
const KEY_PAGE = 100;

/**
 * Builds the go-live report from the merchant's own configuration: reads merchant, profiles, connector accounts and API
 * keys, asks each processor whether the live credentials work, then applies the pure checklist (go-live.checks.ts).
 */
@Injectable()
export class GoLiveService {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly accounts: ConnectorAccountsService,
    private readonly apiKeys: ApiKeysService,
    private readonly registry: ConnectorRegistry,
    private readonly verifier: CredentialVerifier,
    private readonly clock: Clock,
  ) {}

  async report(merchantId: string): Promise<GoLiveReport> {
    const snapshot = await this.snapshot(merchantId);
    const items = goLiveItems(snapshot);
    return {
      merchant_id: merchantId,
      ready: items.every((i) => i.status === 'pass'),
      checked_at: this.clock.now().toISOString(),
      items,
    };
  }

  async snapshot(merchantId: string): Promise<GoLiveSnapshot> {
    const { merchant } = await this.merchants.get(merchantId);
    const [profiles, accounts, usableKeys] = await Promise.all([
      this.merchants.listProfiles(merchantId),
      this.accounts.list(merchantId),
      this.usableKeys(merchantId),
    ]);
    // A per-report salt: fingerprints only compare values within this report and mean nothing outside it.
    const salt = randomBytes(16);
    return {
      merchantId,
      merchantReturnUrl: merchant.returnUrl,
      defaultProfileId: merchant.defaultProfileId,
      profiles: profiles.map((p): ProfileFacts => ({
        profileId: p.profileId,
        profileName: p.profileName,
        returnUrl: p.returnUrl,
        webhookUrl: p.webhookUrl,
        enablePaymentResponseHash: p.enablePaymentResponseHash,
        hashKeySet: this.hashKeySet(() => this.merchants.hashKeyOf(p)),
      })),
      accounts: await Promise.all(accounts.map((a) => this.accountFacts(a, salt))),
      usableKeys,
    };
  }

  private async accountFacts(account: ConnectorAccountEntity, salt: Buffer): Promise<AccountFacts> {
    const connector = this.registry.has(account.connectorName) ? this.registry.get(account.connectorName) : null;
    const facts: AccountFacts = {
      id: account.merchantConnectorId,
      connectorName: account.connectorName,
      label: account.connectorLabel,
      profileId: account.profileId,
      mode: account.mode,
      disabled: account.disabled,
      paymentMethodCount: Array.isArray(account.paymentMethodsEnabled) ? account.paymentMethodsEnabled.length : 0,
      hasWebhookSecret: account.webhookSecretEnc !== null,
      sendsWebhooks: connector?.features.webhooks ?? false,
      webhooksSignedWithCredentials: CREDENTIAL_SIGNED_WEBHOOKS.has(account.connectorName),
      credentialProblem: connector ? null : 'no adapter is registered for this connector',
      credentialFingerprints: {},
      testKeyFields: [],
      verdict: null,
    };
    if (!connector || account.disabled) return facts;
    let ctx;
    try {
      ctx = this.accounts.context(account);
    } catch {
      return { ...facts, credentialProblem: 'stored credentials cannot be decrypted with the configured master keys' };
    }
    for (const [field, value] of Object.entries(ctx.credentials)) {
      if (field === 'auth_type' || !value) continue;
      facts.credentialFingerprints[field] = createHmac('sha256', salt).update(value).digest('hex');
      if (TEST_KEY.test(value)) facts.testKeyFields.push(field);
    }
    const problem = connector.validateAccount(ctx);
    if (problem) return { ...facts, credentialProblem: `invalid ${problem}` };
    if (account.mode === 'live') facts.verdict = await this.verifier.verify(ctx);
    return facts;
  }

  private async usableKeys(merchantId: string): Promise<GoLiveSnapshot['usableKeys']> {
    const now = this.clock.now().getTime();
    const usable: GoLiveSnapshot['usableKeys'] = [];
    for (let skip = 0; ; skip += KEY_PAGE) {
      const page = await this.apiKeys.list(merchantId, KEY_PAGE, skip);
      for (const key of page) {
        if (!key.expiresAt || key.expiresAt.getTime() > now) usable.push({ keyId: key.keyId, mode: key.mode });
      }
      if (page.length < KEY_PAGE) return usable;
    }
  }

  private hashKeySet(read: () => string): boolean {
    try {
      return read().length > 0;
    } catch {
      return false;
    }
  }
}
