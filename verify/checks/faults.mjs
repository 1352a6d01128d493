// Checks 2 and 3: payments mixed over generic, Plural and Tap, under injected faults (and, for check 3, SIGKILLs of the
// API and the worker at random moments), judged against each sandbox's own truth after the polling horizon.

import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { info } from '../../scripts/lib/output.mjs';
import { pool, resetChaos, sandboxJson, setChaos } from '../lib/http.mjs';
import { pickScenario, runFlow } from '../lib/flows.mjs';
import { createMerchant } from '../lib/setup.mjs';
import {
  countBy,
  judge,
  judgeEvents,
  outgoingEvents,
  paidOrphans,
  sandboxTruth,
  switchyardPayments,
  withDb,
} from '../lib/truth.mjs';

/** Per API request of each processor; the sum is the share of calls that go wrong (about 15 %). */
export const FAULT_RATES = {
  generic: { reset: 0.03, malformed: 0.03, error5xx: 0.04, slow: 0.02, tokenExpiry: 0.03 },
  plural: { reset: 0.03, malformed: 0.03, error5xx: 0.04, slow: 0.02, tokenExpiry: 0.03 },
  tap: { reset: 0.03, malformed: 0.03, error5xx: 0.04, slow: 0.02, tokenExpiry: 0 },
};
const CHAOS = {
  processors: FAULT_RATES,
  afterShare: 0.5,
  slowMs: 4500, // > CONNECTOR_TIMEOUT_MS (3000)
  webhooks: { reorder: 0.3, duplicate: 0.3, maxDelayMs: 3000 },
};

/**
 * `{ payments, mix, concurrency, kills, horizonMs, minWaitMs }`; `kills` > 0 makes it the crash check.
 * Returns `{ figures, details }`.
 */
