import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, createMerchant, eventually, Merchant, shopperActs } from './support/client';
import { startStack, Stack } from './support/stack';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** Outgoing merchant webhooks: outbox written with the state change, signed, retried, logged, re-deliverable. */
describe('Merchant webhooks', () => {
  let stack: Stack;
  let merchant: Merchant;
  let server: Server;
  let endpoint: string;
  const received: Received[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    stack = await startStack('merchant-webhooks', {
      worker: true,
      env: { MERCHANT_WEBHOOK_RETRY_SCHEDULE: '1,1,1,1' },
    });
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (failuresLeft > 0 && body.includes('"event_type":"payment_succeeded"')) {
          failuresLeft -= 1;
          res.writeHead(503).end('try later');
        } else {
          res.writeHead(200).end('ok');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    merchant = await createMerchant(stack);
    const profiles = await call(stack.api, 'GET', `/account/${merchant.merchantId}/business_profile`, {
      key: merchant.key,
    });
    const profileId = (profiles.body as unknown as { profile_id: string }[])[0].profile_id;
    const updated = await call(stack.api, 'POST', `/account/${merchant.merchantId}/business_profile/${profileId}`, {
      key: merchant.key,
      body: { webhook_details: { webhook_url: endpoint } },
    });
    expect(updated.status).toBe(200);
  });
  afterAll(async () => {
    await stack.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const signatureOf = (body: string) => createHmac('sha512', merchant.hashKey).update(body).digest('hex');
  const eventsFor = (paymentId: string, type: string) =>
    received.filter((r) => {
      const parsed = JSON.parse(r.body) as { event_type: string; content: { object: { payment_id: string } } };
      return parsed.event_type === type && parsed.content.object.payment_id === paymentId;
    });

  it('retries payment_succeeded through 3 endpoint failures, then stops after the one 2xx, every delivery signed', async () => {
    failuresLeft = 3;
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 1500, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });
    const paymentId = String(created.body.payment_id);
    // The endpoint answers 503 to the first three deliveries of payment_succeeded.
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    await eventually(
      async () => eventsFor(paymentId, 'payment_succeeded').length,
      (n) => n >= 4,
      20000,
    );
    await new Promise((r) => setTimeout(r, 2500));

    const succeeded = eventsFor(paymentId, 'payment_succeeded');
    expect(succeeded).toHaveLength(4);
    expect(new Set(succeeded.map((r) => JSON.parse(r.body).event_id)).size).toBe(1);
    succeeded.forEach((r) => expect(r.headers['x-webhook-signature-512']).toBe(signatureOf(r.body)));
    const delivery = succeeded[3];
    const body = JSON.parse(delivery.body) as Record<string, unknown> & {
      content: { type: string; object: Record<string, unknown> };
    };
    expect(body).toMatchObject({ merchant_id: merchant.merchantId, event_type: 'payment_succeeded' });
    expect(body.event_id).toBe(delivery.headers['x-webhook-id']);
    expect(String(body.event_id)).toMatch(/^evt_/);
    expect(body.content.type).toBe('payment_details');
    expect(body.content.object).toMatchObject({ payment_id: paymentId, status: 'succeeded', amount: 1500 });

    expect(eventsFor(paymentId, 'action_required')).toHaveLength(1);

    const events = await call(stack.api, 'GET', `/events/${merchant.merchantId}?payment_id=${paymentId}`, {
      key: merchant.key,
    });
    const list = events.body as unknown as {
      event_id: string;
      event_type: string;
      delivery_status: string;
      delivery_attempts: number;
    }[];
    const paid = list.find((e) => e.event_type === 'payment_succeeded')!;
    expect(paid).toMatchObject({ delivery_status: 'delivered', delivery_attempts: 4 });
    expect(list.find((e) => e.event_type === 'action_required')).toMatchObject({
      delivery_status: 'delivered',
      delivery_attempts: 1,
    });
    const attempts = await call(stack.api, 'GET', `/events/${merchant.merchantId}/${paid.event_id}/attempts`, {
      key: merchant.key,
    });
    expect(
      (attempts.body as unknown as { success: boolean; response_status: number }[]).map((a) => [
        a.success,
        a.response_status,
      ]),
    ).toEqual([
      [false, 503],
      [false, 503],
      [false, 503],
      [true, 200],
    ]);
  });

  it('lets ops re-deliver an event, logged as a manual attempt', async () => {
    const events = await call(stack.api, 'GET', `/events/${merchant.merchantId}?limit=1`, { key: merchant.key });
    const [latest] = events.body as unknown as { event_id: string }[];
    const before = received.length;
    const retry = await call(stack.api, 'POST', `/events/${merchant.merchantId}/${latest.event_id}/retry`, {
      key: merchant.key,
      body: {},
    });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ trigger: 'manual', success: true, response_status: 200 });
    expect(received.length).toBe(before + 1);
  });

  it('emits refund_succeeded for a settled refund', async () => {
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount: 800, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    const refund = await call(stack.api, 'POST', '/refunds', {
      key: merchant.key,
      body: { payment_id: created.body.payment_id, amount: 800 },
    });
    await eventually(
      async () =>
        received.filter(
          (r) =>
            JSON.parse(r.body).event_type === 'refund_succeeded' &&
            JSON.parse(r.body).content.object.refund_id === refund.body.refund_id,
        ).length,
      (n) => n === 1,
    );
  });

  it('keeps other merchants out of the event log', async () => {
    const other = await createMerchant(stack);
    const res = await call(stack.api, 'GET', `/events/${merchant.merchantId}`, { key: other.key });
    expect(res.status).toBe(404);
  });
});
