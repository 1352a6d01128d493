import { Queue } from 'bullmq';
import { Client } from 'pg';
import { call, createMerchant, eventually } from './support/client';
import { startStack, Stack } from './support/stack';

/** Nothing lost on a crash: an attempt whose inquiry chain vanished (process killed before enqueue) is found and finished. */
describe('Lost inquiry chains', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('lost-inquiry', {
      worker: true,
      env: { PAYMENT_SYNC_SCHEDULE: '1,1,1', PAYMENT_SYNC_SWEEP_SECONDS: '1' },
    });
  });
  afterAll(() => stack.close());

  it('re-creates the inquiry for an idle pending attempt and resolves it', async () => {
    const merchant = await createMerchant(stack);
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 1200, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });
    const paymentId = String(created.body.payment_id);
    const attemptId = `${paymentId}_1`;
    // Simulate the crash: drop every queued inquiry for this attempt and make the attempt look idle for an hour.
    const url = new URL(process.env.REDIS_URL!);
    const queue = new Queue('payment-sync', {
      connection: { host: url.hostname, port: Number(url.port) },
      prefix: process.env.QUEUE_PREFIX,
    });
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      for (const job of await queue.getJobs(['delayed', 'waiting', 'prioritized'])) {
        if (job?.data?.attemptId === attemptId) await job.remove();
      }
      await pg.query(`UPDATE payment_attempts SET modified_at = now() - interval '1 hour' WHERE attempt_id = $1`, [
        attemptId,
      ]);
      // The shopper paid at the processor, but nobody came back and no inquiry is queued any more.
      const paid = await fetch(`${(created.body.next_action as { redirect_to_url: string }).redirect_to_url}/pay`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(paid.status).toBe(303);
      const done = await eventually(
        () => call(stack.api, 'GET', `/payments/${paymentId}`, { key: merchant.key }),
        (r) => r.body.status === 'succeeded',
        30000,
      );
      expect(done.body.amount_received).toBe(1200);
    } finally {
      await queue.close();
      await pg.end();
    }
  });
});
