// Check 4: bad input. fast-check generates malformed bodies, headers, query strings and path segments for every public
// route of the API (10,000 requests, spread evenly); every answer must be below 500, and every 4xx must carry the error
// envelope {"error":{"type","code","message"}}. Requests go through node:http so bodies and headers arrive as generated.
// The seed is printed with the results: `--only fuzz` with FUZZ_SEED=<seed> replays the same requests. Requests Node's
// own HTTP parser refuses before the API sees them (an invalid method token, a request head over its 16 kB limit: a bare
// 400/431) are not generated: the largest generated head stays under 10 kB.

import fc from 'fast-check';
import http from 'node:http';
import { call } from '../lib/http.mjs';
import { createMerchant, RETURN_URL } from '../lib/setup.mjs';
import { shopperActs } from '../lib/shopper.mjs';

// ---------------------------------------------------------------------------------------------------------------------
// Arbitraries

/** encodeURIComponent, also for lone surrogates (sent as the bytes Buffer makes of them). */
const encode = (text) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
};

const weirdString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', 'null', 'undefined', 'NaN', '-1', '1e309', '0x10', '[]', '{}', '%00'),
  fc.constantFrom('__proto__', 'constructor', 'prototype', "' OR 1=1 --", '<script>alert(1)</script>', '${7*7}'),
  fc.string({ minLength: 1000, maxLength: 3000 }),
);
const weirdNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 53, 2 ** 63, -(2 ** 63), 1e308, Number.MIN_VALUE, 4.35),
);
const weirdValue = fc.oneof(
  { weight: 3, arbitrary: weirdString },
  { weight: 3, arbitrary: weirdNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(weirdString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }) },
);

/** Raw bodies that are not what a JSON route wants. */
const rawBody = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, Math.max(1, Math.floor(JSON.stringify(v).length / 2)))),
  fc.constantFrom(
    '',
    'null',
    'true',
    '[]',
    '"text"',
    '{',
    '{"amount": 1,}',
    '{"amount": 01}',
    "{'amount': 1}",
    '{"a":1}{"b":2}',
    '\u0000\u0001\u0002',
    '\ufeff{"amount":1000,"currency":"USD"}',
    '{"__proto__":{"isAdmin":true},"amount":1000,"currency":"USD"}',
    '{"constructor":{"prototype":{"polluted":1}}}',
  ),
  fc.integer({ min: 500, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 500, max: 5000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.constant(`{"description":"${'x'.repeat(150_000)}"}`),
);

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=nonsense',
      'multipart/form-data; boundary=xyz',
      'application/xml',
      'application/*',
      '',
      ';;;',
    ),
  },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** A path segment: mostly the real id, else something odd (encoded, or raw bytes a URL may carry). */
const segmentOf = (real) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(real) },
    { weight: 2, arbitrary: weirdString.map((s) => encode(s.slice(0, 300))) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '%',
        '%ZZ',
        '%00',
        '%2e%2e',
        '..',
        '.',
        '%2F',
        `${real}%00`,
        `${real}'`,
        `${real}"`,
        `${real};drop`,
        'x'.repeat(2000),
        '%C0%AF',
        '%EF%BF%BD',
        '%u0000',
        '~',
        '*',
        '$',
      ),
    },
  );

const queryString = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(weirdString, weirdString), { maxLength: 4 })
      .map((pairs) => `?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`.slice(0, 4000)),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '?limit=0',
      '?limit=-1',
      '?limit=1e3',
      '?limit=abc',
      '?limit=1&limit=2',
      '?limit[]=1',
      '?limit[a]=1',
      '?__proto__[x]=1',
      '?force_sync=1',
      '?force_sync=true&force_sync=false',
      '?expand_attempts[]=true',
      '?created=not-a-date',
      '?created.gte=9999-99-99',
      '?offset=99999999999999999999',
      '?payment_id[$ne]=x',
      '?client_secret=',
      '?%ZZ=1',
      '?a=%ZZ',
      `?q=${'x'.repeat(3000)}`,
    ),
  },
);

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);

// ---------------------------------------------------------------------------------------------------------------------
// Routes

