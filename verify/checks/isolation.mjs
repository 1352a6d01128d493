// Check 6: tenant isolation. Every route of the API is tried with merchant B's keys (secret and publishable) on merchant
// A's resources, and with A's test key on A's live resources. A leak is an answer other than 401/403/404 (list routes:
// any foreign id listed), or a foreign id in any answer body that the request itself did not carry. Every route is first
// called by the resource's owner, to prove the path reaches the resource (else a 404 would prove nothing).

import { setTimeout as sleep } from 'node:timers/promises';
import { call } from '../lib/http.mjs';
import { createConnector, createKey, createMerchant, RETURN_URL } from '../lib/setup.mjs';
import { shopperActs } from '../lib/shopper.mjs';

const DENIED = new Set([401, 403, 404]);

export async function isolationCheck(stack) {
  const api = stack.urls.api;
  const admin = stack.adminKey;
  const a = await createMerchant(stack, { connector: 'generic', label: 'iso_a' });
  const b = await createMerchant(stack, { connector: 'generic', label: 'iso_b' });
  const today = new Date().toISOString().slice(0, 10);

  // --- A's test resources: a paid payment, a refund, an event, a recon run, a spare key and connector.
  const created = await call(api, 'POST', '/payments', {
    key: a.key,
    body: { amount: 1000, currency: 'USD', confirm: true, return_url: RETURN_URL },
  });
  const pA = created.body.payment_id;
  const clientSecretA = created.body.client_secret;
  await shopperActs('generic', created.body.next_action.redirect_to_url, 'pay', { comeBack: true });
  await waitFor(async () => (await call(api, 'GET', `/payments/${pA}`, { key: a.key })).body?.status === 'succeeded');
  const refund = await call(api, 'POST', '/refunds', { key: a.key, body: { payment_id: pA, amount: 100 } });
  const rA = refund.body?.refund_id;
  const eventsA = await waitFor(async () => {
    const r = await call(api, 'GET', `/events/${a.merchantId}`, { key: a.key });
    return Array.isArray(r.body) && r.body.length > 0 ? r.body : null;
  });
  const evtA = eventsA[0].event_id;
  const runA = (
    await call(api, 'POST', `/recon/${a.merchantId}/runs`, {
      key: a.key,
      body: { merchant_connector_id: a.connectorId, date: today },
    })
  ).body?.run_id;
  const spareKey = await createKey(stack, a.merchantId, 'test');
  const spareConnector = await createConnector(stack, a.merchantId, 'generic', 'test');

  // --- A's live resources: a live key, a live connector account (admin), a live payment (cancelled: an event), a run.
  const live = await createKey(stack, a.merchantId, 'live');
  const liveConnector = await createConnector(stack, a.merchantId, 'generic', 'live');
  const pL = (
    await call(api, 'POST', '/payments', {
      key: live.key,
      body: { amount: 1000, currency: 'USD', return_url: 'https://shop.example/live' },
    })
  ).body?.payment_id;
  await call(api, 'POST', `/payments/${pL}/cancel`, { key: live.key, body: { cancellation_reason: 'verify' } });
  const evtL = (
    await waitFor(async () => {
      const r = await call(api, 'GET', `/events/${a.merchantId}?payment_id=${pL}`, { key: live.key });
      return Array.isArray(r.body) && r.body.length > 0 ? r.body : null;
    })
  )[0].event_id;
  const runL = (
    await call(api, 'POST', `/recon/${a.merchantId}/runs`, {
      key: live.key,
      body: { merchant_connector_id: liveConnector.connectorId, date: today },
    })
  ).body?.run_id;

  const M = a.merchantId;
  const foreignA = [M, pA, rA, a.connectorId, a.keyId, a.profileId, evtA, runA, clientSecretA, spareKey.keyId];
  const foreignLive = [pL, liveConnector.connectorId, evtL, runL, live.keyId];
  const testConnectorBody = {
    connector_type: 'payment_processor',
    connector_name: 'generic',
    test_mode: true,
    connector_account_details: { auth_type: 'BodyKey', api_key: 'cid_x', key1: 'secret_for_iso_check' },
    metadata: { base_url: `${stack.urls.sandbox}/generic/pay/sandbox/api/v1` },
  };

  // [label, method, path, body, owner key for the control call, list route?]
  const crossTenant = [
    ['GET', `/accounts/${M}`, undefined, a.key],
    ['GET', `/api_keys/${M}/list`, undefined, a.key],
    ['GET', `/api_keys/${M}/${a.keyId}`, undefined, a.key],
    ['POST', `/api_keys/${M}`, { name: 'x', expiration: 'never' }, admin],
    ['DELETE', `/api_keys/${M}/${spareKey.keyId}`, undefined, null],
    ['POST', `/account/${M}/connectors`, testConnectorBody, a.key],
    ['GET', `/account/${M}/connectors`, undefined, a.key],
    ['GET', `/account/${M}/connectors/${a.connectorId}`, undefined, a.key],
    ['POST', `/account/${M}/connectors/${a.connectorId}`, { connector_type: 'payment_processor' }, a.key],
    ['DELETE', `/account/${M}/connectors/${spareConnector.connectorId}`, undefined, null],
    ['GET', `/account/${M}/business_profile`, undefined, a.key],
    ['POST', `/account/${M}/business_profile/${a.profileId}`, { return_url: RETURN_URL }, a.key],
    ['GET', `/payments/${pA}`, undefined, a.key],
    ['GET', `/payments/${pA}?force_sync=true&expand_attempts=true`, undefined, a.key],
    ['POST', `/payments/${pA}/confirm`, {}, a.key],
    ['POST', `/payments/${pA}/capture`, {}, a.key],
    ['POST', `/payments/${pA}/cancel`, {}, a.key],
    ['GET', '/payments/list?limit=100', undefined, a.key, 'list'],
    ['POST', '/refunds', { payment_id: pA, amount: 1 }, a.key],
    ['GET', `/refunds/${rA}`, undefined, a.key],
    ['GET', `/refunds/${rA}?force_sync=true`, undefined, a.key],
    ['GET', `/refunds/list?payment_id=${pA}`, undefined, a.key, 'list'],
    ['GET', `/events/${M}`, undefined, a.key],
    ['GET', `/events/${M}?payment_id=${pA}`, undefined, a.key],
    ['GET', `/events/${M}/${evtA}/attempts`, undefined, a.key],
    ['POST', `/events/${M}/${evtA}/retry`, {}, a.key],
    ['POST', `/recon/${M}/runs`, { merchant_connector_id: a.connectorId, date: today }, a.key],
    ['GET', `/recon/${M}/runs`, undefined, a.key],
    ['GET', `/recon/${M}/runs/${runA}`, undefined, a.key],
    ['GET', `/recon/${M}/runs/${runA}/items.csv`, undefined, a.key],
  ];

  const results = [];
  const controls = [];
  const judgeAnswer = (who, [method, path, body, , kind], res, foreign) => {
    const requestText = `${path} ${JSON.stringify(body ?? '')}`;
    const leakedIds = foreign.filter((id) => id && res.text.includes(id) && !requestText.includes(id));
    const listed = kind === 'list' ? foreign.filter((id) => id && res.text.includes(id)) : [];
    const statusLeak = kind === 'list' ? res.status >= 500 : !DENIED.has(res.status);
    const leak = statusLeak || leakedIds.length > 0 || listed.length > 0;
    results.push({ who, method, path, status: res.status, leak, leakedIds: [...new Set([...leakedIds, ...listed])] });
  };
  const control = async ([method, path, body, ownerKey]) => {
    if (!ownerKey) return;
    const res = await call(api, method, path, { key: ownerKey, body });
    controls.push({ method, path, status: res.status, reached: res.status !== 404 && res.status < 500 });
  };

  // 1. B's secret key on every route of A's.
  for (const route of crossTenant) {
    const [method, path, body] = route;
    judgeAnswer('B secret key', route, await call(api, method, path, { key: b.key, body }), foreignA);
  }
  // 2. B's publishable key, with A's client_secret, on the routes a publishable key may call.
  for (const route of [
    ['GET', `/payments/${pA}?client_secret=${clientSecretA}`, undefined, a.publishableKey],
    ['POST', `/payments/${pA}/confirm`, { client_secret: clientSecretA }, a.publishableKey],
  ]) {
    const [method, path, body] = route;
    judgeAnswer('B publishable key', route, await call(api, method, path, { key: b.publishableKey, body }), foreignA);
  }
  // 3. The shopper's return route with B's merchant id: it must not find A's payment (no redirect, no client secret).
  const returnRoute = ['GET', `/payments/${pA}/${b.merchantId}/redirect/response/generic`, undefined, null];
  judgeAnswer('B return route', returnRoute, await call(api, 'GET', returnRoute[1]), foreignA);
  // 4. Merchant A's test key on A's live resources.
  const liveRoutes = [
    ['GET', `/payments/${pL}`, undefined, live.key],
    ['POST', `/payments/${pL}/confirm`, {}, live.key],
    ['POST', `/payments/${pL}/capture`, {}, live.key],
    ['POST', `/payments/${pL}/cancel`, {}, live.key],
    ['GET', '/payments/list?limit=100', undefined, live.key, 'list'],
    ['POST', '/refunds', { payment_id: pL, amount: 1 }, live.key],
    ['GET', `/refunds/list?payment_id=${pL}`, undefined, live.key, 'list'],
    ['GET', `/account/${M}/connectors/${liveConnector.connectorId}`, undefined, live.key],
    [
      'POST',
      `/account/${M}/connectors/${liveConnector.connectorId}`,
      { connector_type: 'payment_processor' },
      live.key,
    ],
    ['GET', `/account/${M}/connectors`, undefined, live.key, 'list'],
    [
      'POST',
      `/account/${M}/connectors`,
      { ...testConnectorBody, test_mode: false, metadata: { base_url: 'https://gateway.invalid/pay/api/v1' } },
      admin,
    ],
    ['GET', `/api_keys/${M}/${live.keyId}`, undefined, admin],
    ['GET', `/api_keys/${M}/list`, undefined, admin, 'list'],
    ['GET', `/events/${M}`, undefined, live.key, 'list'],
    ['GET', `/events/${M}?payment_id=${pL}`, undefined, live.key, 'list'],
    ['GET', `/events/${M}/${evtL}/attempts`, undefined, live.key],
    ['POST', `/events/${M}/${evtL}/retry`, {}, live.key],
    ['POST', `/recon/${M}/runs`, { merchant_connector_id: liveConnector.connectorId, date: today }, live.key],
    ['GET', `/recon/${M}/runs`, undefined, live.key, 'list'],
    ['GET', `/recon/${M}/runs/${runL}`, undefined, live.key],
    ['GET', `/recon/${M}/runs/${runL}/items.csv`, undefined, live.key],
    ['DELETE', `/account/${M}/connectors/${liveConnector.connectorId}`, undefined, null],
  ];
  for (const route of liveRoutes) {
    const [method, path, body] = route;
    judgeAnswer('A test key on live', route, await call(api, method, path, { key: a.key, body }), foreignLive);
  }

  // Controls last (they change things: a retry, a recon run, a new key…): the owner reaches every resource.
  for (const route of [...crossTenant, ...liveRoutes]) await control(route);
  const returnControl = await call(api, 'GET', `/payments/${pA}/${M}/redirect/response/generic`);
  controls.push({
    method: 'GET',
    path: 'return route of A',
    status: returnControl.status,
    reached: returnControl.status === 303,
  });

  const leaks = results.filter((r) => r.leak);
  const crossLeaks = leaks.filter((r) => !r.who.startsWith('A test key'));
  const liveLeaks = leaks.filter((r) => r.who.startsWith('A test key'));
  const unreached = controls.filter((c) => !c.reached);
  return {
    figures: [
      {
        name: 'requests with a foreign key or a test key on live data',
        value: results.length,
        mark: '≥ 55',
        pass: results.length >= 55,
      },
      {
        name: "leaks to another merchant's keys (not 401/403/404, or a foreign id)",
        value: crossLeaks.length,
        mark: '= 0',
        pass: crossLeaks.length === 0,
      },
      {
        name: 'leaks of live resources to a test key',
        value: liveLeaks.length,
        mark: '= 0',
        pass: liveLeaks.length === 0,
      },
      {
        name: 'owner controls that reach the resource',
        value: `${controls.length - unreached.length}/${controls.length}`,
        mark: 'all',
        pass: unreached.length === 0,
      },
    ],
    details: { leaks, unreached, results, controls },
  };
}

async function waitFor(probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('isolation setup: condition not met in time');
    await sleep(300);
  }
}
