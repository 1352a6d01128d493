import { call, createMerchant } from './support/client';
import { startStack, Stack } from './support/stack';

/**
 * A profile without a webhook endpoint: the merchant event is still written in the payment's transaction, recorded as
 * `no_endpoint` at once, and no delivery job is queued for it; with an endpoint it is written `pending` and delivered.
 */
describe('Outbox without a webhook endpoint', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('outbox-no-endpoint');
  });
  afterAll(() => stack.close());

  it('records the event as no_endpoint without queueing a delivery', async () => {
    const merchant = await createMerchant(stack);
    const res = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 1000, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });
    expect(res.body.status).toBe('requires_customer_action');
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query(
        'SELECT event_type, status, next_attempt_at FROM outgoing_events WHERE payment_id = $1',
        [res.body.payment_id],
      );
      expect(rows).toEqual([{ event_type: 'action_required', status: 'no_endpoint', next_attempt_at: null }]);
      const events = await pg.query('SELECT event_type FROM payment_events WHERE payment_id = $1 ORDER BY id', [
        res.body.payment_id,
      ]);
      expect(events.rows.map((r: { event_type: string }) => r.event_type)).toEqual([
        'payment_created',
        'attempt_started',
        'attempt_status_changed',
      ]);
    } finally {
      await pg.end();
    }
  });
});