function routes(ctx) {
  const { f, fp, ft, today } = ctx;
  const M = f.merchantId;
  const json = (fields) => ({ kind: 'json', fields });
  const s = (real) => Object.assign(segmentOf(real), { label: '{…}' });
  const lit = (text) => Object.assign(fc.constant(text), { label: text });
  return [
    { method: 'POST', path: [lit('/accounts')], auth: 'admin', body: json(ctx.bodies.account) },
    { method: 'GET', path: [lit('/accounts/'), s(M)], auth: 'merchant' },
    { method: 'POST', path: [lit('/api_keys/'), s(M)], auth: 'admin', body: json(ctx.bodies.apiKey) },
    { method: 'GET', path: [lit('/api_keys/'), s(M), lit('/list')], auth: 'merchant' },
    { method: 'GET', path: [lit('/api_keys/'), s(M), lit('/'), s(f.keyId)], auth: 'merchant' },
    { method: 'DELETE', path: [lit('/api_keys/'), s(M), lit('/'), s('snd_doesnotexist000')], auth: 'admin' },
    {
      method: 'POST',
      path: [lit('/account/'), s(M), lit('/connectors')],
      auth: 'admin',
      body: json(ctx.bodies.connector),
    },
    { method: 'GET', path: [lit('/account/'), s(M), lit('/connectors')], auth: 'merchant' },
    { method: 'GET', path: [lit('/account/'), s(M), lit('/connectors/'), s(f.connectorId)], auth: 'merchant' },
    {
      method: 'POST',
      path: [lit('/account/'), s(M), lit('/connectors/'), s(f.connectorId)],
      auth: 'merchant',
      body: json(ctx.bodies.connectorUpdate),
    },
    {
      method: 'DELETE',
      path: [lit('/account/'), s(M), lit('/connectors/'), s('mca_doesnotexist0000')],
      auth: 'merchant',
    },
    { method: 'GET', path: [lit('/account/'), s(M), lit('/business_profile')], auth: 'merchant' },
    {
      method: 'POST',
      path: [lit('/account/'), s(M), lit('/business_profile/'), s(f.profileId)],
      auth: 'merchant',
      body: json(ctx.bodies.profile),
    },
    { method: 'POST', path: [lit('/payments')], auth: 'merchant', body: json(ctx.bodies.payment) },
    { method: 'GET', path: [lit('/payments/list')], auth: 'merchant' },
    { method: 'GET', path: [lit('/payments/'), s(ctx.paymentId)], auth: 'merchantOrPublishable' },
    {
      method: 'POST',
      path: [lit('/payments/'), s(ctx.paymentId), lit('/confirm')],
      auth: 'merchantOrPublishable',
      body: json(ctx.bodies.confirm),
    },
    {
      method: 'POST',
      path: [lit('/payments/'), s(ctx.paidId), lit('/capture')],
      auth: 'merchant',
      body: json(ctx.bodies.capture),
    },
    {
      method: 'POST',
      path: [lit('/payments/'), s(ctx.paymentId), lit('/cancel')],
      auth: 'merchant',
      body: json(ctx.bodies.cancel),
    },
    { method: 'POST', path: [lit('/refunds')], auth: 'merchant', body: json(ctx.bodies.refund) },
    { method: 'GET', path: [lit('/refunds/list')], auth: 'merchant' },
    { method: 'GET', path: [lit('/refunds/'), s(ctx.refundId)], auth: 'merchant' },
    {
      method: 'GET',
      path: [lit('/payments/'), s(ctx.paymentId), lit('/'), s(M), lit('/redirect/response/'), s('generic')],
      auth: 'none',
    },
    {
      method: 'POST',
      path: [lit('/payments/'), s(ctx.paymentId), lit('/'), s(M), lit('/redirect/response/'), s('generic')],
      auth: 'none',
      body: { kind: 'form' },
    },
    {
      method: 'POST',
      path: [lit('/webhooks/'), s(fp.merchantId), lit('/'), s(fp.connectorId)],
      auth: 'none',
      body: { kind: 'webhook', connector: 'plural' },
    },
    {
      method: 'POST',
      path: [lit('/webhooks/'), s(ft.merchantId), lit('/'), s(ft.connectorId)],
      auth: 'none',
      body: { kind: 'webhook', connector: 'tap' },
    },
    { method: 'GET', path: [lit('/events/'), s(M)], auth: 'merchant' },
    { method: 'GET', path: [lit('/events/'), s(M), lit('/'), s(ctx.eventId), lit('/attempts')], auth: 'merchant' },
    {
      method: 'POST',
      path: [lit('/events/'), s(M), lit('/'), s(ctx.eventId), lit('/retry')],
      auth: 'merchant',
      body: json({}),
    },
    {
      method: 'POST',
      path: [lit('/recon/'), s(M), lit('/runs')],
      auth: 'merchant',
      body: json({
        merchant_connector_id: f.connectorId,
        date: today,
        settlement_csv: 'connector_transaction_id,amount,currency,status\n',
      }),
    },
    { method: 'GET', path: [lit('/recon/'), s(M), lit('/runs')], auth: 'merchant' },
    { method: 'GET', path: [lit('/recon/'), s(M), lit('/runs/'), s(ctx.runId)], auth: 'merchant' },
    {
      method: 'GET',
      path: [lit('/recon/'), s(M), lit('/runs/'), s(ctx.runId), lit('/items.csv')],
      auth: 'merchant',
    },
    {
      method: 'GET',
      path: [
        lit('/health/'),
        Object.assign(fc.constantFrom('live', 'ready', 'nothing', '%ZZ'), { label: '{live|ready|…}' }),
      ],
      auth: 'none',
    },
    { method: 'GET', path: [lit('/'), s('nowhere')], auth: 'merchant' },
  ];
}

