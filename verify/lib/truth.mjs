// Judging payments: Switchyard's own record (read from Postgres) against each sandbox's truth (its control routes), and
// the merchant events the endpoint received. Pure classification lives here so every check judges the same way.

import pg from 'pg';
import { sandboxJson } from './http.mjs';

export const FINAL_INTENT = new Set(['succeeded', 'failed', 'cancelled', 'expired']);
const EVENT_FOR_FINAL = {
  succeeded: 'payment_succeeded',
  failed: 'payment_failed',
  expired: 'payment_failed',
  cancelled: 'payment_cancelled',
};

/**
 * What the processor says happened to the object made for an attempt:
 * paid | unpaid (final, no money moved) | open (waiting for the shopper) | absent (nothing was made).
 */
function genericTruth(p) {
  if (p.status === 'SUCCESS') return 'paid';
  // Paid on the page, pending-then-success: the next status checks turn it SUCCESS.
  if (p.status === 'PENDING' && p.trx_id) return 'paid';
  if (p.status === 'PENDING') return 'open';
  return 'unpaid';
}
function pluralTruth(o) {
  if (['PROCESSED', 'PARTIALLY_REFUNDED', 'FULLY_REFUNDED', 'PENDING'].includes(o.status)) return 'paid';
  if (o.status === 'AUTHORIZED') return 'authorized';
  if (['CREATED', 'ATTEMPTED'].includes(o.status)) return 'open';
  return 'unpaid';
}
function tapTruth(c) {
  if (['CAPTURED', 'IN_PROGRESS'].includes(c.status)) return 'paid';
  if (c.status === 'AUTHORIZED') return 'authorized';
  if (['INITIATED', 'UNKNOWN'].includes(c.status)) return 'open';
  return 'unpaid';
}

/** Every object each sandbox holds, keyed by the attempt id Switchyard sent with it (custom / reference). */
export async function sandboxTruth(sandboxUrl) {
  const [generic, plural, tap] = await Promise.all([
    sandboxJson(sandboxUrl, '/__sandbox/generic/payments'),
    sandboxJson(sandboxUrl, '/__sandbox/plural/orders'),
    sandboxJson(sandboxUrl, '/__sandbox/tap/charges'),
  ]);
  const byAttempt = new Map();
  const add = (connector, reference, id, status, truth) => {
    if (!reference) return;
    const list = byAttempt.get(reference) ?? [];
    list.push({ connector, id, status, truth });
    byAttempt.set(reference, list);
  };
  for (const p of generic) add('generic', p.custom, p.token, p.status, genericTruth(p));
  for (const o of plural) add('plural', o.merchant_order_reference, o.order_id, o.status, pluralTruth(o));
  for (const c of tap) {
    if (c.object === 'charge' && c.source_id?.startsWith('auth_')) continue; // a capture charge
    add('tap', c.reference?.transaction, c.id, c.status, tapTruth(c));
  }
  return byAttempt;
}

export async function withDb(databaseUrl, fn) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Switchyard's view of every payment of `merchantIds`: intent status plus every attempt. */
export async function switchyardPayments(db, merchantIds) {
  const { rows } = await db.query(
    `SELECT i.payment_id, i.merchant_id, i.status, i.amount, i.amount_received, i.active_attempt_id,
            i.merchant_order_reference_id AS order_ref,
            coalesce(json_agg(json_build_object('attempt_id', a.attempt_id, 'status', a.status, 'connector', a.connector,
              'connector_transaction_id', a.connector_transaction_id)) FILTER (WHERE a.attempt_id IS NOT NULL), '[]') AS attempts
       FROM payment_intents i LEFT JOIN payment_attempts a ON a.payment_id = i.payment_id AND a.merchant_id = i.merchant_id
      WHERE i.merchant_id = ANY($1)
      GROUP BY i.payment_id, i.merchant_id`,
    [[...merchantIds]],
  );
  return rows;
}

export async function outgoingEvents(db, merchantIds) {
  const { rows } = await db.query(
    `SELECT event_id, merchant_id, payment_id, event_type, status, attempts FROM outgoing_events WHERE merchant_id = ANY($1)`,
    [[...merchantIds]],
  );
  return rows;
}

/**
 * Classifies every payment. Figures:
 * - wrong: Switchyard says succeeded but no object was paid; or an object was paid but Switchyard closed the payment
 *   unpaid (failed/cancelled/expired); or a payment was parked (requires_merchant_action); or two objects were paid.
 * - stuck: Switchyard has not finished, although the processor's answer is final (paid or unpaid) and Switchyard can
 *   ask for it (it holds the processor's id, or the processor can be asked by our reference: Plural, Tap).
 * - waiting (not a miss, listed): not finished, and by design cannot be yet: the processor made nothing or the shopper
 *   can still act there (open), or the generic gateway made an object whose token Switchyard never received (it has no
 *   lookup by our reference: the payment closes at the end of its 24 h lifetime, unpaid — the shopper never got a page).
 */
