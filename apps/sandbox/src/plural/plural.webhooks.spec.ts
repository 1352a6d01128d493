import { createHmac } from 'node:crypto';
import { sandbox, sleep, webhookReceiver, type Received } from './plural.spec-harness';
import { signWebhook } from './plural.wire';

/** The plural.md recipe written out again: base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed with the UTF-8 secret. */
function verifies(delivery: Received, secret: string): boolean {
  const id = String(delivery.headers['webhook-id']);
  const timestamp = String(delivery.headers['webhook-timestamp']);
  const expected = createHmac('sha256', secret).update(`${id}.${timestamp}.${delivery.body}`).digest('base64');
  return String(delivery.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

async function until(check: () => boolean, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('plural sandbox: webhooks', () => {
  const receivers: Array<{ close(): Promise<void> }> = [];
  afterAll(() => Promise.all(receivers.map((r) => r.close())));
  const receiver = async (statuses: number[] = []) => {
    const r = await webhookReceiver(statuses);
    receivers.push(r);
    return r;
  };

  it('signs like the plural.md test vector', () => {
    const body = '{"event_type":"ORDER_PROCESSED","data":{"order_id":"v1-1","status":"PROCESSED"}}';
    expect(signWebhook('test_client_secret', 'msg_2abc', 1700000000, body)).toBe(
      'v1,FUgzHM6oTeLJJaKJIYZKlmwVmZ2t5+HB0F/CNTcnN5U=',
    );
  });

  it('sends signed Standard Webhooks for every state change to the registered URL', async () => {
    const hooks = await receiver();
    const s = sandbox();
    await s.register({ webhook_url: hooks.url });
    const token = await s.tokenFor();
    const paid = await s.paidOrder(token, 10000);
    const failed = await s.createOk(token);
    await s.act(failed.token, 'fail');
    const held = await s.createOk(token, { pre_auth: true });
    await s.act(held.token, 'pay');
    await s.capture(token, held.order_id, 1999);
    const voided = await s.createOk(token, { pre_auth: true });
    await s.act(voided.token, 'pay');
    await s.cancel(token, voided.order_id);
    await s.refund(token, paid.order_id, {
      merchant_order_reference: 'rf_1',
      order_amount: { value: 5000, currency: 'INR' },
    });
    await s.refund(token, paid.order_id, {
      merchant_order_reference: 'rf_2',
      order_amount: { value: 157, currency: 'INR' },
    });
    await until(() => s.state.plural.stats.webhooksDelivered === 8);
    const events = hooks.received.map(
      (d) => JSON.parse(d.body) as { event_type: string; data: Record<string, unknown> },
    );
    expect(events.map((e) => e.event_type).sort()).toEqual(
      [
        'ORDER_PROCESSED',
        'ORDER_FAILED',
        'ORDER_AUTHORIZED',
        'ORDER_PROCESSED',
        'ORDER_AUTHORIZED',
        'ORDER_CANCELLED',
        'REFUND_PROCESSED',
        'REFUND_FAILED',
      ].sort(),
    );
    const paidEvent = events.find((e) => e.event_type === 'ORDER_PROCESSED' && e.data.order_id === paid.order_id)!;
    expect(paidEvent.data).toMatchObject({ status: 'PROCESSED', order_amount: { value: 10000, currency: 'INR' } });
    const refundEvent = events.find((e) => e.event_type === 'REFUND_PROCESSED')!;
    expect(refundEvent.data).toMatchObject({
      parent_order_id: paid.order_id,
      merchant_order_reference: 'rf_1',
      status: 'PROCESSED',
    });
    for (const delivery of hooks.received) {
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(String(delivery.headers['webhook-id'])).toMatch(/^msg_/);
      expect(Math.abs(Number(delivery.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
      expect(verifies(delivery, 'client_secret_a')).toBe(true);
    }
    expect(s.state.stats().plural).toMatchObject({ webhookAttempts: 8, webhooksDelivered: 8, webhooksFailed: 0 });
  });

  it('signs with the registered webhook secret when one is set, and sends nothing without a URL', async () => {
    const hooks = await receiver();
    const s = sandbox();
    const token = await s.tokenFor();
    await s.paidOrder(token);
    await sleep(50);
    expect(s.state.stats().plural).toMatchObject({ webhookAttempts: 0 });
    await s.register({ webhook_url: hooks.url, webhook_secret: 'whk_dashboard_secret' });
    await s.paidOrder(token);
    await until(() => hooks.received.length === 1);
    expect(verifies(hooks.received[0], 'whk_dashboard_secret')).toBe(true);
    expect(verifies(hooks.received[0], 'client_secret_a')).toBe(false);
  });

  it('retries a refused delivery up to 3 times with the same webhook-id, then gives up; a redelivery sends it again', async () => {
    const hooks = await receiver([500, 503, 404, 500]);
    const s = sandbox();
    await s.register({ webhook_url: hooks.url });
    const token = await s.tokenFor();
    const order = await s.paidOrder(token);
    await until(() => s.state.plural.stats.webhooksFailed === 1);
    expect(hooks.received).toHaveLength(4);
    expect(new Set(hooks.received.map((d) => d.headers['webhook-id'])).size).toBe(1);
    const [delivery] = (await s.http().get(`/__sandbox/plural/webhooks?order_id=${order.order_id}`)).body as Array<{
      webhook_id: string;
      state: string;
      attempts: Array<{ status: number }>;
    }>;
    expect(delivery).toMatchObject({
      state: 'failed',
      attempts: [{ status: 500 }, { status: 503 }, { status: 404 }, { status: 500 }],
    });

    const again = await s.http().post(`/__sandbox/plural/webhooks/${delivery.webhook_id}/redeliver`);
    expect(again.body).toMatchObject({
      webhook_id: delivery.webhook_id,
      state: 'delivered',
      last_response: '{"received":true}',
    });
    expect(hooks.received).toHaveLength(5);
    expect(hooks.received[4].headers['webhook-id']).toBe(delivery.webhook_id);
    expect(verifies(hooks.received[4], 'client_secret_a')).toBe(true);
  });
});
