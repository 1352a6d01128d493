import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { call, createMerchant, eventually, Merchant } from './support/client';
import { startStack, Stack } from './support/stack';

const WORKER_ENTRY = join(process.cwd(), 'dist/apps/worker/src/main.js');

/** kill -9 the worker while jobs are in flight, start it again: every payment ends right and no merchant event is lost. */
describe('Worker crash', () => {
  let stack: Stack;
  let merchant: Merchant;
  let server: Server;
  const delivered = new Map<string, number>();
  let worker: ChildProcess | null = null;

  const startWorker = () => {
    const child = spawn(process.execPath, ['-r', './scripts/register-aliases.cjs', WORKER_ENTRY], {
      cwd: process.cwd(),
      env: { ...process.env, LOG_FILE: `${stack.logFile}.worker`, LOG_TO_STDOUT: 'false' },
      stdio: 'ignore',
    });
    worker = child;
    return child;
  };

  beforeAll(async () => {
    if (!existsSync(WORKER_ENTRY)) throw new Error('dist/ is missing: `npm test` builds it before jest runs');
    stack = await startStack('worker-crash', {
      sandbox: { pendingPolls: 3 },
      env: { PAYMENT_SYNC_SCHEDULE: '1,1,1', MERCHANT_WEBHOOK_RETRY_SCHEDULE: '1,1,1,1,1' },
    });
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const event = JSON.parse(body) as { event_type: string; content: { object: { payment_id: string } } };
        if (event.event_type === 'payment_succeeded') {
          const id = event.content.object.payment_id;
          delivered.set(id, (delivered.get(id) ?? 0) + 1);
        }
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    merchant = await createMerchant(stack);
    const profiles = await call(stack.api, 'GET', `/account/${merchant.merchantId}/business_profile`, {
      key: merchant.key,
    });
    const profileId = (profiles.body as unknown as { profile_id: string }[])[0].profile_id;
    await call(stack.api, 'POST', `/account/${merchant.merchantId}/business_profile/${profileId}`, {
      key: merchant.key,
      body: { webhook_details: { webhook_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` } },
    });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await stack.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('finishes every payment and delivers every event after a SIGKILL mid-flight', async () => {
    const payments: string[] = [];
    for (let i = 0; i < 12; i++) {
      const created = await call(stack.api, 'POST', '/payments', {
        key: merchant.key,
        body: { amount: 1052 + i * 100, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
      });
      payments.push(String(created.body.payment_id));
      // The shopper pays but never comes back: only the worker's polling can finish these.
      await fetch(`${(created.body.next_action as { redirect_to_url: string }).redirect_to_url}/pay`, {
        method: 'POST',
        redirect: 'manual',
      });
    }
    const first = startWorker();
    // Kill it as soon as it has done some inquiries: most chains are then half-way (each needs 4 inquiries).
    await eventually(
      async () =>
        existsSync(`${stack.logFile}.worker`)
          ? readFileSync(`${stack.logFile}.worker`, 'utf8').split('payment inquiry done').length - 1
          : 0,
      (n) => n >= 3,
      60_000,
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const pgBefore = new Client({ connectionString: process.env.DATABASE_URL });
    await pgBefore.connect();
    const unfinished = (
      await pgBefore.query(
        `SELECT count(*)::int AS n FROM payment_intents WHERE payment_id = ANY($1) AND status <> 'succeeded'`,
        [payments],
      )
    ).rows[0].n as number;
    await pgBefore.end();
    expect(unfinished).toBeGreaterThan(0);
    startWorker();

    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      await eventually(
        async () =>
          (
            await pg.query(
              `SELECT count(*)::int AS n FROM payment_intents WHERE payment_id = ANY($1) AND status = 'succeeded'`,
              [payments],
            )
          ).rows[0].n as number,
        (n) => n === payments.length,
        120_000,
      );
      await eventually(
        async () =>
          (
            await pg.query(
              `SELECT count(*)::int AS n FROM outgoing_events WHERE payment_id = ANY($1) AND event_type = 'payment_succeeded' AND status = 'delivered'`,
              [payments],
            )
          ).rows[0].n as number,
        (n) => n === payments.length,
        120_000,
      );
      const intents = await pg.query(
        `SELECT payment_id, amount, amount_received FROM payment_intents WHERE payment_id = ANY($1)`,
        [payments],
      );
      intents.rows.forEach((row) => expect(Number(row.amount_received)).toBe(Number(row.amount)));
      payments.forEach((id) => expect(delivered.get(id)).toBeGreaterThanOrEqual(1));
      const events = await pg.query(
        `SELECT payment_id, count(*)::int AS n FROM outgoing_events WHERE payment_id = ANY($1) AND event_type = 'payment_succeeded' GROUP BY payment_id`,
        [payments],
      );
      events.rows.forEach((row) => expect(row.n).toBe(1));
    } finally {
      await pg.end();
    }
  }, 300_000);
});
