// Merchants of the verify run, created through the admin API exactly as an operator would, with random credentials that
// the secrets check then looks for in every log line. Also the book of every secret the run handled.

import { randomBytes } from 'node:crypto';
import { call, sandboxJson } from './http.mjs';

/** Every secret the run created or saw: `{ kind, value }`, scanned for in all logs at the end. */
export const secretBook = [];
export function rememberSecret(kind, value) {
  if (typeof value === 'string' && value.length >= 8 && !secretBook.some((s) => s.value === value)) {
    secretBook.push({ kind, value });
  }
}

const alnum = (n) =>
  randomBytes(n * 2)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, n);

export const RETURN_URL = 'https://shop.example/return';

/** Connector account bodies with fresh random credentials; `creds` are what the account (and its sandbox) holds. */
function connectorBody(connector, stack, merchantId, mode) {
  const sandbox = stack.urls.sandbox;
  if (connector === 'generic') {
    const creds = { clientId: `cid_${merchantId}`, secretId: `gsec_${alnum(24)}` };
    return {
      creds,
      body: {
        connector_type: 'payment_processor',
        connector_name: 'generic',
        test_mode: mode === 'test',
        connector_account_details: { auth_type: 'BodyKey', api_key: creds.clientId, key1: creds.secretId },
        metadata: {
          base_url: mode === 'test' ? `${sandbox}/generic/pay/sandbox/api/v1` : 'https://gateway.invalid/pay/api/v1',
        },
      },
    };
  }
  if (connector === 'plural') {
    const creds = {
      clientId: `pcl_${merchantId}`,
      clientSecret: `psec_${alnum(24)}`,
      merchantSecretHex: randomBytes(32).toString('hex').toUpperCase(),
    };
    return {
      creds,
      body: {
        connector_type: 'payment_processor',
        connector_name: 'plural',
        test_mode: true,
        connector_account_details: {
          auth_type: 'SignatureKey',
          api_key: creds.clientId,
          key1: creds.clientSecret,
          api_secret: creds.merchantSecretHex,
        },
        metadata: { base_url: `${sandbox}/plural` },
      },
    };
  }
  if (connector === 'tap') {
    const creds = { secretKey: `sk_test_${alnum(24)}` };
    return {
      creds,
      body: {
        connector_type: 'payment_processor',
        connector_name: 'tap',
        test_mode: true,
        connector_account_details: { auth_type: 'HeaderKey', api_key: creds.secretKey },
        metadata: { base_url: `${sandbox}/tap` },
      },
    };
  }
  throw new Error(`unknown connector ${connector}`);
}

function must(res, what) {
  if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 400)}`);
  return res.body;
}

/**
 * A merchant with a test secret key, a connector account of `connector` on the sandbox, and (when `webhookUrl` is
 * given) its default profile's merchant webhook endpoint. Plural merchants are also registered on the sandbox's
 * dashboard with our webhook route as their URL.
 */
export async function createMerchant(stack, { connector, label, webhookUrl }) {
  const api = stack.urls.api;
  const admin = stack.adminKey;
  const merchantId = `vm_${label}_${randomBytes(4).toString('hex')}`;
  const account = must(
    await call(api, 'POST', '/accounts', {
      key: admin,
      body: { merchant_id: merchantId, merchant_name: `Verify ${label}`, return_url: RETURN_URL },
    }),
    'create merchant',
  );
  const key = must(
    await call(api, 'POST', `/api_keys/${merchantId}`, {
      key: admin,
      body: { name: 'verify', expiration: 'never', mode: 'test' },
    }),
    'create API key',
  );
  const { creds, body } = connectorBody(connector, stack, merchantId, 'test');
  const account2 = must(
    await call(api, 'POST', `/account/${merchantId}/connectors`, { key: admin, body }),
    'create connector',
  );
  const profiles = must(
    await call(api, 'GET', `/account/${merchantId}/business_profile`, { key: admin }),
    'list profiles',
  );
  const profileId = profiles[0].profile_id;
  if (webhookUrl) {
    must(
      await call(api, 'POST', `/account/${merchantId}/business_profile/${profileId}`, {
        key: admin,
        body: { webhook_details: { webhook_url: webhookUrl } },
      }),
      'set webhook url',
    );
  }
  const merchant = {
    merchantId,
    connector,
    key: key.api_key,
    keyId: key.key_id,
    publishableKey: account.publishable_key,
    hashKey: account.payment_response_hash_key,
    connectorId: account2.merchant_connector_id,
    profileId,
    creds,
  };
  rememberSecret('merchant API key', merchant.key);
  rememberSecret('publishable key', merchant.publishableKey);
  rememberSecret('payment response hash key', merchant.hashKey);
  for (const [name, value] of Object.entries(creds)) {
    if (name !== 'clientId') rememberSecret(`${connector} credential ${name}`, value);
  }
  if (connector === 'plural') {
    await sandboxJson(stack.urls.sandbox, '/__sandbox/plural/merchants', {
      method: 'POST',
      body: JSON.stringify({
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
        merchant_secret_hex: creds.merchantSecretHex,
        webhook_url: `${api}/webhooks/${merchantId}/${merchant.connectorId}`,
      }),
    });
  }
  return merchant;
}

/** An extra key of `mode` for a merchant (admin-only route). */
export async function createKey(stack, merchantId, mode) {
  const key = must(
    await call(stack.urls.api, 'POST', `/api_keys/${merchantId}`, {
      key: stack.adminKey,
      body: { name: `verify ${mode}`, expiration: 'never', mode },
    }),
    'create API key',
  );
  rememberSecret(`${mode} API key`, key.api_key);
  return { key: key.api_key, keyId: key.key_id };
}

/** A connector account of `mode` created by the admin (a test key may not create live ones). */
export async function createConnector(stack, merchantId, connector, mode) {
  const { creds, body } = connectorBody(connector, stack, merchantId, mode);
  const created = must(
    await call(stack.urls.api, 'POST', `/account/${merchantId}/connectors`, {
      key: stack.adminKey,
      body: { ...body, connector_label: `verify_${mode}_${randomBytes(3).toString('hex')}` },
    }),
    'create connector',
  );
  for (const [name, value] of Object.entries(creds)) {
    if (name !== 'clientId') rememberSecret(`${connector} credential ${name}`, value);
  }
  return { connectorId: created.merchant_connector_id, creds };
}
