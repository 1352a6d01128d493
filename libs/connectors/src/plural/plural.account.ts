import type { ConnectorAccountContext, ConnectorMode } from '../core/connector.types';
import { isHexKey } from './plural.signatures';
import type { PluralCredentials } from './plural.types';

/** Pine Labs' hosts by account mode; `metadata.base_url` overrides (e.g. the local sandbox: `<sandbox>/plural`). */
export const PLURAL_BASE_URLS: Readonly<Record<ConnectorMode, string>> = {
  test: 'https://pluraluat.v2.pinepg.in',
  live: 'https://api.pluralpay.in',
};

type AccountView = Pick<ConnectorAccountContext, 'credentials' | 'metadata' | 'mode'>;

/**
 * `connector_account_details`: `api_key` = client_id, `key1` = client_secret, `api_secret` = the merchant secret (hex) that
 * signs the shopper's return (optional: without it returns are reported unsigned, which changes nothing since the engine
 * always inquires). `metadata.base_url`: optional, https in live mode (http also allowed in test mode, for the sandbox).
 */
export function pluralAccountProblem(account: AccountView): string | null {
  const { auth_type: authType, api_key: clientId, key1: clientSecret, api_secret: secretHex } = account.credentials;
  if (authType !== undefined && authType !== 'SignatureKey')
    return 'connector_account_details.auth_type must be SignatureKey';
  if (!clientId) return 'connector_account_details.api_key (the Plural client_id) is required';
  if (!clientSecret) return 'connector_account_details.key1 (the Plural client_secret) is required';
  if (secretHex !== undefined && !isHexKey(secretHex)) {
    return 'connector_account_details.api_secret (the Plural merchant secret) must be hex';
  }
  const baseUrl = account.metadata.base_url;
  if (baseUrl === undefined || baseUrl === null) return null;
  if (typeof baseUrl !== 'string') return 'metadata.base_url must be a URL';
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    return 'metadata.base_url must be a URL';
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && account.mode === 'test') return null;
  return account.mode === 'live' ? 'metadata.base_url must be https in live mode' : 'metadata.base_url must be http(s)';
}

export function pluralBaseUrl(account: AccountView): string {
  const override = account.metadata.base_url;
  const base = typeof override === 'string' && override ? override : PLURAL_BASE_URLS[account.mode];
  return base.replace(/\/+$/, '');
}

export function pluralCredentials(ctx: AccountView): PluralCredentials {
  return { clientId: ctx.credentials.api_key, clientSecret: ctx.credentials.key1, baseUrl: pluralBaseUrl(ctx) };
}
