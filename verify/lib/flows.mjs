// Payment flows as a merchant and a shopper drive them: create+confirm (Idempotency-Key, retried like a careful back end),
// then the shopper acts on the hosted page (or never does), and maybe comes back through the return route. The
// scenarios use each sandbox's scripted outcomes (the cents / last two digits of the amount); chaos comes on top.

import { randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, callWithRetry } from './http.mjs';
import { RETURN_URL, rememberSecret } from './setup.mjs';
import { shopperActs } from './shopper.mjs';

/** `[name, weight, magic ending (two digits) or null, shopper action or null (never acts)]` per connector. */
export const SCENARIOS = {
  generic: [
    ['pay', 30, null, 'pay'],
    ['decline (.51)', 8, 51, 'pay'],
    ['pending then success (.52)', 14, 52, 'pay'],
    ['create timeout (.53)', 5, 53, 'pay'],
    ['create 5xx (.54)', 5, 54, 'pay'],
    ['malformed create answer (.57)', 5, 57, 'pay'],
    ['shopper fails', 10, null, 'fail'],
    ['shopper cancels', 10, null, 'cancel'],
    ['shopper abandons (page expires)', 13, null, null],
  ],
  plural: [
    ['pay', 30, null, 'pay'],
    ['decline (51)', 10, 51, 'pay'],
    ['pending then processed (52)', 15, 52, 'pay'],
    ['create timeout (53)', 5, 53, 'pay'],
    ['create 5xx (54)', 5, 54, 'pay'],
    ['three failed tries (56)', 10, 56, 'pay3'],
    ['malformed create answer (58)', 5, 58, 'pay'],
    ['shopper fails', 20, null, 'fail'],
  ],
  tap: [
    ['pay', 25, null, 'pay'],
    ['declined (51)', 8, 51, 'pay'],
    ['in progress then captured (52)', 12, 52, 'pay'],
    ['create timeout, charge made (53)', 6, 53, 'pay'],
    ['create 5xx (54)', 6, 54, 'pay'],
    ['restricted (55)', 5, 55, 'pay'],
    ['abandoned (56)', 5, 56, 'pay'],
    ['malformed create answer (57)', 6, 57, 'pay'],
    ['timed out (58)', 5, 58, 'pay'],
    ['shopper fails', 6, null, 'fail'],
    ['shopper cancels', 6, null, 'cancel'],
    ['shopper abandons (charge abandoned)', 10, null, null],
  ],
};

const CURRENCY = { generic: 'USD', plural: 'INR', tap: 'KWD' };

/** An amount whose last two digits are `ending`, or anything but a script ending (50 and below) when null. */
export function amountFor(connector, ending) {
  const base =
    connector === 'plural' ? 1000 + randomInt(5000) : connector === 'tap' ? 10 + randomInt(400) : 5 + randomInt(300);
  const last = ending ?? randomInt(50);
  return base * 100 + last;
}

export function pickScenario(connector, random = Math.random) {
  const table = SCENARIOS[connector];
  const total = table.reduce((sum, s) => sum + s[1], 0);
  let roll = random() * total;
  for (const [name, weight, ending, action] of table) {
    if (roll < weight) return { name, ending, action };
    roll -= weight;
  }
  const [name, , ending, action] = table[0];
  return { name, ending, action };
}

/**
 * One payment, start to end, as merchant and shopper. Never throws: returns a record of what happened.
 * `retryDeadlineMs` bounds how long the merchant keeps retrying the create (API restarts in the crash check).
 */
export async function runFlow(stack, merchant, scenario, { comeBackShare = 0.7, retryDeadlineMs = 20_000 } = {}) {
  const api = stack.urls.api;
  const connector = merchant.connector;
  const orderRef = `ord_${randomBytes(8).toString('hex')}`;
  const record = { orderRef, merchantId: merchant.merchantId, connector, scenario: scenario.name, steps: [] };
  const created = await callWithRetry(
    api,
    'POST',
    '/payments',
    {
      key: merchant.key,
      headers: { 'idempotency-key': `idem_${orderRef}` },
      body: {
        amount: amountFor(connector, scenario.ending),
        currency: CURRENCY[connector],
        confirm: true,
        return_url: RETURN_URL,
        merchant_order_reference_id: orderRef,
        metadata: { scenario: scenario.name },
      },
    },
    { deadlineMs: retryDeadlineMs },
  );
  record.createStatus = created.status;
  record.createTries = created.tries;
  record.paymentId = created.body?.payment_id ?? null;
  if (created.body?.client_secret) rememberSecret('payment client_secret', created.body.client_secret);
  let redirect = created.body?.next_action?.redirect_to_url ?? null;
  if (!record.paymentId || !scenario.action) return record;

  // The create answer was lost or the page is not known yet: the merchant's front end retrieves the payment for a while.
  for (let i = 0; !redirect && i < 12; i++) {
    await sleep(1000);
    const view = await call(api, 'GET', `/payments/${record.paymentId}`, { key: merchant.key });
    if (view.body?.client_secret) rememberSecret('payment client_secret', view.body.client_secret);
    if (view.status === 200 && view.body.status !== 'processing' && view.body.status !== 'requires_customer_action')
      break;
    redirect = view.body?.next_action?.redirect_to_url ?? null;
  }
  if (!redirect) return record;
  const comeBack = Math.random() < comeBackShare;
  const acted = await shopperActs(connector, redirect, scenario.action, { comeBack });
  record.shopper = acted;
  return record;
}