export function judge(payments, truth, scenarios = new Map()) {
  const rows = [];
  for (const p of payments) {
    const attempts = p.attempts;
    const objects = attempts.flatMap((a) => truth.get(a.attempt_id) ?? []);
    const paidObjects = objects.filter((o) => o.truth === 'paid');
    const active = attempts.find((a) => a.attempt_id === p.active_attempt_id) ?? null;
    const activeObjects = active ? (truth.get(active.attempt_id) ?? []) : [];
    const activeTruth =
      activeObjects.length === 0
        ? 'absent'
        : activeObjects.some((o) => o.truth === 'paid')
          ? 'paid'
          : activeObjects.some((o) => o.truth === 'open')
            ? 'open'
            : activeObjects[0].truth;
    const final = FINAL_INTENT.has(p.status);
    const problems = [];
    if (p.status === 'succeeded' && paidObjects.length === 0) problems.push('succeeded but nothing was paid');
    if (paidObjects.length > 0 && ['failed', 'cancelled', 'expired'].includes(p.status)) {
      problems.push(`paid at the processor but ${p.status}`);
    }
    if (p.status === 'succeeded' && Number(p.amount_received) !== Number(p.amount)) {
      problems.push(`amount_received ${p.amount_received} ≠ ${p.amount}`);
    }
    if (p.status === 'requires_merchant_action') problems.push('parked (requires_merchant_action)');
    // Closed unpaid while the shopper can still pay at the processor: a later payment there would be lost.
    if (['failed', 'cancelled', 'expired'].includes(p.status) && activeTruth === 'open') {
      problems.push(`${p.status} while still payable at the processor`);
    }
    if (paidObjects.length > 1) problems.push(`${paidObjects.length} objects paid (double charge)`);
    const resolvable = Boolean(active?.connector_transaction_id) || ['plural', 'tap'].includes(active?.connector);
    let state = final ? 'final' : 'open';
    if (!final && !problems.length) {
      if (['paid', 'unpaid'].includes(activeTruth) && resolvable) state = 'stuck';
      // Tap's inquiry re-issues a lost create with the same reference.idempotent: nothing made yet is resolvable too,
      // unless the sandbox's script refuses every create of this amount (…54: 5xx, …57: malformed answer).
      else if (activeTruth === 'absent' && active?.connector === 'tap' && ![54, 57].includes(Number(p.amount) % 100)) {
        state = 'stuck';
      } else if (activeTruth === 'absent' && active?.connector === 'tap') {
        state = 'waiting: the processor refuses every create of this amount (scripted)';
      } else if (!active) state = 'waiting: never confirmed (no attempt)';
      else if (activeTruth === 'absent') state = 'waiting: nothing made at the processor';
      else if (activeTruth === 'open') state = 'waiting: open at the processor';
      else state = 'waiting: processor id never received (generic, closes at lifetime end)';
    }
    rows.push({
      paymentId: p.payment_id,
      merchantId: p.merchant_id,
      orderRef: p.order_ref,
      scenario: scenarios.get(p.order_ref) ?? null,
      amount: Number(p.amount),
      status: p.status,
      connector: active?.connector ?? null,
      truth: activeTruth,
      objects: objects.map((o) => `${o.connector}:${o.status}`),
      state: problems.length ? 'wrong' : state,
      problems,
    });
  }
  return rows;
}

/**
 * Merchant events: every final payment must have had its final event received (by the endpoint, signature valid), and
 * every event the outbox wrote for these payments must have arrived. Returns `{ lost, missingFinal, missingOutbox }`.
 */
export function judgeEvents(judged, outbox, received) {
  const receivedIds = new Set(received.map((e) => e.eventId));
  const receivedByPayment = new Map();
  for (const e of received) {
    const list = receivedByPayment.get(e.paymentId) ?? [];
    list.push(e.type);
    receivedByPayment.set(e.paymentId, list);
  }
  const missingFinal = judged
    .filter((p) => FINAL_INTENT.has(p.status))
    .filter((p) => !(receivedByPayment.get(p.paymentId) ?? []).includes(EVENT_FOR_FINAL[p.status]))
    .map((p) => ({ paymentId: p.paymentId, status: p.status, expected: EVENT_FOR_FINAL[p.status] }));
  const missingOutbox = outbox
    .filter((e) => !receivedIds.has(e.event_id))
    .map((e) => ({
      eventId: e.event_id,
      paymentId: e.payment_id,
      type: e.event_type,
      status: e.status,
      attempts: e.attempts,
    }));
  const lostIds = new Set([...missingFinal.map((m) => `final:${m.paymentId}`), ...missingOutbox.map((m) => m.eventId)]);
  // One state change, one event: two final events of one type under different ids would notify the merchant twice.
  const finalTypes = new Set(Object.values(EVENT_FOR_FINAL));
  const seen = new Map();
  for (const e of outbox.filter((o) => finalTypes.has(o.event_type))) {
    const key = `${e.payment_id}|${e.event_type}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const doubled = [...seen.entries()].filter(([, n]) => n > 1).map(([key, n]) => ({ key, events: n }));
  return { lost: lostIds.size, missingFinal, missingOutbox, doubled };
}

/** Objects at a processor that no Switchyard attempt knows, and that were paid: money taken with no payment. */
export async function paidOrphans(db, truth) {
  const { rows } = await db.query('SELECT attempt_id FROM payment_attempts');
  const known = new Set(rows.map((r) => r.attempt_id));
  const orphans = [];
  for (const [reference, objects] of truth) {
    if (known.has(reference)) continue;
    for (const o of objects) if (o.truth === 'paid') orphans.push({ reference, ...o });
  }
  return orphans;
}

export function countBy(rows, key) {
  const out = {};
  for (const row of rows) out[row[key]] = (out[row[key]] ?? 0) + 1;
  return out;
}