export async function faultRun(stack, endpoint, options) {
  const { payments, mix, concurrency, kills = 0, horizonMs, minWaitMs, label } = options;
  const merchants = {};
  for (const connector of Object.keys(mix)) {
    merchants[connector] = await createMerchant(stack, { connector, label: `${label}_${connector}` });
  }
  // Each merchant's events go to its own path of the endpoint, which checks them with that merchant's hash key.
  for (const merchant of Object.values(merchants)) {
    endpoint.register(merchant.merchantId, merchant.hashKey);
    const res = await fetch(`${stack.urls.api}/account/${merchant.merchantId}/business_profile/${merchant.profileId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': stack.adminKey },
      body: JSON.stringify({ webhook_details: { webhook_url: endpoint.urlFor(merchant.merchantId) } }),
    });
    if (res.status !== 200) throw new Error(`profile update answered ${res.status}`);
  }
  const merchantIds = new Set(Object.values(merchants).map((m) => m.merchantId));

  await resetChaos(stack.urls.sandbox);
  await setChaos(stack.urls.sandbox, CHAOS);
  endpoint.setFaults({ fail: 0.05, slow: 0.02, slowMs: 3000 });

  const plan = [];
  for (const [connector, share] of Object.entries(mix)) {
    for (let i = 0; i < Math.round(payments * share); i++) plan.push(connector);
  }
  for (let i = plan.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [plan[i], plan[j]] = [plan[j], plan[i]];
  }

  const started = Date.now();
  let killsDone = kills === 0;
  const killLog = [];
  const killer = kills > 0 ? killLoop(stack, kills, killLog).finally(() => (killsDone = true)) : Promise.resolve();

  // Flows go on until the planned payments are done and, in the crash check, until the last kill.
  const flows = [];
  let next = 0;
  await pool(Array.from({ length: concurrency }), concurrency, async () => {
    while (next < plan.length || (!killsDone && next < plan.length * 3)) {
      const connector = plan[next % plan.length];
      next += 1;
      const record = await runFlow(stack, merchants[connector], pickScenario(connector), {
        retryDeadlineMs: kills > 0 ? 45_000 : 20_000,
      });
      flows.push(record);
      if (flows.length % 100 === 0)
        info(`    ${flows.length} payments driven (${Math.round((Date.now() - started) / 1000)} s)`);
    }
  });
  await killer;
  const flowsDoneAt = Date.now();
  const scenarios = new Map(flows.map((f) => [f.orderRef, f.scenario]));
  info(
    `    ${flows.length} payments driven in ${Math.round((flowsDoneAt - started) / 1000)} s; waiting for the horizon…`,
  );

  // The polling horizon: wait at least minWaitMs (pages expire at the sandbox), then until nothing is stuck and no event
  // is missing, or the horizon has passed.
  let judged;
  let events;
  let orphans;
  await sleep(minWaitMs);
  for (;;) {
    ({ judged, events, orphans } = await judgeNow(stack, endpoint, merchantIds, scenarios));
    const stuck = judged.filter((p) => p.state === 'stuck').length;
    if ((stuck === 0 && events.lost === 0) || Date.now() - flowsDoneAt >= horizonMs) break;
    await sleep(5000);
  }
  const waitedMs = Date.now() - flowsDoneAt;
  const chaos = await sandboxJson(stack.urls.sandbox, '/__sandbox/chaos');
  await resetChaos(stack.urls.sandbox);
  endpoint.setFaults({ fail: 0, slow: 0 });

  const wrong = judged.filter((p) => p.state === 'wrong');
  const stuck = judged.filter((p) => p.state === 'stuck');
  const details = {
    payments: judged.length,
    flows: flows.length,
    byConnector: countBy(judged, 'connector'),
    byStatus: countBy(judged, 'status'),
    byState: countBy(judged, 'state'),
    waiting: Object.fromEntries(
      Object.entries(
        judged
          .filter((p) => p.state.startsWith('waiting'))
          .reduce((acc, p) => {
            const key = `${p.state} | ${p.connector} | ${p.scenario}`;
            acc[key] = (acc[key] ?? 0) + 1;
            return acc;
          }, {}),
      ).sort(),
    ),
    byScenario: countBy(flows, 'scenario'),
    createAnswers: countBy(flows, 'createStatus'),
    shopperActed: flows.filter((f) => f.shopper?.acted).length,
    paidOrphans: orphans,
    wrong: wrong.slice(0, 50),
    stuck: stuck.slice(0, 50),
    missingFinalEvents: events.missingFinal.slice(0, 50),
    missingOutboxEvents: events.missingOutbox.slice(0, 50),
    finalEventsWrittenTwice: events.doubled.slice(0, 50),
    merchantEndpoint: { ...endpoint.stats },
    eventsReceived: endpoint.eventsFor(merchantIds).length,
    duplicateDeliveries: endpoint.eventsFor(merchantIds).reduce((n, e) => n + e.deliveries - 1, 0),
    chaos: chaos.stats,
    chaosConfig: CHAOS,
    kills: killLog,
    flowSeconds: Math.round((flowsDoneAt - started) / 1000),
    horizonSeconds: horizonMs / 1000,
    waitedSeconds: Math.round(waitedMs / 1000),
  };
  return {
    figures: [
      { name: 'payments judged', value: judged.length, mark: `≥ ${payments}`, pass: judged.length >= payments },
      ...(kills > 0
        ? [
            {
              name: 'SIGKILLs (api + worker)',
              value: killLog.length,
              mark: `= ${kills}`,
              pass: killLog.length === kills,
            },
          ]
        : []),
      {
        name: 'wrong final state',
        value: wrong.length + orphans.length,
        mark: '= 0',
        pass: wrong.length + orphans.length === 0,
      },
      {
        name: `stuck after the polling horizon (${horizonMs / 1000} s)`,
        value: stuck.length,
        mark: '= 0',
        pass: stuck.length === 0,
      },
      { name: 'lost merchant events', value: events.lost, mark: '= 0', pass: events.lost === 0 },
      {
        name: 'final events written twice (distinct ids)',
        value: events.doubled.length,
        mark: '= 0',
        pass: events.doubled.length === 0,
      },
      {
        name: 'merchant events with a bad signature',
        value: endpoint.stats.badSignature,
        mark: '= 0',
        pass: endpoint.stats.badSignature === 0,
      },
    ],
    details,
  };
}

async function judgeNow(stack, endpoint, merchantIds, scenarios) {
  const truth = await sandboxTruth(stack.urls.sandbox);
  return withDb(stack.databaseUrl, async (db) => {
    const payments = await switchyardPayments(db, merchantIds);
    const judged = judge(payments, truth, scenarios);
    const outbox = await outgoingEvents(db, merchantIds);
    const events = judgeEvents(judged, outbox, endpoint.eventsFor(merchantIds));
    const orphans = await paidOrphans(db, truth);
    return { judged, events, orphans };
  });
}

/** `kills` SIGKILLs, half the API and half the worker, in random order, each at a random moment; restarted at once. */
async function killLoop(stack, kills, log) {
  const targets = Array.from({ length: kills }, (_, i) => (i % 2 === 0 ? 'api' : 'worker'));
  for (let i = targets.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [targets[i], targets[j]] = [targets[j], targets[i]];
  }
  for (const target of targets) {
    await sleep(2000 + randomInt(8000));
    const app = stack[target];
    const at = Date.now();
    await app.kill();
    await app.start();
    log.push({ target, at: new Date(at).toISOString(), downMs: Date.now() - at });
    info(`    SIGKILL ${target} (${log.length}/${kills}), back in ${((Date.now() - at) / 1000).toFixed(1)} s`);
  }
}
