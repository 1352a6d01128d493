import type { KeyMode } from '@switchyard/database';

export type CheckStatus = 'pass' | 'fail';

export interface GoLiveItem {
  id: GoLiveItemId;
  title: string;
  status: CheckStatus;
  /** What was found; names accounts, profiles and fields, never a secret value. */
  detail: string;
  /** What to do when it fails (empty when it passes). */
  action: string;
}

export type GoLiveItemId =
  | 'live_connector_accounts'
  | 'live_credentials_verified'
  | 'webhook_secrets'
  | 'merchant_webhook_endpoint'
  | 'return_urls_https'
  | 'payment_methods_enabled'
  | 'live_api_key'
  | 'no_test_credentials_in_live'
  | 'response_hash_key';

/** How one live account's credentials fared with the processor. */
export type CredentialVerdict =
  | { status: 'valid' }
  | { status: 'invalid'; reason: string }
  | { status: 'unreachable'; reason: string }
  | { status: 'unsupported' };

/** Facts about one connector account; secrets only as field names and salted fingerprints, never values. */
export interface AccountFacts {
  id: string;
  connectorName: string;
  label: string;
  profileId: string;
  mode: KeyMode;
  disabled: boolean;
  paymentMethodCount: number;
  hasWebhookSecret: boolean;
  /** The connector sends webhooks (features.webhooks). */
  sendsWebhooks: boolean;
  /** Its webhooks are signed with the account's API credentials, so no separate webhook secret exists (Tap). */
  webhooksSignedWithCredentials: boolean;
  /** Why the stored credentials cannot be used (undecryptable, refused by the adapter's validation), or null. */
  credentialProblem: string | null;
  /** Credential field name → fingerprint of its value (same value ⇒ same fingerprint), auth_type excluded. */
  credentialFingerprints: Record<string, string>;
  /** Credential fields whose value is a processor test key (`sk_test_…`, `pk_test_…`). */
  testKeyFields: string[];
  /** Live accounts only: what the processor said. */
  verdict: CredentialVerdict | null;
}

export interface ProfileFacts {
  profileId: string;
  profileName: string;
  returnUrl: string | null;
  webhookUrl: string | null;
  enablePaymentResponseHash: boolean;
  hashKeySet: boolean;
}

export interface GoLiveSnapshot {
  merchantId: string;
  merchantReturnUrl: string | null;
  defaultProfileId: string | null;
  profiles: ProfileFacts[];
  accounts: AccountFacts[];
  /** Keys that can authenticate now (not revoked, not expired). */
  usableKeys: Array<{ keyId: string; mode: KeyMode }>;
}

export interface GoLiveReport {
  merchant_id: string;
  ready: boolean;
  checked_at: string;
  items: GoLiveItem[];
}
