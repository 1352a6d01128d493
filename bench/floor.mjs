// The floor: the least a payment can cost on this machine. A plain node:http server, no framework, that answers
// POST /payments exactly like the engine does for create+confirm on the generic sandbox, with the same database work:
//   - the API key check: one indexed lookup (api_keys.key_hash, HMAC-SHA256 as the engine computes it);
//   - transaction 1 (before the gateway call, so the attempt is durable first): the payment_intents insert, the
//     payment_created event, the version-checked move to `processing`, the payment_attempts insert and the
//     attempt_started event;
//   - the sandbox create call (access token fetched once, kept in memory, fetched again only after a 401);
//   - transaction 2: the version-checked attempt and intent updates, the attempt_status_changed event and the
//     outbox row in outgoing_events.
// Same tables, rows and indexes as the engine (it runs on the engine's migrated database); statements are prepared
// (named) and the merchant's configuration is read once at start, which is what "minimal" buys.
// Env: FLOOR_PORT, DATABASE_URL, API_KEY_HASH_SECRET, MERCHANT_ID, GATEWAY_BASE_URL, GATEWAY_CLIENT_ID,
// GATEWAY_SECRET_ID, PUBLIC_BASE_URL.

import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { Agent, request } from 'undici';

const env = process.env;
const hashSecret = Buffer.from(env.API_KEY_HASH_SECRET, 'base64');
// As the engine's pool: 20 connections, all opened at start-up and kept (DB_POOL_MIN defaults to DB_POOL_SIZE).
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 20, min: 20, application_name: 'floor' });
const warm = await Promise.all(Array.from({ length: 20 }, () => pool.connect()));
warm.forEach((client) => client.release());
const gateway = new Agent({ connections: 64, keepAliveTimeout: 10_000 }); // as the engine's ConnectorHttpClient

const SQL = {
  auth: 'SELECT merchant_id, mode, revoked_at, expires_at FROM api_keys WHERE key_hash = $1',
  insertIntent: `INSERT INTO payment_intents (payment_id, merchant_id, profile_id, mode, status, amount, currency,
    amount_capturable, capture_method, client_secret, client_secret_expires_at, return_url, expires_at, version,
    created_at, updated_at) VALUES ($1, $2, $3, $4, 'requires_payment_method', $5, $6, 0, 'automatic', $7, $8, $9,
    $10, 1, $11, $11)`,
  event: `INSERT INTO payment_events (merchant_id, payment_id, attempt_id, event_type, from_status, to_status, source,
    details) VALUES ($1, $2, $3, $4, $5, $6, 'api', $7)`,
  startIntent: `UPDATE payment_intents SET status = 'processing', active_attempt_id = $3,
    attempt_count = attempt_count + 1, version = version + 1 WHERE payment_id = $1 AND merchant_id = $2 AND version = 1`,
  insertAttempt: `INSERT INTO payment_attempts (attempt_id, payment_id, merchant_id, status, amount, currency, connector,
    merchant_connector_id, capture_method, routing_decision, version) VALUES ($1, $2, $3, 'started', $4, $5, 'generic',
    $6, 'automatic', $7, 1)`,
  finishAttempt: `UPDATE payment_attempts SET status = 'authentication_pending', connector_transaction_id = $2,
    redirect_url = $3, version = version + 1, modified_at = now() WHERE attempt_id = $1 AND version = 1`,
  finishIntent: `UPDATE payment_intents SET status = 'requires_customer_action', version = version + 1,
    updated_at = now() WHERE payment_id = $1 AND version = 2`,
  // next_attempt_at a day ahead: the floor has no relay, and the engine's worker must not spend CPU re-publishing
  // floor rows during the measurement (its sweeper picks pending rows older than 2 minutes). Same row, same indexes.
  outbox: `INSERT INTO outgoing_events (event_id, merchant_id, profile_id, event_type, payment_id, payload, status,
    attempts, next_attempt_at) VALUES ($1, $2, $3, 'action_required', $4, $5, 'pending', 0, now() + interval '1 day')`,
};
const prepared = (name, values) => ({ name, text: SQL[name], values });

