import { createHmac } from 'node:crypto';
import { call, createMerchant, eventually, Merchant, shopperActs } from './support/client';
import { startStack, Stack } from './support/stack';

/** The spine end to end: unified API → generic connector → sandbox hosted page → return route → server-side proof. */
describe('Generic connector payments through the unified API', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack('payments-generic', { worker: true });
    merchant = await createMerchant(stack);
  });
  afterAll(() => stack.close());

  const create = (amount: number, extra: Record<string, unknown> = {}) =>
    call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount, currency: 'USD', confirm: true, return_url: 'https://shop.example/done', ...extra },
    });
  const retrieve = (paymentId: string, query = '') =>
    call(stack.api, 'GET', `/payments/${paymentId}${query}`, { key: merchant.key });

  it('pays through the hosted page and proves success server-side before redirecting with a signed query', async () => {
    const created = await create(1000);
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('requires_customer_action');
    const nextAction = created.body.next_action as { type: string; redirect_to_url: string };
    expect(nextAction.type).toBe('redirect_to_url');
    expect(created.body.connector).toBe('generic');
    expect((created.body.routing_decision as { selected: { connector: string } }).selected.connector).toBe('generic');

    const { returnLocation } = await shopperActs(nextAction.redirect_to_url, 'pay');
    expect(returnLocation).toBeTruthy();
    const back = new URL(returnLocation!);
    expect(back.origin + back.pathname).toBe('https://shop.example/done');
    expect(back.searchParams.get('status')).toBe('succeeded');
    expect(back.searchParams.get('payment_id')).toBe(created.body.payment_id);
    expect(back.searchParams.get('signature_algorithm')).toBe('HMAC-SHA512');
    const signed = [...back.searchParams.entries()]
      .filter(([k]) => k !== 'signature' && k !== 'signature_algorithm')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    expect(back.searchParams.get('signature')).toBe(
      createHmac('sha512', merchant.hashKey).update(signed).digest('hex'),
    );

    const after = await retrieve(String(created.body.payment_id), '?expand_attempts=true');
    expect(after.body.status).toBe('succeeded');
    expect(after.body.amount_received).toBe(1000);
    expect(after.body.amount_capturable).toBe(0);
    expect(after.body.next_action).toBeNull();
    expect((after.body.attempts as unknown[]).length).toBe(1);
  });

  it('maps a cancel on the hosted page to cancelled', async () => {
    const created = await create(1100);
    const { returnLocation } = await shopperActs(
      (created.body.next_action as { redirect_to_url: string }).redirect_to_url,
      'cancel',
    );
    expect(new URL(returnLocation!).searchParams.get('status')).toBe('cancelled');
    const after = await retrieve(String(created.body.payment_id));
    expect(after.body.status).toBe('cancelled');
    expect(after.body.unified_code).toBe('UE_1001');
  });

  it('maps a decline to failed with the connector error and a unified code', async () => {
    const created = await create(1051);
    const { returnLocation } = await shopperActs(
      (created.body.next_action as { redirect_to_url: string }).redirect_to_url,
      'pay',
    );
    const back = new URL(returnLocation!);
    expect(back.searchParams.get('status')).toBe('failed');
    expect(back.searchParams.get('manual_retry_allowed')).toBe('true');
    const after = await retrieve(String(created.body.payment_id));
    expect(after.body).toMatchObject({ status: 'failed', error_code: 'FAILED', unified_code: 'UE_1000' });
  });

  it('leaves the attempt pending when the connector times out, never failed or succeeded by guess', async () => {
    const started = Date.now();
    const created = await create(1053);
    const elapsed = Date.now() - started;
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('processing');
    // x-switchyard-latency excludes the time spent waiting for the connector (here the whole timeout).
    const overhead = Number(created.headers.get('x-switchyard-latency'));
    expect(overhead).toBeGreaterThan(0);
    expect(overhead).toBeLessThan(elapsed - 3000);
    const attempts = await retrieve(String(created.body.payment_id), '?expand_attempts=true');
    expect((attempts.body.attempts as { status: string }[])[0].status).toBe('pending');
    expect(attempts.body.error_code).toBeNull();
    const synced = await retrieve(String(created.body.payment_id), '?force_sync=true');
    expect(synced.body.status).toBe('processing');
  });

  it('keeps an inquiry timeout pending too', async () => {
    const created = await create(1055);
    const paymentId = String(created.body.payment_id);
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    const after = await retrieve(paymentId);
    expect(after.body.status).toBe('requires_customer_action');
  });

  it('never marks a payment succeeded on a forged return (query says success, sandbox says pending)', async () => {
    const created = await create(1200);
    const paymentId = String(created.body.payment_id);
    const forged = `${stack.api}/payments/${paymentId}/${merchant.merchantId}/redirect/response/generic?token=${created.body.connector_transaction_id}&status=SUCCESS&status_code=succeeded`;
    const back = await fetch(forged, { redirect: 'manual' });
    expect(back.status).toBe(303);
    expect(new URL(back.headers.get('location')!).searchParams.get('status')).toBe('requires_customer_action');
    const posted = await fetch(forged, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'status=SUCCESS',
    });
    expect(new URL(posted.headers.get('location')!).searchParams.get('status')).toBe('requires_customer_action');
    expect((await retrieve(paymentId)).body.status).toBe('requires_customer_action');
  });

  it('resolves a pending payment through polling alone when the shopper never comes back', async () => {
    const created = await create(1052);
    const paymentId = String(created.body.payment_id);
    const page = (created.body.next_action as { redirect_to_url: string }).redirect_to_url;
    // The shopper pays but closes the tab: the 303 back to us is never followed.
    const paid = await fetch(`${page}/pay`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    const done = await eventually(
      () => retrieve(paymentId),
      (r) => r.body.status === 'succeeded',
    );
    expect(done.body.amount_received).toBe(1052);
  });

  it('refunds a succeeded payment in full and in part, and refuses more than was captured', async () => {
    const created = await create(2000);
    const paymentId = String(created.body.payment_id);
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    const partial = await call(stack.api, 'POST', '/refunds', {
      key: merchant.key,
      body: { payment_id: paymentId, amount: 500, reason: 'damaged' },
    });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ payment_id: paymentId, amount: 500, currency: 'USD', connector: 'generic' });
    const synced = await eventually(
      () => call(stack.api, 'GET', `/refunds/${partial.body.refund_id}?force_sync=true`, { key: merchant.key }),
      (r) => r.body.status === 'succeeded',
    );
    expect(synced.body.status).toBe('succeeded');
    const tooMuch = await call(stack.api, 'POST', '/refunds', {
      key: merchant.key,
      body: { payment_id: paymentId, amount: 1501 },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error?.code).toBe('IR_13');
    const rest = await call(stack.api, 'POST', '/refunds', {
      key: merchant.key,
      body: { payment_id: paymentId, amount: 1500 },
    });
    expect(rest.status).toBe(200);
  });

  it('creates without confirm, then confirms, and cancels an unconfirmed payment', async () => {
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 700, currency: 'EUR' },
    });
    expect(created.body.status).toBe('requires_payment_method');
    expect(created.body.client_secret).toMatch(new RegExp(`^${created.body.payment_id}_secret_[A-Za-z0-9]{20}$`));
    const confirmed = await call(stack.api, 'POST', `/payments/${created.body.payment_id}/confirm`, {
      key: merchant.key,
      body: {},
    });
    expect(confirmed.body.status).toBe('requires_customer_action');
    const again = await call(stack.api, 'POST', `/payments/${created.body.payment_id}/confirm`, {
      key: merchant.key,
      body: {},
    });
    expect(again.status).toBe(400);
    expect(again.body.error?.code).toBe('IR_16');

    const other = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 700, currency: 'EUR' },
    });
    const cancelled = await call(stack.api, 'POST', `/payments/${other.body.payment_id}/cancel`, {
      key: merchant.key,
      body: { cancellation_reason: 'duplicate' },
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellation_reason: 'duplicate' });
  });

  it('lets a client with the publishable key read a payment only with its client_secret', async () => {
    const created = await create(900);
    const paymentId = String(created.body.payment_id);
    const without = await call(stack.api, 'GET', `/payments/${paymentId}`, { key: merchant.publishableKey });
    expect(without.body.error?.code).toBe('IR_08');
    const wrong = await call(
      stack.api,
      'GET',
      `/payments/${paymentId}?client_secret=${paymentId}_secret_xxxxxxxxxxxxxxxxxxxx`,
      { key: merchant.publishableKey },
    );
    expect(wrong.body.error?.code).toBe('IR_09');
    const right = await call(stack.api, 'GET', `/payments/${paymentId}?client_secret=${created.body.client_secret}`, {
      key: merchant.publishableKey,
    });
    expect(right.body.payment_id).toBe(paymentId);
    const list = await call(stack.api, 'GET', '/payments/list', { key: merchant.publishableKey });
    expect(list.status).toBe(401);
  });

  it('lists payments newest first with a limit', async () => {
    const list = await call(stack.api, 'GET', '/payments/list?limit=2', { key: merchant.key });
    expect(list.status).toBe(200);
    expect(list.body.size).toBe(2);
    const bad = await call(stack.api, 'GET', '/payments/list?limit=500', { key: merchant.key });
    expect(bad.status).toBe(422);
  });

  it('records every transition in the event log', async () => {
    const created = await create(1300);
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query(
        'SELECT event_type, from_status, to_status, source FROM payment_events WHERE payment_id = $1 ORDER BY id',
        [created.body.payment_id],
      );
      expect(rows.map((r) => `${r.event_type}:${r.to_status}:${r.source}`)).toEqual([
        'payment_created:requires_payment_method:api',
        'attempt_started:processing:api',
        'attempt_status_changed:authentication_pending:api',
        'attempt_status_changed:charged:return',
      ]);
    } finally {
      await pg.end();
    }
  });
});
