import { dataSourceOptions, warmPool } from '@switchyard/database';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { call, createMerchant, eventually, Merchant } from './support/client';
import { startStack, Stack } from './support/stack';

const PAYMENT = { amount: 1000, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' };

/**
 * One pooled connection: the payment path must never need a second one while it holds the first (that is the pool
 * deadlock seen under load), and a request that cannot get a connection within DB_POOL_WAIT_MS is answered 503 with
 * the error envelope instead of waiting for ever.
 */
describe('Postgres pool: one connection, a bounded wait', () => {
  let stack: Stack;
  let merchant: Merchant;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack('db-pool', { env: { DB_POOL_SIZE: '1', DB_POOL_WAIT_MS: '300' } });
    merchant = await createMerchant(stack);
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db.query('ROLLBACK').catch(() => undefined);
    await db.end();
    await stack.close();
  });

  it('creates and confirms payments with a pool of one connection', async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => call(stack.api, 'POST', '/payments', { key: merchant.key, body: PAYMENT })),
    );
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('requires_customer_action');
    }
  });

  it('answers 503 when no connection frees up in time, and the retried request then succeeds', async () => {
    // An uncommitted claim of the holder's Idempotency-Key: the holder's own claim (INSERT … ON CONFLICT) waits for
    // this transaction while it holds the API's only connection.
    const holdKey = `hold-${Date.now()}`;
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, state, locked_until)
       VALUES ($1, $2, 'held by the test', 'in_flight', now() + interval '1 minute')`,
      [merchant.merchantId, holdKey],
    );
    const holder = call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: PAYMENT,
      headers: { 'idempotency-key': holdKey },
    });
    const me = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await eventually(
      async () =>
        (
          await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
            [me],
          )
        ).rows[0].n,
      (blocked) => blocked === 1,
    );

    const retryKey = `pool-${Date.now()}`;
    const starved = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: PAYMENT,
      headers: { 'idempotency-key': retryKey },
    });
    expect(starved.status).toBe(503);
    expect(starved.body.error).toEqual({
      type: 'api',
      code: 'HE_00',
      message: 'The server is overloaded; retry the request later',
    });
    expect(starved.headers.get('retry-after')).toBe('1');

    await db.query('ROLLBACK'); // the holder's claim goes through
    const held = await holder;
    expect(held.status).toBe(200);
    expect(held.body.status).toBe('requires_customer_action');

    // Same key, same body: it runs (the 503 was not stored as the key's answer).
    const retried = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: PAYMENT,
      headers: { 'idempotency-key': retryKey },
    });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body.status).toBe('requires_customer_action');
  });

  it("opens the pool's minimum at start-up and keeps it open when idle; connections above it are let go", async () => {
    const name = `pool-test-${process.pid}`;
    const open = async () =>
      (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [
          name,
        ])
      ).rows[0].n;
    const ds = await new DataSource(
      dataSourceOptions(
        String(process.env.DATABASE_URL),
        {},
        {
          size: 5,
          min: 3,
          waitMs: 1000,
          idleMs: 100,
          applicationName: name,
        },
      ),
    ).initialize();
    try {
      expect(await warmPool(ds)).toBe(3);
      expect(await open()).toBe(3);
      // A burst of 5 concurrent statements grows it to 5; once idle, it shrinks back to 3, not to 0.
      await Promise.all(Array.from({ length: 5 }, () => ds.query('SELECT pg_sleep(0.05)')));
      expect(await open()).toBe(5);
      await eventually(open, (n) => n === 3);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await open()).toBe(3);
    } finally {
      await ds.destroy();
    }
  });
});