/** A structured body: the route's valid body with one to three fields replaced, removed, or unknown ones added. */
function structuredBody(valid) {
  const keys = [...Object.keys(valid), 'surprise', '__proto__', 'constructor'];
  return fc
    .array(fc.tuple(fc.constantFrom(...keys), fc.oneof(weirdValue, fc.constant(undefined))), {
      minLength: 0,
      maxLength: 3,
    })
    .map((changes) => {
      const body = JSON.parse(JSON.stringify(valid));
      for (const [key, value] of changes) {
        if (value === undefined) delete body[key];
        else Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
      }
      return JSON.stringify(body);
    });
}

function bodyArbitrary(route, ctx) {
  const spec = route.body;
  if (!spec) return fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: rawBody });
  if (spec.kind === 'form') {
    return fc
      .dictionary(fc.constantFrom('token', 'tap_id', 'order_id', 'status', 'signature', 'x'), weirdString, {
        maxKeys: 5,
      })
      .map((d) => new URLSearchParams(d).toString());
  }
  if (spec.kind === 'webhook') {
    return fc.oneof(
      rawBody,
      fc.jsonValue().map((v) => JSON.stringify(v)),
      structuredBody(ctx.webhookBodies[spec.connector]),
    );
  }
  return fc.oneof(
    { weight: 5, arbitrary: structuredBody(spec.fields) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 3, arbitrary: rawBody },
  );
}

function requestArbitrary(route, ctx) {
  const keyFor = (auth) => {
    const real =
      auth === 'none'
        ? fc.constant(null)
        : auth === 'admin'
          ? fc.constant(ctx.adminKey)
          : auth === 'merchantOrPublishable'
            ? fc.constantFrom(ctx.f.key, ctx.f.publishableKey)
            : fc.constant(ctx.f.key);
    return fc.oneof(
      { weight: 12, arbitrary: real },
      { weight: 1, arbitrary: fc.constantFrom(null, '', ' ', ctx.f.publishableKey, ctx.adminKey, `${ctx.f.key}x`) },
      { weight: 1, arbitrary: headerValue },
      { weight: 1, arbitrary: fc.constant('k'.repeat(3000)) },
    );
  };
  return fc.record({
    method: fc.oneof(
      { weight: 15, arbitrary: fc.constant(route.method) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE') },
    ),
    path: fc.tuple(...route.path).map((parts) => parts.join('')),
    query: queryString,
    body: bodyArbitrary(route, ctx),
    contentType,
    apiKey: keyFor(route.auth),
    idempotencyKey: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: headerValue },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '',
          ' ',
          'k'.repeat(300),
          Buffer.from('ключ', 'utf8').toString('latin1'),
          'same-key-for-all',
        ),
      },
    ),
    extraHeaders: fc.array(
      fc.oneof(
        fc.tuple(
          fc.constantFrom('content-encoding'),
          fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'zstd', 'x'),
        ),
        fc.tuple(
          fc.constantFrom('accept', 'accept-encoding', 'x-forwarded-for', 'x-request-id', 'origin'),
          headerValue,
        ),
        fc.tuple(fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'hashstring'), headerValue),
        fc.tuple(fc.constantFrom('x-http-method-override', 'transfer-encoding'), fc.constantFrom('DELETE', 'PUT', 'x')),
      ),
      { maxLength: 3 },
    ),
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Sending and judging

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

