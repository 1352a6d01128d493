// Check 1: double-charge safety. 20 groups of 10 create+confirm calls, all 200 in flight at once, each group sharing one
// Idempotency-Key (and body): every group must make exactly one payment and exactly one charge at its processor, counted
// on the sandbox side. Then the shopper pays each, and exactly one payment per group succeeds. Extra: 10 concurrent
// confirms of one payment without any Idempotency-Key (the intent's version guard) must also charge once.

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, sandboxJson } from '../lib/http.mjs';
import { amountFor } from '../lib/flows.mjs';
import { createMerchant, RETURN_URL } from '../lib/setup.mjs';
import { shopperActs } from '../lib/shopper.mjs';
import { sandboxTruth, switchyardPayments, withDb } from '../lib/truth.mjs';

const CURRENCY = { generic: 'USD', plural: 'INR', tap: 'KWD' };

export async function doubleChargeCheck(stack, { groups, perGroup, races = 5 }) {
  const connectors = ['generic', 'plural', 'tap'];
  const merchants = {};
  for (const connector of connectors) {
    merchants[connector] = await createMerchant(stack, { connector, label: `dc_${connector}` });
  }
  const merchantIds = new Set(Object.values(merchants).map((m) => m.merchantId));
  const statsBefore = await sandboxJson(stack.urls.sandbox, '/__sandbox/stats');

  // 1. groups × perGroup create+confirm calls, all at once; a group shares its key and body.
  const plan = Array.from({ length: groups }, (_, g) => {
    const connector = connectors[g % connectors.length];
    return {
      group: g,
      merchant: merchants[connector],
      key: `dc_${randomBytes(8).toString('hex')}`,
      body: {
        amount: amountFor(connector, null),
        currency: CURRENCY[connector],
        confirm: true,
        return_url: RETURN_URL,
        description: `double-charge group ${g}`,
      },
    };
  });
  const calls = plan.flatMap((p) =>
    Array.from({ length: perGroup }, () =>
      call(stack.urls.api, 'POST', '/payments', {
        key: p.merchant.key,
        headers: { 'idempotency-key': p.key },
        body: p.body,
      }).then((res) => ({ group: p.group, res })),
    ),
  );
  const answers = await Promise.all(calls);
  const answerStatuses = {};
  const idsByGroup = new Map();
  const merchantOf = new Map();
  const remember = (group, res) => {
    if (res.status !== 200 || !res.body?.payment_id) return;
    const set = idsByGroup.get(group) ?? new Set();
    set.add(res.body.payment_id);
    idsByGroup.set(group, set);
    merchantOf.set(res.body.payment_id, plan[group].merchant);
  };
  for (const { group, res } of answers) {
    answerStatuses[res.status] = (answerStatuses[res.status] ?? 0) + 1;
    remember(group, res);
  }
  // 409 (same key still running) is the documented answer for a twin in flight; a retry after it gets the stored answer.
  const retried = await Promise.all(
    plan.map((p) =>
      call(stack.urls.api, 'POST', '/payments', {
        key: p.merchant.key,
        headers: { 'idempotency-key': p.key },
        body: p.body,
      }),
    ),
  );
  retried.forEach((res, g) => remember(g, res));
  const replayedHeader = retried.filter((r) => r.headers.get('idempotent-replayed') === 'true').length;

  // 2. Confirm races without a key: one payment, `perGroup` confirms at once.
  const raceIds = [];
  for (let r = 0; r < races; r++) {
    const connector = connectors[r % connectors.length];
    const created = await call(stack.urls.api, 'POST', '/payments', {
      key: merchants[connector].key,
      body: { amount: amountFor(connector, null), currency: CURRENCY[connector], return_url: RETURN_URL },
    });
    if (created.status !== 200) continue;
    raceIds.push({ connector, paymentId: created.body.payment_id });
    merchantOf.set(created.body.payment_id, merchants[connector]);
  }
  const raceAnswers = await Promise.all(
    raceIds.flatMap(({ connector, paymentId }) =>
      Array.from({ length: perGroup }, () =>
        call(stack.urls.api, 'POST', `/payments/${paymentId}/confirm`, { key: merchants[connector].key, body: {} }),
      ),
    ),
  );
  const raceStatuses = {};
  for (const res of raceAnswers) raceStatuses[res.status] = (raceStatuses[res.status] ?? 0) + 1;

  // 3. The shopper pays every payment once (the first answer's page), then we count.
  await Promise.all(
    [...merchantOf.entries()].map(async ([paymentId, merchant]) => {
      const view = await call(stack.urls.api, 'GET', `/payments/${paymentId}`, { key: merchant.key });
      const url = view.body?.next_action?.redirect_to_url;
      if (url) await shopperActs(merchant.connector, url, 'pay', { comeBack: true });
    }),
  );
  // Settled by the return, webhooks or the inquiries (every few seconds): wait until all succeeded, at most 60 s.
  const expected = merchantOf.size;
  for (let waited = 0; waited < 60_000; waited += 1000) {
    const done = await withDb(stack.databaseUrl, (db) => switchyardPayments(db, merchantIds));
    if (done.filter((p) => p.status === 'succeeded').length >= expected) break;
    await sleep(1000);
  }

  const truth = await sandboxTruth(stack.urls.sandbox);
  const statsAfter = await sandboxJson(stack.urls.sandbox, '/__sandbox/stats');
  const payments = await withDb(stack.databaseUrl, (db) => switchyardPayments(db, merchantIds));
  const groupPaymentIds = new Set([...idsByGroup.values()].flatMap((s) => [...s]));
  const objectsOf = (p) => p.attempts.flatMap((a) => truth.get(a.attempt_id) ?? []);
  const groupPayments = payments.filter((p) => !raceIds.some((r) => r.paymentId === p.payment_id));
  const groupCharges = groupPayments.reduce((n, p) => n + objectsOf(p).length, 0);
  const racePayments = payments.filter((p) => raceIds.some((r) => r.paymentId === p.payment_id));
  const raceCharges = racePayments.reduce((n, p) => n + objectsOf(p).length, 0);
  const paidObjects = payments.reduce((n, p) => n + objectsOf(p).filter((o) => o.truth === 'paid').length, 0);
  const succeeded = payments.filter((p) => p.status === 'succeeded').length;
  const genericCreated = statsAfter.generic.paymentsCreated - statsBefore.generic.paymentsCreated;
  const genericSeen = payments
    .filter((p) => p.attempts.some((a) => a.connector === 'generic'))
    .reduce((n, p) => n + objectsOf(p).length, 0);
  const tapIdempotency = (await sandboxJson(stack.urls.sandbox, '/__sandbox/tap/idempotency')).filter((entry) =>
    payments.some((p) => p.attempts.some((a) => a.attempt_id === entry.idempotent)),
  );

  const expectedPayments = groups + raceIds.length;
  return {
    figures: [
      {
        name: `connector charges for ${groups} groups × ${perGroup} calls`,
        value: groupCharges,
        mark: `= ${groups}`,
        pass: groupCharges === groups,
      },
      {
        name: 'payments made by those groups',
        value: groupPayments.length,
        mark: `= ${groups}`,
        pass: groupPayments.length === groups && [...idsByGroup.values()].every((s) => s.size === 1),
      },
      {
        name: `connector charges for ${raceIds.length} payments × ${perGroup} concurrent confirms (no key)`,
        value: raceCharges,
        mark: `= ${raceIds.length}`,
        pass: raceCharges === raceIds.length && raceIds.length === races,
      },
      {
        name: 'paid at the processor / succeeded in Switchyard',
        value: `${paidObjects} / ${succeeded}`,
        mark: `= ${expectedPayments} / ${expectedPayments}`,
        pass: paidObjects === expectedPayments && succeeded === expectedPayments,
      },
    ],
    details: {
      answerStatuses,
      paymentIdsPerGroup: [...idsByGroup.values()].map((s) => s.size),
      replayedOnRetry: replayedHeader,
      raceStatuses,
      genericPaymentsCreated: genericCreated,
      genericObjectsOfTheseMerchants: genericSeen,
      tapIdempotency,
      groupPaymentIds: [...groupPaymentIds],
    },
  };
}
