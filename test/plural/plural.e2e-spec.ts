import { call, createMerchantWith, eventually, type Merchant } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { pluralAccount, pluralShopper, pressButton, registerPluralMerchant } from './plural.support';

interface Delivery {
  webhook_id: string;
  event_type: string;
  state: string;
  last_response: string | null;
}

/** Plural end to end: unified API → Plural adapter → sandbox hosted page, callback, inquiry and signed webhooks → worker. */
describe('Plural payments through the unified API', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    // Inquiry polling far away: whatever completes a payment here is the return, a webhook or an explicit force_sync.
    stack = await startStack('plural', { worker: true, env: { PAYMENT_SYNC_SCHEDULE: '60,60' } });
    merchant = await createMerchantWith(stack, (merchantId) => pluralAccount(stack, merchantId));
    await registerPluralMerchant(stack, merchant);
  });
  afterAll(() => stack.close());

  const create = (amount: number, extra: Record<string, unknown> = {}) =>
    call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount, currency: 'INR', confirm: true, return_url: 'https://shop.example/done', ...extra },
    });
  const retrieve = (paymentId: string, query = '') =>
    call(stack.api, 'GET', `/payments/${paymentId}${query}`, { key: merchant.key });
  const redirectOf = (res: { body: Record<string, unknown> }) =>
    (res.body.next_action as { redirect_to_url: string }).redirect_to_url;
  const sandboxOrder = (orderId: unknown) => stack.sandboxState.plural.listOrders().find((o) => o.orderId === orderId);
  const deliveries = async (orderId: unknown): Promise<Delivery[]> =>
    (await fetch(`${stack.sandbox}/__sandbox/plural/webhooks?order_id=${String(orderId)}`)).json() as Promise<
      Delivery[]
    >;
  const withPg = async <T>(fn: (pg: import('pg').Client) => Promise<T>): Promise<T> => {
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      return await fn(pg);
    } finally {
      await pg.end();
    }
  };

  it('pays on the hosted page, posts the signed callback to the return route and proves success by inquiry', async () => {
    const created = await create(1999);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 'requires_customer_action', connector: 'plural' });
    const { returnLocation, callback } = await pluralShopper(redirectOf(created), 'pay');
    expect(callback?.fields).toMatchObject({ order_id: created.body.connector_transaction_id, status: 'PROCESSED' });
    const back = new URL(returnLocation!);
    expect(back.origin + back.pathname).toBe('https://shop.example/done');
    expect(back.searchParams.get('status')).toBe('succeeded');
    const after = await retrieve(String(created.body.payment_id), '?expand_attempts=true');
    expect(after.body).toMatchObject({ status: 'succeeded', amount_received: 1999, currency: 'INR' });
    const attemptId = (after.body.attempts as { attempt_id: string }[])[0].attempt_id;
    expect(sandboxOrder(created.body.connector_transaction_id)).toMatchObject({
      reference: attemptId,
      value: 1999,
      preAuth: false,
    });
  });

  it('completes by the signed webhook alone when the shopper pays but never comes back', async () => {
    const created = await create(2500);
    const inquiriesBefore = stack.sandboxState.plural.stats.inquiryRequests;
    const callback = await pressButton(redirectOf(created), 'pay');
    expect(callback?.fields.status).toBe('PROCESSED'); // …and the browser never posts it
    const done = await eventually(
      () => retrieve(String(created.body.payment_id)),
      (r) => r.body.status === 'succeeded',
    );
    expect(done.body.amount_received).toBe(2500);
    expect(stack.sandboxState.plural.stats.inquiryRequests).toBe(inquiriesBefore);
    const rows = await withPg((pg) =>
      pg.query("SELECT source FROM payment_events WHERE payment_id = $1 AND to_status = 'charged'", [
        created.body.payment_id,
      ]),
    );
    expect(rows.rows).toEqual([{ source: 'webhook' }]);
  });

  it('authorizes a pre_auth order on the hosted page, then captures it', async () => {
    const created = await create(50000, { capture_method: 'manual' });
    const { returnLocation } = await pluralShopper(redirectOf(created), 'pay');
    expect(new URL(returnLocation!).searchParams.get('status')).toBe('requires_capture');
    expect(sandboxOrder(created.body.connector_transaction_id)).toMatchObject({ preAuth: true, status: 'AUTHORIZED' });
    const captured = await call(stack.api, 'POST', `/payments/${created.body.payment_id}/capture`, {
      key: merchant.key,
      body: {},
    });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 50000, amount_capturable: 0 });
    const order = sandboxOrder(created.body.connector_transaction_id)!;
    expect(order.status).toBe('PROCESSED');
    expect(stack.sandboxState.plural.capturedValue(order)).toBe(50000);
  });

  it.each([100, 100000000, 1999])('round-trips %i paise exactly through the sandbox', async (amount) => {
    const created = await create(amount);
    expect(created.status).toBe(200);
    expect(sandboxOrder(created.body.connector_transaction_id)?.value).toBe(amount);
    const { returnLocation } = await pluralShopper(redirectOf(created), 'pay');
    expect(new URL(returnLocation!).searchParams.get('status')).toBe('succeeded');
    expect((await retrieve(String(created.body.payment_id))).body).toMatchObject({
      status: 'succeeded',
      amount_received: amount,
    });
  });

  it.each([99, 100000001])('does not route %i paise to Plural (outside its limits)', async (amount) => {
    const created = await create(amount);
    expect(created.status).toBe(400);
    expect(created.body.error?.code).toBe('IR_39');
  });

  it('applies a duplicate webhook once', async () => {
    const created = await create(3000);
    await pressButton(redirectOf(created), 'pay');
    await eventually(
      () => retrieve(String(created.body.payment_id)),
      (r) => r.body.status === 'succeeded',
    );
    const [delivery] = await eventually(
      () => deliveries(created.body.connector_transaction_id),
      (list) => list.length === 1 && list[0].state === 'delivered',
    );
    expect(delivery.event_type).toBe('ORDER_PROCESSED');
    const again = (await (
      await fetch(`${stack.sandbox}/__sandbox/plural/webhooks/${delivery.webhook_id}/redeliver`, { method: 'POST' })
    ).json()) as Delivery;
    expect(again.state).toBe('delivered');
    expect(JSON.parse(again.last_response ?? '{}')).toEqual({ received: true, outcome: 'duplicate' });
    const counts = await withPg(async (pg) => ({
      events: (
        await pg.query('SELECT count(*)::int AS n FROM webhook_events WHERE event_id = $1', [delivery.webhook_id])
      ).rows[0].n,
      charged: (
        await pg.query(
          "SELECT count(*)::int AS n FROM payment_events WHERE payment_id = $1 AND to_status = 'charged'",
          [created.body.payment_id],
        )
      ).rows[0].n,
    }));
    expect(counts).toEqual({ events: 1, charged: 1 });
  });

  it('keeps a payment waiting while the shopper retries failed tries (…56), and fails it when they run out', async () => {
    const created = await create(10056);
    const paymentId = String(created.body.payment_id);
    expect(await pressButton(redirectOf(created), 'pay')).toBeNull();
    await eventually(
      () => deliveries(created.body.connector_transaction_id),
      (list) => list.some((d) => d.event_type === 'PAYMENT_FAILED' && d.state === 'delivered'),
    );
    expect((await retrieve(paymentId, '?force_sync=true')).body.status).toBe('requires_customer_action');
    expect(await pressButton(redirectOf(created), 'pay')).toBeNull();
    const { returnLocation } = await pluralShopper(redirectOf(created), 'pay');
    expect(new URL(returnLocation!).searchParams.get('status')).toBe('failed');
    expect((await retrieve(paymentId)).body).toMatchObject({
      status: 'failed',
      error_code: 'PAYMENT_FAILED',
      unified_code: 'UE_1000',
    });
  });

  it('settles a refund by its REFUND_PROCESSED webhook', async () => {
    const created = await create(20000);
    await pluralShopper(redirectOf(created), 'pay');
    const refund = await call(stack.api, 'POST', '/refunds', {
      key: merchant.key,
      body: { payment_id: created.body.payment_id, amount: 5000 },
    });
    expect(refund.body).toMatchObject({ status: 'pending', amount: 5000, currency: 'INR' });
    const settled = await eventually(
      () => call(stack.api, 'GET', `/refunds/${refund.body.refund_id}`, { key: merchant.key }),
      (r) => r.body.status !== 'pending',
    );
    expect(settled.body.status).toBe('succeeded');
    expect(stack.sandboxState.plural.listRefunds().find((r) => r.reference === refund.body.refund_id)?.status).toBe(
      'PROCESSED',
    );
  });
});