function send(apiUrl, req) {
  const { hostname, port } = new URL(apiUrl);
  const headers = {};
  if (req.apiKey !== null) headers['api-key'] = req.apiKey;
  if (req.idempotencyKey !== null) headers['idempotency-key'] = req.idempotencyKey;
  if (req.body !== null && req.contentType !== null) headers['content-type'] = req.contentType;
  // node:http frames a GET/DELETE body only with an explicit length (else the body would read as the next request).
  if (req.body !== null) headers['content-length'] = String(Buffer.byteLength(req.body));
  for (const [name, value] of req.extraHeaders) {
    if (name === 'transfer-encoding') continue; // node:http frames the body itself
    headers[name] = value;
  }
  return new Promise((resolve) => {
    let request;
    try {
      request = http.request({
        hostname,
        port,
        method: req.method,
        path: `${req.path}${req.query}`,
        headers,
        agent,
        timeout: 30_000,
      });
    } catch (error) {
      resolve({ skipped: error.code ?? String(error) });
      return;
    }
    request.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          type: res.headers['content-type'] ?? '',
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (error) => resolve({ status: 0, error: error.code ?? String(error) }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve({ status: 0, error: error.code ?? error.message }));
    if (req.body !== null) request.end(req.body);
    else request.end();
  });
}

function envelopeProblem(res) {
  if (res.status < 400 || res.status >= 500) return null;
  let body;
  try {
    body = JSON.parse(res.text);
  } catch {
    return `not JSON (${res.type || 'no content-type'}): ${res.text.slice(0, 80)}`;
  }
  const e = body?.error;
  if (!e || typeof e.type !== 'string' || typeof e.code !== 'string' || typeof e.message !== 'string') {
    return `no error envelope: ${res.text.slice(0, 120)}`;
  }
  return null;
}

