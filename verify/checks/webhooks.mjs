// Check 5: webhook and return-redirect security. Forged, replayed, stale, cross-merchant and tampered webhooks (Plural and
// Tap) and forged shopper returns (all three connectors) are posted to the API. "Accepted" means the API answered 2xx with
// outcome `accepted`, or any payment changed state. A byte-identical replay of a genuine delivery is answered 200
// `duplicate` (documented: the processor stops retrying) and must change nothing.

import { setTimeout as sleep } from 'node:timers/promises';
import { call, sandboxJson } from '../lib/http.mjs';
import { createMerchant, RETURN_URL } from '../lib/setup.mjs';
import { shopperActs } from '../lib/shopper.mjs';
import { pluralReturnSignature, pluralWebhook, tapHashstring } from '../lib/signing.mjs';

export async function webhookSecurityCheck(stack) {
  const api = stack.urls.api;
  const m = {
    pluralA: await createMerchant(stack, { connector: 'plural', label: 'wh_pa' }),
    pluralB: await createMerchant(stack, { connector: 'plural', label: 'wh_pb' }),
    tapA: await createMerchant(stack, { connector: 'tap', label: 'wh_ta' }),
    tapB: await createMerchant(stack, { connector: 'tap', label: 'wh_tb' }),
    generic: await createMerchant(stack, { connector: 'generic', label: 'wh_g' }),
  };
  const amounts = { plural: 250000, tap: 12500, generic: 4200 };
  const currency = { plural: 'INR', tap: 'KWD', generic: 'USD' };
  const pay = async (merchant, { shopperPays }) => {
    const res = await call(api, 'POST', '/payments', {
      key: merchant.key,
      body: {
        amount: amounts[merchant.connector],
        currency: currency[merchant.connector],
        confirm: true,
        return_url: RETURN_URL,
      },
    });
    if (res.status !== 200) throw new Error(`payment for ${merchant.merchantId}: ${res.status} ${res.text}`);
    const view = await expand(merchant, res.body.payment_id);
    if (shopperPays) {
      await shopperActs(merchant.connector, res.body.next_action.redirect_to_url, 'pay', { comeBack: true });
      await waitStatus(merchant, res.body.payment_id, 'succeeded');
    }
    return { ...view, redirect: res.body.next_action?.redirect_to_url };
  };
  const expand = async (merchant, paymentId) => {
    const r = await call(api, 'GET', `/payments/${paymentId}?expand_attempts=true`, { key: merchant.key });
    const attempts = r.body.attempts;
    return {
      merchant,
      paymentId,
      attemptId: attempts[attempts.length - 1].attempt_id,
      transactionId: r.body.connector_transaction_id ?? attempts[attempts.length - 1].connector_transaction_id,
      clientSecret: r.body.client_secret,
    };
  };
  const waitStatus = async (merchant, paymentId, status) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await call(api, 'GET', `/payments/${paymentId}`, { key: merchant.key });
      if (r.body?.status === status) return;
      if (Date.now() > deadline) throw new Error(`${paymentId} did not become ${status} (is ${r.body?.status})`);
      await sleep(300);
    }
  };

  // Open payments (the shopper is on the processor's page) are the targets; paid ones give genuine deliveries.
  const open = {
    pluralA: await pay(m.pluralA, { shopperPays: false }),
    pluralB: await pay(m.pluralB, { shopperPays: false }),
    tapA: await pay(m.tapA, { shopperPays: false }),
    tapB: await pay(m.tapB, { shopperPays: false }),
    generic: await pay(m.generic, { shopperPays: false }),
  };
  const paid = {
    pluralA: await pay(m.pluralA, { shopperPays: true }),
    tapA: await pay(m.tapA, { shopperPays: true }),
    generic: await pay(m.generic, { shopperPays: true }),
  };
  const watched = [...Object.values(open), ...Object.values(paid)];
  const snapshot = async () =>
    Object.fromEntries(
      await Promise.all(
        watched.map(async (p) => {
          const r = await call(api, 'GET', `/payments/${p.paymentId}?expand_attempts=true`, { key: p.merchant.key });
          const attempts = (r.body.attempts ?? []).map((a) => `${a.attempt_id}:${a.status}`).join(',');
          return [p.paymentId, `${r.body.status}|${r.body.amount_received}|${attempts}`];
        }),
      ),
    );
  const before = await snapshot();

  // --- Genuine material: Plural's own delivery for A's paid order (from the sandbox's log), Tap's charge as Tap has it.
  const pluralDeliveries = await sandboxJson(
    stack.urls.sandbox,
    `/__sandbox/plural/webhooks?order_id=${encodeURIComponent(paid.pluralA.transactionId)}`,
  );
  const genuinePlural = pluralDeliveries.find((d) => d.event_type === 'ORDER_PROCESSED' && d.last_headers);
  if (!genuinePlural) throw new Error('no genuine Plural delivery recorded by the sandbox');
  const tapCharge = async (merchant, id) => {
    const res = await fetch(`${stack.urls.sandbox}/tap/v2/charges/${id}`, {
      headers: { authorization: `Bearer ${merchant.creds.secretKey}` },
    });
    return { text: await res.text(), json: null };
  };
  const tapPaid = await tapCharge(m.tapA, paid.tapA.transactionId);
  tapPaid.json = JSON.parse(tapPaid.text);
  const tapOpenB = JSON.parse((await tapCharge(m.tapB, open.tapB.transactionId)).text);
  const tapSigned = (key, charge, text) => ({ headers: { hashstring: tapHashstring(key, charge) }, body: text });
  const pluralSecretA = m.pluralA.creds.clientSecret;
  const pluralOrderBody = (order, status = 'PROCESSED') =>
    JSON.stringify({
      event_type: status === 'PROCESSED' ? 'ORDER_PROCESSED' : `ORDER_${status}`,
      data: {
        order_id: order.transactionId,
        merchant_order_reference: order.attemptId,
        type: 'CHARGE',
        status,
        order_amount: { value: amounts.plural, currency: 'INR' },
        payments: [
          {
            id: `${order.transactionId}_p1`,
            status,
            payment_amount: { value: amounts.plural, currency: 'INR' },
          },
        ],
      },
    });
  const now = Math.floor(Date.now() / 1000);
  const urlOf = (merchant) => `/webhooks/${merchant.merchantId}/${merchant.connectorId}`;

  // [name, connector, path, delivery, signed: true when the signature is valid (made with the account's real secret,
  // which only its processor holds): the API may then answer 2xx, and only a state change counts as accepted]
  const cases = [
    // Plural
    [
      'forged (wrong secret)',
      'plural',
      urlOf(m.pluralA),
      pluralWebhook('not_the_secret', pluralOrderBody(open.pluralA)),
    ],
    ['forged (no signature)', 'plural', urlOf(m.pluralA), { headers: {}, body: pluralOrderBody(open.pluralA) }],
    [
      'forged (signature of another message)',
      'plural',
      urlOf(m.pluralA),
      {
        headers: { ...genuinePlural.last_headers, 'content-type': 'application/json' },
        body: pluralOrderBody(open.pluralA),
      },
    ],
    [
      'tampered (genuine delivery pointed at another order)',
      'plural',
      urlOf(m.pluralA),
      {
        headers: genuinePlural.last_headers,
        body: genuinePlural.body
          .replaceAll(paid.pluralA.transactionId, open.pluralA.transactionId)
          .replaceAll(paid.pluralA.attemptId, open.pluralA.attemptId),
      },
    ],
    [
      'tampered (genuine delivery, amount changed)',
      'plural',
      urlOf(m.pluralA),
      { headers: genuinePlural.last_headers, body: genuinePlural.body.replace(/"value":(\d+)/, '"value":1') },
    ],
    [
      'replayed (genuine delivery again)',
      'plural',
      urlOf(m.pluralA),
      { headers: genuinePlural.last_headers, body: genuinePlural.body },
      true,
    ],
    [
      'stale (valid signature, timestamp 10 min old)',
      'plural',
      urlOf(m.pluralA),
      pluralWebhook(pluralSecretA, pluralOrderBody(open.pluralA), { timestamp: now - 600 }),
    ],
    [
      'stale (valid signature, timestamp 10 min ahead)',
      'plural',
      urlOf(m.pluralA),
      pluralWebhook(pluralSecretA, pluralOrderBody(open.pluralA), { timestamp: now + 600 }),
    ],
    [
      'replayed old (genuine id and body, timestamp 10 min old)',
      'plural',
      urlOf(m.pluralA),
      pluralWebhook(pluralSecretA, genuinePlural.body, { id: genuinePlural.webhook_id, timestamp: now - 600 }),
    ],
    [
      "cross-merchant (A's genuine delivery to B's URL)",
      'plural',
      urlOf(m.pluralB),
      { headers: genuinePlural.last_headers, body: genuinePlural.body },
    ],
    [
      "cross-merchant (A's delivery naming B's order, A's secret, to B's URL)",
      'plural',
      urlOf(m.pluralB),
      pluralWebhook(pluralSecretA, pluralOrderBody(open.pluralB)),
    ],
    [
      "cross-merchant (A-signed delivery naming B's order, to A's URL)",
      'plural',
      urlOf(m.pluralA),
      pluralWebhook(pluralSecretA, pluralOrderBody(open.pluralB)),
      true,
    ],
    [
      "cross-merchant (B's merchant id with A's connector account)",
      'plural',
      `/webhooks/${m.pluralB.merchantId}/${m.pluralA.connectorId}`,
      { headers: genuinePlural.last_headers, body: genuinePlural.body },
    ],
    // Tap
    [
      'forged (wrong key)',
      'tap',
      urlOf(m.tapA),
      tapSigned(
        'sk_test_not_this_merchant_key',
        { ...tapPaid.json, id: open.tapA.transactionId },
        tapPaid.text.replaceAll(paid.tapA.transactionId, open.tapA.transactionId),
      ),
    ],
    [
      'forged (no hashstring)',
      'tap',
      urlOf(m.tapA),
      { headers: {}, body: tapPaid.text.replaceAll(paid.tapA.transactionId, open.tapA.transactionId) },
    ],
    [
      'tampered (genuine delivery pointed at another charge)',
      'tap',
      urlOf(m.tapA),
      {
        headers: tapSigned(m.tapA.creds.secretKey, tapPaid.json, tapPaid.text).headers,
        body: tapPaid.text.replaceAll(paid.tapA.transactionId, open.tapA.transactionId),
      },
    ],
    [
      'tampered (genuine delivery, amount changed)',
      'tap',
      urlOf(m.tapA),
      {
        headers: tapSigned(m.tapA.creds.secretKey, tapPaid.json, tapPaid.text).headers,
        body: tapPaid.text.replace(/"amount":[0-9.]+/, '"amount":0.001'),
      },
    ],
    [
      'tampered (field outside the hashstring: our reference → another payment)',
      'tap',
      urlOf(m.tapA),
      {
        headers: tapSigned(m.tapA.creds.secretKey, tapPaid.json, tapPaid.text).headers,
        body: tapPaid.text.replaceAll(paid.tapA.attemptId, open.tapA.attemptId),
      },
      true,
    ],
    [
      'replayed (genuine delivery again)',
      'tap',
      urlOf(m.tapA),
      tapSigned(m.tapA.creds.secretKey, tapPaid.json, tapPaid.text),
      true,
    ],
    [
      "cross-merchant (A's genuine delivery to B's URL)",
      'tap',
      urlOf(m.tapB),
      tapSigned(m.tapA.creds.secretKey, tapPaid.json, tapPaid.text),
    ],
    [
      "cross-merchant (A-signed delivery naming B's charge, to A's URL)",
      'tap',
      urlOf(m.tapA),
      (() => {
        const forgedCharge = { ...tapOpenB, status: 'CAPTURED', reference: tapPaid.json.reference };
        return tapSigned(m.tapA.creds.secretKey, forgedCharge, JSON.stringify(forgedCharge));
      })(),
      true,
    ],
    [
      "cross-merchant (B's merchant id with A's connector account)",
      'tap',
      `/webhooks/${m.tapB.merchantId}/${m.tapA.connectorId}`,
      tapSigned(m.tapA.creds.secretKey, tapPaid.json, tapPaid.text),
    ],
  ];

  const webhookResults = [];
  for (const [name, connector, path, delivery, signed = false] of cases) {
    const res = await call(api, 'POST', path, {
      raw: delivery.body,
      headers: { 'content-type': 'application/json', ...delivery.headers },
    });
    webhookResults.push({
      name,
      connector,
      signed,
      status: res.status,
      outcome: res.body?.outcome ?? res.body?.error?.code ?? null,
      answeredAccepted: !signed && res.status >= 200 && res.status < 300,
    });
  }

  // --- Forged returns: the shopper's browser brings whatever it likes back to our return route.
  const returnRoute = (p, connector, merchantId = p.merchant.merchantId) =>
    `/payments/${p.paymentId}/${merchantId}/redirect/response/${connector}`;
  const pluralCallback = { order_id: paid.pluralA.transactionId, status: 'PROCESSED' };
  pluralCallback.signature = pluralReturnSignature(pluralCallback, m.pluralA.creds.merchantSecretHex);
  const forgedPlural = { order_id: open.pluralA.transactionId, status: 'PROCESSED' };
  forgedPlural.signature = pluralReturnSignature(forgedPlural, 'AB'.repeat(32));
  const form = (fields) => ({
    raw: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const returns = [
    [
      'generic: status=SUCCESS in the query',
      'GET',
      `${returnRoute(open.generic, 'generic')}?status=SUCCESS`,
      {},
      open.generic,
    ],
    [
      "generic: another payment's token (a paid one)",
      'GET',
      `${returnRoute(open.generic, 'generic')}?token=${paid.generic.transactionId}&status=SUCCESS`,
      {},
      open.generic,
    ],
    [
      'generic: POSTed form saying paid',
      'POST',
      returnRoute(open.generic, 'generic'),
      form({ status: 'SUCCESS', token: paid.generic.transactionId }),
      open.generic,
    ],
    [
      'plural: forged signature, PROCESSED',
      'POST',
      returnRoute(open.pluralA, 'plural'),
      form(forgedPlural),
      open.pluralA,
    ],
    [
      "plural: another order's genuine signed callback",
      'POST',
      returnRoute(open.pluralA, 'plural'),
      form(pluralCallback),
      open.pluralA,
    ],
    [
      'plural: fields in the query string',
      'GET',
      `${returnRoute(open.pluralA, 'plural')}?${new URLSearchParams(forgedPlural)}`,
      {},
      open.pluralA,
    ],
    [
      "tap: another charge's tap_id (a paid one)",
      'GET',
      `${returnRoute(open.tapA, 'tap')}?tap_id=${paid.tapA.transactionId}`,
      {},
      open.tapA,
    ],
    ['tap: made-up tap_id', 'GET', `${returnRoute(open.tapA, 'tap')}?tap_id=chg_TS0forged000000000001`, {}, open.tapA],
    [
      'wrong connector in the path',
      'GET',
      `${returnRoute(open.tapA, 'generic')}?token=${paid.generic.transactionId}`,
      {},
      open.tapA,
    ],
    [
      "cross-merchant: A's payment under B's merchant id",
      'GET',
      `${returnRoute(open.tapA, 'tap', m.tapB.merchantId)}?tap_id=${paid.tapA.transactionId}`,
      {},
      open.tapA,
    ],
  ];
  const returnResults = [];
  for (const [name, method, path, options] of returns) {
    const res = await call(api, method, path, options);
    const location = res.headers.get('location');
    let reported = null;
    try {
      reported = location ? new URL(location).searchParams.get('status') : null;
    } catch {
      reported = 'unparseable';
    }
    returnResults.push({
      name,
      status: res.status,
      reportedStatus: reported,
      answeredSucceeded: reported === 'succeeded',
    });
  }

  await sleep(4000); // the worker applies accepted webhooks within a second or two
  const after = await snapshot();
  const changed = Object.keys(before).filter((id) => before[id] !== after[id]);
  const accepted =
    webhookResults.filter((r) => r.answeredAccepted).length +
    returnResults.filter((r) => r.answeredSucceeded).length +
    changed.length;
  const rejectedStored = await rejectedCount(stack, [m.pluralA, m.pluralB, m.tapA, m.tapB]);
  const not4xx = webhookResults.filter((r) => !r.signed && !(r.status >= 400 && r.status < 500));
  return {
    figures: [
      {
        name: 'forged/replayed/stale/cross-merchant/tampered webhooks and forged returns sent',
        value: webhookResults.length + returnResults.length,
        mark: '≥ 30',
        pass: webhookResults.length + returnResults.length >= 30,
      },
      {
        name: 'accepted (outcome accepted, succeeded return, or any state change)',
        value: accepted,
        mark: '= 0',
        pass: accepted === 0,
      },
      {
        name: 'webhooks without a valid signature not answered 4xx',
        value: not4xx.length,
        mark: '= 0',
        pass: not4xx.length === 0,
      },
    ],
    details: { webhooks: webhookResults, returns: returnResults, changed, before, after, rejectedStored },
  };
}

async function rejectedCount(stack, merchants) {
  const { withDb } = await import('../lib/truth.mjs');
  return withDb(stack.databaseUrl, async (db) => {
    const { rows } = await db.query(
      `SELECT status, count(*)::int AS n FROM webhook_events WHERE merchant_id = ANY($1) GROUP BY status`,
      [merchants.map((m) => m.merchantId)],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  });
}
