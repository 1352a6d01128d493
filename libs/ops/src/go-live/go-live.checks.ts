import type { AccountFacts, GoLiveItem, GoLiveItemId, GoLiveSnapshot, ProfileFacts } from './go-live.types';

/**
 * The go-live checklist as pure functions of a snapshot of the merchant's configuration (no I/O: each item is unit-tested
 * failing and passing). Items about things that must exist fail while nothing live exists yet; the report is ready only
 * when every item passes.
 */
export function goLiveItems(s: GoLiveSnapshot): GoLiveItem[] {
  const live = s.accounts.filter((a) => a.mode === 'live' && !a.disabled);
  const test = s.accounts.filter((a) => a.mode === 'test' && !a.disabled);
  const profiles = liveProfiles(s, live);
  const m = s.merchantId;
  return [
    liveAccounts(m, live, test),
    liveCredentials(m, live),
    webhookSecrets(m, live),
    webhookEndpoint(m, profiles),
    returnUrls(m, s.merchantReturnUrl, profiles),
    paymentMethods(m, live),
    liveApiKey(m, s.usableKeys),
    noTestCredentials(live, test),
    responseHashKey(m, profiles),
  ];
}

const TITLES: Record<GoLiveItemId, string> = {
  live_connector_accounts: 'A live connector account exists for each test one',
  live_credentials_verified: 'Live credentials are set and accepted by the processor',
  webhook_secrets: 'Webhook secret set for connectors that send webhooks',
  merchant_webhook_endpoint: 'Merchant webhook endpoint configured and HTTPS',
  return_urls_https: 'Return URLs are HTTPS',
  payment_methods_enabled: 'Payment methods enabled on live accounts',
  live_api_key: 'A live API key exists',
  no_test_credentials_in_live: 'No test key is used in live profiles',
  response_hash_key: 'Response hash key set',
};

const pass = (id: GoLiveItemId, detail: string): GoLiveItem => ({
  id,
  title: TITLES[id],
  status: 'pass',
  detail,
  action: '',
});
const fail = (id: GoLiveItemId, detail: string, action: string): GoLiveItem => ({
  id,
  title: TITLES[id],
  status: 'fail',
  detail,
  action,
});

const name = (a: AccountFacts): string => `${a.connectorName} (${a.id})`;
const promoteAction = (m: string, what: string) =>
  `${what}: POST /account/${m}/connectors/{test merchant_connector_id}/promote with the live connector_account_details.`;
const NO_LIVE = 'No enabled live connector account yet.';