export async function fuzzCheck(stack, { requests }) {
  const api = stack.urls.api;
  const f = await createMerchant(stack, { connector: 'generic', label: 'fuzz' });
  const fp = await createMerchant(stack, { connector: 'plural', label: 'fuzz_p' });
  const ft = await createMerchant(stack, { connector: 'tap', label: 'fuzz_t' });
  // Real resources, so that path fuzzing around them reaches the handlers.
  const open = await call(api, 'POST', '/payments', {
    key: f.key,
    body: { amount: 1000, currency: 'USD', confirm: true, return_url: RETURN_URL },
  });
  const paid = await call(api, 'POST', '/payments', {
    key: f.key,
    body: { amount: 2000, currency: 'USD', confirm: true, return_url: RETURN_URL },
  });
  await shopperActs('generic', paid.body.next_action.redirect_to_url, 'pay', { comeBack: true });
  const refund = await call(api, 'POST', '/refunds', {
    key: f.key,
    body: { payment_id: paid.body.payment_id, amount: 10 },
  });
  const events = await call(api, 'GET', `/events/${f.merchantId}`, { key: f.key });
  const today = new Date().toISOString().slice(0, 10);
  const run = await call(api, 'POST', `/recon/${f.merchantId}/runs`, {
    key: f.key,
    body: { merchant_connector_id: f.connectorId, date: today },
  });
  const ctx = {
    f,
    fp,
    ft,
    today,
    adminKey: stack.adminKey,
    paymentId: open.body.payment_id,
    paidId: paid.body.payment_id,
    refundId: refund.body?.refund_id ?? 'ref_missing',
    eventId: events.body?.[0]?.event_id ?? 'evt_missing',
    runId: run.body?.run_id ?? 'rcn_missing',
    bodies: {
      account: {
        merchant_id: 'fuzz_m',
        merchant_name: 'Fuzz',
        return_url: RETURN_URL,
        webhook_details: { webhook_url: 'https://h.example/w' },
        metadata: { a: 1 },
      },
      apiKey: { name: 'fuzz', description: 'd', expiration: 'never', mode: 'test' },
      connector: {
        connector_type: 'payment_processor',
        connector_name: 'generic',
        connector_label: 'fuzz',
        test_mode: true,
        connector_account_details: { auth_type: 'BodyKey', api_key: 'cid_fuzz', key1: 'fuzz_secret_123' },
        metadata: { base_url: 'https://gateway.invalid/pay/api/v1' },
        disabled: true,
      },
      connectorUpdate: {
        connector_type: 'payment_processor',
        connector_label: 'fuzz2',
        metadata: { base_url: `${stack.urls.sandbox}/generic/pay/sandbox/api/v1` },
      },
      profile: { return_url: RETURN_URL, enable_payment_response_hash: true },
      payment: {
        amount: 1000,
        currency: 'USD',
        confirm: false,
        capture_method: 'automatic',
        return_url: RETURN_URL,
        description: 'fuzz',
        metadata: { order: 1 },
        customer_id: 'cus_1',
        routing: { type: 'single', data: 'generic' },
        connector: ['generic'],
        payment_method: 'card',
        session_expiry: 900,
      },
      confirm: { return_url: RETURN_URL, payment_method: 'card', client_secret: open.body.client_secret },
      capture: { amount_to_capture: 100 },
      cancel: { cancellation_reason: 'fuzz' },
      refund: {
        payment_id: paid.body.payment_id,
        amount: 1,
        reason: 'fuzz',
        refund_type: 'instant',
        metadata: { a: 1 },
      },
    },
    webhookBodies: {
      plural: {
        event_type: 'ORDER_PROCESSED',
        data: { order_id: 'v1-1-aa-x', status: 'PROCESSED', order_amount: { value: 100, currency: 'INR' } },
      },
      tap: {
        id: 'chg_fuzz',
        object: 'charge',
        status: 'CAPTURED',
        amount: 1,
        currency: 'KWD',
        reference: { transaction: 'x' },
      },
    },
  };

  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const table = routes(ctx);
  const perRoute = Math.ceil(requests / table.length);
  const samples = table.flatMap((route, i) =>
    fc.sample(requestArbitrary(route, ctx), { numRuns: perRoute, seed: seed + i }).map((req) => ({ route, req })),
  );
  const work = samples.slice(0, requests);

  const failures = [];
  const statusCounts = {};
  let sent = 0;
  let skipped = 0;
  const skipReasons = {};
  let fivexx = 0;
  let badEnvelope = 0;
  let transport = 0;
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const { route, req } = work[next++];
      const res = await send(api, req);
      if (res.skipped) {
        skipped += 1;
        skipReasons[res.skipped] = (skipReasons[res.skipped] ?? 0) + 1;
        continue;
      }
      sent += 1;
      statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
      let problem = null;
      if (res.status === 0) {
        transport += 1;
        problem = `no answer (${res.error})`;
      } else if (res.status >= 500) {
        fivexx += 1;
        problem = `HTTP ${res.status}: ${res.text.slice(0, 160)}`;
      } else {
        const envelope = envelopeProblem(res);
        if (envelope) {
          badEnvelope += 1;
          problem = `HTTP ${res.status} ${envelope}`;
        }
      }
      if (problem && failures.length < Number(process.env.FUZZ_KEEP ?? 40)) {
        failures.push({
          route: `${route.method} ${route.path.map((part) => part.label).join('')}`,
          problem,
          request: {
            method: req.method,
            path: `${req.path}${req.query}`.slice(0, 300),
            contentType: req.contentType,
            apiKey: req.apiKey === null ? null : req.apiKey.length > 40 ? `${req.apiKey.length} chars` : '[set]',
            idempotencyKey: req.idempotencyKey,
            extraHeaders: req.extraHeaders,
            body: req.body === null ? null : req.body.slice(0, 300),
          },
        });
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  // Anything the API could not survive shows as a restart of its process.
  const apiAlive = stack.api.running();
  return {
    figures: [
      {
        name: `requests sent (${table.length} routes)`,
        value: sent,
        mark: `≥ ${Math.floor(requests * 0.99)}`,
        pass: sent >= Math.floor(requests * 0.99),
      },
      {
        name: 'answers ≥ 500 or no answer',
        value: fivexx + transport,
        mark: '= 0',
        pass: fivexx + transport === 0 && apiAlive,
      },
      { name: '4xx without the error envelope', value: badEnvelope, mark: '= 0', pass: badEnvelope === 0 },
    ],
    details: { seed, routes: table.length, perRoute, skippedByClient: skipped, skipReasons, statusCounts, failures },
  };
}
