import { Errors, isoTimestamp } from '@switchyard/common';
import type { ApiKeyEntity, ConnectorAccountEntity } from '@switchyard/database';
import type { MerchantView } from '@switchyard/merchants';

export function toMerchantResponse(view: MerchantView): Record<string, unknown> {
  const { merchant, profile } = view;
  return {
    merchant_id: merchant.merchantId,
    merchant_name: merchant.merchantName,
    return_url: merchant.returnUrl,
    enable_payment_response_hash: profile.enablePaymentResponseHash,
    payment_response_hash_key: view.paymentResponseHashKey,
    redirect_to_merchant_with_http_post: false,
    merchant_details: null,
    webhook_details: profile.webhookUrl ? { webhook_url: profile.webhookUrl } : null,
    payout_routing_algorithm: null,
    sub_merchants_enabled: false,
    parent_merchant_id: null,
    publishable_key: merchant.publishableKey,
    metadata: merchant.metadata,
    locker_id: null,
    primary_business_details: [],
    frm_routing_algorithm: null,
    organization_id: `org_${merchant.merchantId}`,
    is_recon_enabled: false,
    default_profile: merchant.defaultProfileId,
    recon_status: 'not_requested',
    pm_collect_link_config: null,
    product_type: null,
    merchant_account_type: 'standard',
  };
}

export function toApiKeyResponse(key: ApiKeyEntity): Record<string, unknown> {
  return {
    key_id: key.keyId,
    merchant_id: key.merchantId,
    name: key.name,
    description: key.description,
    prefix: key.prefix,
    mode: key.mode,
    created: isoTimestamp(key.createdAt),
    expiration: key.expiresAt ? isoTimestamp(key.expiresAt) : 'never',
  };
}

/** Credentials never come back: every value of connector_account_details but auth_type is masked entirely. */
export function toConnectorResponse(account: ConnectorAccountEntity, authType: string | null): Record<string, unknown> {
  return {
    connector_type: account.connectorType,
    connector_name: account.connectorName,
    connector_label: account.connectorLabel,
    merchant_connector_id: account.merchantConnectorId,
    profile_id: account.profileId,
    connector_account_details: { auth_type: authType, masked: true },
    payment_methods_enabled: account.paymentMethodsEnabled,
    connector_webhook_details: account.webhookSecretEnc ? { merchant_secret: '********' } : null,
    metadata: account.metadata,
    test_mode: account.mode === 'test',
    disabled: account.disabled,
    frm_configs: null,
    business_country: null,
    business_label: null,
    business_sub_label: null,
    applepay_verified_domains: null,
    pm_auth_config: null,
    status: account.disabled ? 'inactive' : 'active',
    additional_merchant_data: null,
    connector_wallets_details: null,
  };
}

/** `connector_account_details` → flat string map (auth_type kept aside). Non-string secrets are refused. */
export function parseAccountDetails(details: Record<string, unknown>): {
  authType: string;
  credentials: Record<string, string>;
} {
  const authType = details.auth_type;
  if (typeof authType !== 'string' || !/^[A-Za-z]{1,32}$/.test(authType)) {
    throw Errors.invalidFormat('connector_account_details', 'auth_type and api_key');
  }
  const credentials: Record<string, string> = { auth_type: authType };
  for (const [key, value] of Object.entries(details)) {
    if (key === 'auth_type') continue;
    if (typeof value !== 'string' || value.length > 4096 || !/^[a-z0-9_]{1,32}$/.test(key)) {
      throw Errors.invalidFormat(`connector_account_details.${key}`, 'a string');
    }
    credentials[key] = value;
  }
  return { authType, credentials };
}