export function isHttps(url: string | null): boolean {
  if (!url) return false;
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Profiles that take live traffic (those with live accounts), or the default profile before any exists. */
function liveProfiles(s: GoLiveSnapshot, live: AccountFacts[]): ProfileFacts[] {
  const ids = new Set(live.map((a) => a.profileId));
  if (ids.size === 0 && s.defaultProfileId) ids.add(s.defaultProfileId);
  return s.profiles.filter((p) => ids.has(p.profileId));
}

function liveAccounts(m: string, live: AccountFacts[], test: AccountFacts[]): GoLiveItem {
  if (live.length === 0 && test.length === 0) {
    return fail(
      'live_connector_accounts',
      'No connector account is configured.',
      promoteAction(m, 'Create a test-mode connector account, try payments on it, then promote it'),
    );
  }
  const liveNames = new Set(live.map((a) => a.connectorName));
  const missing = test.filter((a) => !liveNames.has(a.connectorName));
  if (missing.length > 0) {
    return fail(
      'live_connector_accounts',
      `No live account for: ${missing.map(name).join(', ')}.`,
      promoteAction(m, 'Promote each test account listed'),
    );
  }
  return pass('live_connector_accounts', `Live: ${live.map(name).join(', ')}.`);
}

function liveCredentials(m: string, live: AccountFacts[]): GoLiveItem {
  if (live.length === 0) return fail('live_credentials_verified', NO_LIVE, promoteAction(m, 'Promote a test account'));
  const problems: string[] = [];
  const unverifiable: string[] = [];
  for (const a of live) {
    if (a.credentialProblem) problems.push(`${name(a)}: ${a.credentialProblem}`);
    else if (a.verdict?.status === 'invalid')
      problems.push(`${name(a)}: refused by the processor (${a.verdict.reason})`);
    else if (a.verdict?.status === 'unreachable') problems.push(`${name(a)}: not verified (${a.verdict.reason})`);
    else if (a.verdict?.status === 'unsupported') unverifiable.push(name(a));
  }
  if (problems.length > 0) {
    return fail(
      'live_credentials_verified',
      problems.join('; '),
      `Set the live credentials the processor issued: POST /account/${m}/connectors/{id}/rotate with ` +
        'connector_account_details (and check metadata.base_url); if the processor was unreachable, run the check again.',
    );
  }
  const verified = live.filter((a) => a.verdict?.status === 'valid').map(name);
  const note = unverifiable.length ? ` No credential check exists for: ${unverifiable.join(', ')}.` : '';
  return pass('live_credentials_verified', `Accepted by the processor: ${verified.join(', ') || 'none'}.${note}`);
}

function webhookSecrets(m: string, live: AccountFacts[]): GoLiveItem {
  if (live.length === 0) return fail('webhook_secrets', NO_LIVE, promoteAction(m, 'Promote a test account'));
  const missing = live.filter((a) => a.sendsWebhooks && !a.webhooksSignedWithCredentials && !a.hasWebhookSecret);
  if (missing.length > 0) {
    return fail(
      'webhook_secrets',
      `No webhook secret on: ${missing.map(name).join(', ')}.`,
      `Set connector_webhook_details.merchant_secret (the secret from the processor's dashboard): ` +
        `POST /account/${m}/connectors/{id}.`,
    );
  }
  const parts = [
    ['set on', live.filter((a) => a.sendsWebhooks && a.hasWebhookSecret && !a.webhooksSignedWithCredentials)],
    ['signed with the API key', live.filter((a) => a.sendsWebhooks && a.webhooksSignedWithCredentials)],
    ['no webhooks', live.filter((a) => !a.sendsWebhooks)],
  ] as const;
  const detail = parts
    .filter(([, list]) => list.length > 0)
    .map(([label, list]) => `${label}: ${list.map(name).join(', ')}`)
    .join('; ');
  return pass('webhook_secrets', `${detail}.`);
}

function webhookEndpoint(m: string, profiles: ProfileFacts[]): GoLiveItem {
  const problems = profiles.flatMap((p) => {
    if (!p.webhookUrl) return [`profile ${p.profileName} (${p.profileId}) has no webhook_url`];
    return isHttps(p.webhookUrl) ? [] : [`profile ${p.profileName} (${p.profileId}) webhook_url is not HTTPS`];
  });
  if (profiles.length === 0) problems.push('no business profile');
  if (problems.length > 0) {
    return fail(
      'merchant_webhook_endpoint',
      `${problems.join('; ')}.`,
      `Set an https:// endpoint: POST /account/${m}/business_profile/{profile_id} with webhook_details.webhook_url.`,
    );
  }
  return pass('merchant_webhook_endpoint', profiles.map((p) => `${p.profileName}: ${p.webhookUrl}`).join('; '));
}

function returnUrls(m: string, merchantReturnUrl: string | null, profiles: ProfileFacts[]): GoLiveItem {
  const problems: string[] = [];
  if (merchantReturnUrl && !isHttps(merchantReturnUrl)) problems.push('the merchant return_url is not HTTPS');
  for (const p of profiles) {
    if (p.returnUrl && !isHttps(p.returnUrl)) problems.push(`profile ${p.profileName} return_url is not HTTPS`);
    if (!p.returnUrl && !merchantReturnUrl) problems.push(`profile ${p.profileName} has no default return_url`);
  }
  if (problems.length > 0) {
    return fail(
      'return_urls_https',
      `${problems.join('; ')}.`,
      `Use https:// return URLs: POST /account/${m}/business_profile/{profile_id} with return_url ` +
        '(payments in live mode must also send https return_url values).',
    );
  }
  const urls = [merchantReturnUrl, ...profiles.map((p) => p.returnUrl)].filter((u): u is string => !!u);
  return pass('return_urls_https', [...new Set(urls)].join('; '));
}

function paymentMethods(m: string, live: AccountFacts[]): GoLiveItem {
  if (live.length === 0) return fail('payment_methods_enabled', NO_LIVE, promoteAction(m, 'Promote a test account'));
  const empty = live.filter((a) => a.paymentMethodCount === 0);
  if (empty.length > 0) {
    return fail(
      'payment_methods_enabled',
      `No payment_methods_enabled on: ${empty.map(name).join(', ')}.`,
      `Enable the payment methods you sell with: POST /account/${m}/connectors/{id} with payment_methods_enabled.`,
    );
  }
  return pass(
    'payment_methods_enabled',
    live.map((a) => `${name(a)}: ${a.paymentMethodCount} payment method group(s)`).join('; '),
  );
}

function liveApiKey(m: string, keys: GoLiveSnapshot['usableKeys']): GoLiveItem {
  const liveKeys = keys.filter((k) => k.mode === 'live');
  if (liveKeys.length === 0) {
    return fail(
      'live_api_key',
      'No usable (unrevoked, unexpired) live secret key.',
      `Ask the operator for one: POST /api_keys/${m} with "mode":"live" (admin key); it is shown once.`,
    );
  }
  return pass('live_api_key', `Live keys: ${liveKeys.map((k) => k.keyId).join(', ')}.`);
}

/**
 * Test keys cannot reach live accounts (payments carry the key's mode and route only to accounts of that mode), so
 * what remains is configuration: a live account holding a value that is also a test account's credential, or a
 * processor test key (`sk_test_…`).
 */
function noTestCredentials(live: AccountFacts[], test: AccountFacts[]): GoLiveItem {
  const problems: string[] = [];
  for (const a of live) {
    const testPrints = new Set(
      test.filter((t) => t.connectorName === a.connectorName).flatMap((t) => Object.values(t.credentialFingerprints)),
    );
    const shared = Object.entries(a.credentialFingerprints)
      .filter(([, print]) => testPrints.has(print))
      .map(([field]) => field);
    if (shared.length > 0) problems.push(`${name(a)}: ${shared.join(', ')} also used by a test account`);
    if (a.testKeyFields.length > 0) problems.push(`${name(a)}: ${a.testKeyFields.join(', ')} is a test key`);
  }
  if (problems.length > 0) {
    return fail(
      'no_test_credentials_in_live',
      `${problems.join('; ')}.`,
      'Give live accounts the live credentials the processor issued (POST /account/{merchant_id}/connectors/{id}/rotate).',
    );
  }
  return pass(
    'no_test_credentials_in_live',
    live.length ? 'Live accounts share no credential with test accounts.' : 'No live account yet.',
  );
}

function responseHashKey(m: string, profiles: ProfileFacts[]): GoLiveItem {
  const problems = profiles.flatMap((p) => {
    if (!p.enablePaymentResponseHash) return [`profile ${p.profileName}: enable_payment_response_hash is off`];
    return p.hashKeySet ? [] : [`profile ${p.profileName}: no payment_response_hash_key`];
  });
  if (profiles.length === 0) problems.push('no business profile');
  if (problems.length > 0) {
    return fail(
      'response_hash_key',
      `${problems.join('; ')}.`,
      `Turn signing on: POST /account/${m}/business_profile/{profile_id} with "enable_payment_response_hash": true ` +
        '(redirects and merchant webhooks are then signed with payment_response_hash_key).',
    );
  }
  return pass('response_hash_key', `Signed responses on: ${profiles.map((p) => p.profileName).join(', ')}.`);
}
