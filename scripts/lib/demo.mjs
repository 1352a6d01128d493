// The demo merchant that `npm start` sets up through the API itself (so the quick start exercises the real admin
// endpoints), idempotently: a restart reuses the merchant, its API key and its sandbox connector.

import { setTimeout as sleep } from 'node:timers/promises';
import { bold, cyan, dim, info, UserError, warn } from './output.mjs';
import { readJson, writePrivateJson } from './services.mjs';

export const DEMO_MERCHANT = 'demo_merchant';
const DEMO_CONNECTOR_LABEL = 'generic_sandbox';

/** Polls `url` until it answers 200, for up to `timeoutMs`; `stillWaiting()` returning false aborts early. */
export async function waitForHttp(url, { timeoutMs = 60_000, stillWaiting = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline && stillWaiting()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.name;
    }
    await sleep(250);
  }
  if (stillWaiting()) throw new UserError(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last}).`);
}

/**
 * Makes sure the demo merchant, its test API key (kept in `demoFile`, since the API shows a key only once) and a
 * generic connector account pointing at the local sandbox exist. Any unexpected answer throws with status and body.
 */
export async function seedDemo({ apiUrl, adminKey, sandboxUrl, demoFile }) {
  const api = (method, path, key, body) => call(method, `${apiUrl}${path}`, key, body);
  await ensureMerchant(api, adminKey);
  const key = await ensureDemoKey(api, adminKey, demoFile);
  await ensureSandboxConnector(api, adminKey, `${sandboxUrl}/generic/pay/sandbox/api/v1`);
  return { merchantId: DEMO_MERCHANT, apiKey: key.api_key, keyId: key.key_id };
}

async function ensureMerchant(api, adminKey) {
  const response = await api('POST', '/accounts', adminKey, {
    merchant_id: DEMO_MERCHANT,
    merchant_name: 'Demo Merchant',
    return_url: 'https://example.com/checkout/complete',
  });
  if (isOk(response)) return;
  // HE_01 = the merchant already exists: expected on every start after the first.
  if (response.status === 400 && response.json?.error?.code === 'HE_01') return;
  throw unexpected('creating the demo merchant (POST /accounts)', response);
}

async function ensureDemoKey(api, adminKey, demoFile) {
  const kept = readJson(demoFile);
  if (kept?.merchant_id === DEMO_MERCHANT && typeof kept.api_key === 'string') {
    const check = await api('GET', '/payments/list', kept.api_key);
    if (isOk(check)) return kept;
    // 401/403: the key was revoked or the database was reset; anything else is a real problem.
    if (check.status !== 401 && check.status !== 403) {
      throw unexpected('checking the demo API key (GET /payments/list)', check);
    }
    info(dim('the demo API key in .data/demo.json is no longer valid: creating a new one'));
  }
  const created = await api('POST', `/api_keys/${DEMO_MERCHANT}`, adminKey, {
    name: 'demo',
    expiration: 'never',
    mode: 'test',
  });
  if (!isOk(created) || typeof created.json?.api_key !== 'string') {
    throw unexpected(`creating the demo API key (POST /api_keys/${DEMO_MERCHANT})`, created);
  }
  const key = { merchant_id: DEMO_MERCHANT, api_key: created.json.api_key, key_id: created.json.key_id };
  writePrivateJson(demoFile, key);
  return key;
}

async function ensureSandboxConnector(api, adminKey, baseUrl) {
  const path = `/account/${DEMO_MERCHANT}/connectors`;
  const listed = await api('GET', path, adminKey);
  if (!isOk(listed) || !Array.isArray(listed.json)) throw unexpected(`listing connectors (GET ${path})`, listed);

  if (listed.json.length === 0) {
    const created = await api('POST', path, adminKey, {
      connector_type: 'payment_processor',
      connector_name: 'generic',
      connector_label: DEMO_CONNECTOR_LABEL,
      test_mode: true,
      connector_account_details: { auth_type: 'BodyKey', api_key: 'demo_client', key1: 'demo_secret_123' },
      metadata: { base_url: baseUrl },
    });
    if (!isOk(created)) throw unexpected(`creating the sandbox connector (POST ${path})`, created);
    return;
  }

  // The sandbox may be on another port than last time (4010 was busy): point the demo connector at this one.
  const demo = listed.json.find((c) => c.connector_label === DEMO_CONNECTOR_LABEL && !c.disabled);
  if (!demo || demo.metadata?.base_url === baseUrl) return;
  const updated = await api('POST', `${path}/${demo.merchant_connector_id}`, adminKey, {
    connector_type: 'payment_processor',
    metadata: { ...demo.metadata, base_url: baseUrl },
  });
  if (!isOk(updated)) {
    warn(
      `the demo connector still points at ${demo.metadata?.base_url} (update answered ${updated.status}); ` +
        'free port 4010 or delete .data/ so payments reach this sandbox',
    );
  }
}

async function call(method, url, key, body) {
  const headers = { accept: 'application/json' };
  if (key) headers['api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the text is shown if the answer was unexpected
  }
  return { status: response.status, json, text };
}

const isOk = (response) => response.status === 200 || response.status === 201;

function unexpected(what, response) {
  return new UserError(
    `Seeding the demo failed while ${what}: HTTP ${response.status}\n${response.text || '(empty body)'}`,
  );
}

/** The "it is running" banner, with a curl that creates and confirms a payment. */
export function printBanner({ apiUrl, sandboxUrl, demo, adminKeyFromEnv, databaseUrl, redisUrl }) {
  const row = (label, value) => `  ${label.padEnd(15)} ${value}`;
  const curl =
    `curl -s -X POST ${apiUrl}/payments -H 'content-type: application/json' -H 'api-key: ${demo.apiKey}' ` +
    `-d '{"amount":1000,"currency":"USD","confirm":true,"return_url":"https://example.com/return"}'`;
  info(
    [
      '',
      bold(cyan('Switchyard is running')),
      row('API', apiUrl),
      row('OpenAPI docs', `${apiUrl}/docs`),
      row('Ops dashboard', `${apiUrl}/dashboard ${dim('(log in with the admin key)')}`),
      row('Sandbox', sandboxUrl),
      row('Demo merchant', demo.merchantId),
      row('Demo API key', `${demo.apiKey} ${dim('(kept in .data/demo.json)')}`),
      row('Admin key', adminKeyFromEnv ? 'ADMIN_API_KEY from your environment' : 'ADMIN_API_KEY in .data/local.json'),
      row('Postgres', hidePassword(databaseUrl)),
      row('Redis', hidePassword(redisUrl)),
      '',
      bold('Create and confirm a payment:'),
      `  ${curl}`,
      '  then open next_action.redirect_to_url in a browser to pay on the sandbox page.',
      '',
      bold('Press Ctrl-C to stop.'),
      '',
    ].join('\n'),
  );
}

function hidePassword(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(set)';
  }
}