/** The merchant's connector account, read once: configuration lives in memory. */
async function loadAccount() {
  const { rows } = await pool.query(
    'SELECT merchant_connector_id, profile_id FROM connector_accounts WHERE merchant_id = $1 AND NOT disabled LIMIT 1',
    [env.MERCHANT_ID],
  );
  if (!rows[0]) throw new Error(`no connector account for ${env.MERCHANT_ID}`);
  return { id: rows[0].merchant_connector_id, profileId: rows[0].profile_id };
}

let token = null;
async function accessToken(refresh = false) {
  if (!token || refresh) {
    token = gatewayCall('/authentication/token', null, {
      client_id: env.GATEWAY_CLIENT_ID,
      secret_id: env.GATEWAY_SECRET_ID,
    })
      .then(({ body }) => body.data.access_token)
      .catch((error) => {
        token = null;
        throw error;
      });
  }
  return token;
}

async function gatewayCall(route, bearer, json) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await request(`${env.GATEWAY_BASE_URL}${route}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(json),
    dispatcher: gateway,
  });
  const body = await res.body.json().catch(() => null);
  if (res.statusCode !== 200 && res.statusCode !== 401) throw new Error(`gateway ${route} answered ${res.statusCode}`);
  return { status: res.statusCode, body };
}

async function createAtGateway(json) {
  let res = await gatewayCall('/payment/create', await accessToken(), json);
  if (res.status === 401) res = await gatewayCall('/payment/create', await accessToken(true), json);
  if (res.status !== 200 || typeof res.body?.data?.token !== 'string') throw new Error('gateway refused the payment');
  return res.body.data;
}

const id = (prefix) => `${prefix}_${randomBytes(15).toString('base64url').replace(/[-_]/g, 'x')}`;

async function inTransaction(work) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

// The engine answers (and stores in the outbox) Hyperswitch's full PaymentsResponse: these fields are always null for
// this flow. The floor sends them too, so both serialise and store payloads of about the same size.
const ALWAYS_NULL = Object.fromEntries(
  `shipping_cost refunds disputes mandate_id mandate_data setup_future_usage off_session capture_on payment_method_data
  payment_token shipping billing order_details email name phone statement_descriptor_name statement_descriptor_suffix
  connector_label business_country business_label business_sub_label allowed_payment_method_types ephemeral_key
  frm_message connector_metadata feature_metadata payment_link surcharge_details merchant_decision
  incremental_authorization_allowed authorization_count incremental_authorizations external_authentication_details
  external_3ds_authentication_attempted fingerprint browser_info payment_method_id payment_method_status split_payments
  frm_metadata extended_authorization_applied capture_before order_tax_amount connector_mandate_id card_discovery
  force_3ds_challenge force_3ds_challenge_trigger issuer_error_code issuer_error_message is_iframe_redirection_enabled
  whole_connector_response customer_id customer description payment_method payment_method_type authentication_type
  cancellation_reason error_code error_message unified_code unified_message metadata merchant_order_reference_id`
    .split(/\s+/)
    .map((field) => [field, null]),
);

/** A payment_events row: `[merchant, payment, attempt]`, `[type, from, to, details]`. */
const addEvent = (client, ids, event) => client.query(prepared('event', [...ids, ...event]));

async function createPayment(account, key, input) {
  const m = key.merchant_id;
  const now = new Date();
  const paymentId = id('pay');
  const attemptId = `${paymentId}_1`;
  const intent = {
    ...ALWAYS_NULL,
    payment_id: paymentId,
    merchant_id: m,
    status: 'requires_customer_action',
    amount: input.amount,
    currency: input.currency,
    client_secret: `${paymentId}_secret_${randomBytes(15).toString('hex')}`,
    created: now.toISOString(),
    return_url: input.return_url ?? null,
    capture_method: 'automatic',
    profile_id: account.profileId,
    connector: 'generic',
    merchant_connector_id: account.id,
    reference_id: attemptId,
    attempt_count: 1,
    net_amount: input.amount,
    amount_capturable: 0,
    amount_received: null,
    expires_on: new Date(now.getTime() + 900_000).toISOString(),
    updated: now.toISOString(),
    payment_experience: 'redirect_to_url',
    manual_retry_allowed: false,
  };
  // jsonb contents shaped like the engine's (routing decision, event details), so rows are about the same size.
  const decision = { algorithm: 'default_priority', selected: { merchant_connector_id: account.id } };
  const startedDetails = { connector: 'generic', merchant_connector_id: account.id };
  const changedDetails = { raw_status: null, error_code: null, intent_status: 'requires_customer_action' };
  intent.routing_decision = decision;
  await inTransaction(async (c) => {
    const secretExpiry = new Date(now.getTime() + 900_000);
    const expiry = new Date(now.getTime() + 86_400_000);
    await c.query(
      prepared('insertIntent', [
        paymentId,
        m,
        account.profileId,
        key.mode,
        input.amount,
        input.currency,
        intent.client_secret,
        secretExpiry,
        intent.return_url,
        expiry,
        now,
      ]),
    );
    await addEvent(c, [m, paymentId, null], ['payment_created', null, 'requires_payment_method', null]);
    const started = await c.query(prepared('startIntent', [paymentId, m, attemptId]));
    if (started.rowCount !== 1) throw new Error('lost the version race');
    await c.query(
      prepared('insertAttempt', [attemptId, paymentId, m, input.amount, input.currency, account.id, decision]),
    );
    await addEvent(
      c,
      [m, paymentId, attemptId],
      ['attempt_started', 'requires_payment_method', 'processing', startedDetails],
    );
  });
  const gatewayStarted = performance.now();
  const created = await createAtGateway({
    amount: (input.amount / 100).toFixed(2),
    currency: input.currency,
    return_url: `${env.PUBLIC_BASE_URL}/payments/${paymentId}/${m}/redirect/response/generic`,
    cancel_url: `${env.PUBLIC_BASE_URL}/payments/${paymentId}/${m}/redirect/response/generic`,
    custom: attemptId,
  });
  const gatewayMs = performance.now() - gatewayStarted;
  intent.connector_transaction_id = created.token;
  intent.next_action = { type: 'redirect_to_url', redirect_to_url: created.payment_url };
  await inTransaction(async (c) => {
    const a = await c.query(prepared('finishAttempt', [attemptId, created.token, created.payment_url]));
    const i = await c.query(prepared('finishIntent', [paymentId]));
    if (a.rowCount !== 1 || i.rowCount !== 1) throw new Error('lost the version race');
    await addEvent(
      c,
      [m, paymentId, attemptId],
      ['attempt_status_changed', 'started', 'authentication_pending', changedDetails],
    );
    const payload = {
      merchant_id: m,
      event_type: 'action_required',
      content: { type: 'payment_details', object: intent },
    };
    await c.query(prepared('outbox', [id('evt'), m, account.profileId, paymentId, payload]));
  });
  return { intent, gatewayMs };
}

function send(res, status, body, started, gatewayMs = 0) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-switchyard-latency': Math.max(0, performance.now() - started - gatewayMs).toFixed(2),
  });
  res.end(text);
}

async function handle(account, req, res, raw) {
  const started = performance.now();
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true }, started);
  if (req.method !== 'POST' || req.url !== '/payments') return send(res, 404, { error: 'not found' }, started);
  const presented = req.headers['api-key'];
  if (typeof presented !== 'string') return send(res, 401, { error: 'unauthorized' }, started);
  const hash = createHmac('sha256', hashSecret).update(presented).digest('hex');
  const { rows } = await pool.query(prepared('auth', [hash]));
  const key = rows[0];
  if (!key || key.revoked_at || (key.expires_at && key.expires_at <= new Date())) {
    return send(res, 401, { error: 'unauthorized' }, started);
  }
  let input;
  try {
    input = JSON.parse(raw);
  } catch {
    return send(res, 400, { error: 'malformed body' }, started);
  }
  if (!Number.isInteger(input.amount) || input.amount <= 0 || !/^[A-Z]{3}$/.test(input.currency ?? '')) {
    return send(res, 400, { error: 'amount and currency are required' }, started);
  }
  const { intent, gatewayMs } = await createPayment(account, key, input);
  send(res, 200, intent, started, gatewayMs);
}

const account = await loadAccount();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    handle(account, req, res, Buffer.concat(chunks).toString('utf8')).catch((error) => {
      console.error(`floor: ${error.message}`);
      if (!res.headersSent) send(res, 500, { error: 'internal' }, performance.now());
    });
  });
});
server.listen(Number(env.FLOOR_PORT), '127.0.0.1');

const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
