import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { call, createMerchant, Merchant } from './support/client';
import { startStack, Stack } from './support/stack';

describe('Idempotency-Key and duplicate order protection', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack('idempotency');
    merchant = await createMerchant(stack);
  });
  afterAll(() => stack.close());

  it('turns 50 concurrent identical POSTs with one key into one payment and one connector call', async () => {
    const key = `idem-${Date.now()}`;
    const body = {
      amount: 4200,
      currency: 'USD',
      confirm: true,
      return_url: 'https://shop.example/r',
      description: 'concurrency',
    };
    const before = stack.sandboxState.generic.stats.createRequests;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(stack.api, 'POST', '/payments', { key: merchant.key, body, headers: { 'idempotency-key': key } }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200);
    const inFlight = responses.filter((r) => r.status === 409);
    expect(ok.length + inFlight.length).toBe(50);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.payment_id)).size).toBe(1);
    inFlight.forEach((r) => expect(r.body.error?.code).toBe('SY_01'));
    expect(stack.sandboxState.generic.stats.createRequests - before).toBe(1);

    const replay = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(replay.status).toBe(200);
    expect(replay.body.payment_id).toBe(ok[0].body.payment_id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(stack.sandboxState.generic.stats.createRequests - before).toBe(1);

    const list = await call(stack.api, 'GET', '/payments/list?limit=100', { key: merchant.key });
    expect((list.body.data as { description: string }[]).filter((p) => p.description === 'concurrency')).toHaveLength(
      1,
    );
  });

  it('refuses the same key with another body (422) and replays a stored error', async () => {
    const key = `idem-body-${Date.now()}`;
    const first = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 100, currency: 'USD' },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(200);
    const other = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 101, currency: 'USD' },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ type: 'invalid_request', code: 'SY_02' });

    const badKey = `idem-bad-${Date.now()}`;
    const bad = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: -1, currency: 'USD' },
      headers: { 'idempotency-key': badKey },
    });
    expect(bad.status).toBe(422);
    const badAgain = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: -1, currency: 'USD' },
      headers: { 'idempotency-key': badKey },
    });
    expect(badAgain.status).toBe(422);
    expect(badAgain.body).toEqual(bad.body);
  });

  it('keeps keys per merchant: another merchant may use the same key', async () => {
    const other = await createMerchant(stack);
    const key = `shared-${Date.now()}`;
    const a = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 100, currency: 'USD' },
      headers: { 'idempotency-key': key },
    });
    const b = await call(stack.api, 'POST', '/payments', {
      key: other.key,
      body: { amount: 100, currency: 'USD' },
      headers: { 'idempotency-key': key },
    });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.payment_id).not.toBe(b.body.payment_id);
  });

  it('refuses a second payment with the same merchant_order_reference_id and a reused payment_id', async () => {
    const ref = `order-${Date.now()}`;
    const first = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 100, currency: 'USD', merchant_order_reference_id: ref },
    });
    expect(first.status).toBe(200);
    const dup = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 100, currency: 'USD', merchant_order_reference_id: ref },
    });
    expect(dup.status).toBe(400);
    expect(dup.body.error?.code).toBe('HE_01');
    const samePaymentId = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 100, currency: 'USD', payment_id: first.body.payment_id },
    });
    expect(samePaymentId.status).toBe(400);
    expect(samePaymentId.body.error).toMatchObject({ code: 'HE_01', payment_id: first.body.payment_id });
  });

  it('keeps refusing the key of a request that never finished, and says so once its lock has run out', async () => {
    const key = `crashed-${Date.now()}`;
    const body = { amount: 137, currency: 'USD' };
    // What a request that crashed mid-way leaves behind: the claimed key, no answer, a lock that has run out.
    const fingerprint = createHmac('sha256', `idempotency:${process.env.API_KEY_HASH_SECRET}`)
      .update(`POST /payments\n{"amount":137,"currency":"USD"}`)
      .digest('hex');
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, state, locked_until)
         VALUES ($1, $2, $3, 'in_flight', now() - interval '1 minute')`,
        [merchant.merchantId, key, fingerprint],
      );
    } finally {
      await db.end();
    }
    const retried = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(retried.status).toBe(409);
    expect(retried.body.error?.code).toBe('SY_01');
    expect(retried.body.error?.message).toMatch(/never completed .* will not be re-run/);
    const list = await call(stack.api, 'GET', '/payments/list', { key: merchant.key });
    expect((list.body.data as { amount: number }[]).filter((p) => p.amount === 137)).toHaveLength(0);
  });
});
