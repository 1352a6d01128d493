import { createHmac } from 'node:crypto';
import { tapHashstring } from './tap.webhooks';
import { receiver, sleep, tapErrors, tapSandbox, until } from './tap.spec-harness';

const sign = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');

describe('tap sandbox: scripted outcomes (last two digits of the minor units)', () => {
  it.each([
    [1.051, 'DECLINED', '507'],
    [1.055, 'RESTRICTED', '701'],
    [1.056, 'ABANDONED', '301'],
    [1.058, 'TIMEDOUT', '801'],
    [1.059, 'UNKNOWN', '901'],
  ])('%s KWD: Pay → %s', async (amount, status, code) => {
    const s = tapSandbox();
    const id = await s.createOk({ amount });
    expect((await s.act(id, 'pay')).status).toBe(303);
    expect((await s.get(`/charges/${id}`)).body).toMatchObject({ status, response: { code } });
  });

  it('…52: IN_PROGRESS for pendingPolls retrieves after Pay, then CAPTURED', async () => {
    const s = tapSandbox({ pendingPolls: 2 });
    const id = await s.createOk({ amount: 1.052 });
    await s.act(id, 'pay');
    const seen: string[] = [];
    for (let i = 0; i < 4; i += 1) seen.push((await s.get(`/charges/${id}`)).body.status as string);
    expect(seen).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'CAPTURED', 'CAPTURED']);
  });

  it('…53: the charge is made, the create hangs hangMs then 504, and the idempotent repeat answers it at once', async () => {
    const s = tapSandbox({ hangMs: 200 });
    const payload = s.body({ amount: 1.053, reference: { transaction: 'pay_9_1', idempotent: 'pay_9_1' } });
    const started = Date.now();
    const first = await s.post('/charges', payload);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(first.status).toBe(504);
    expect(first.body).toEqual(tapErrors('9999', 'Gateway Timeout'));
    const repeat = await s.post('/charges', payload);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ status: 'INITIATED', reference: { transaction: 'pay_9_1' } });
    expect(s.state.tap.listCharges({ idempotent: 'pay_9_1' })).toHaveLength(1);
  });

  it('…54 answers 500 and …57 a truncated body, creating nothing', async () => {
    const s = tapSandbox();
    const failed = await s.post('/charges', s.body({ amount: 1.054 }));
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual(tapErrors('9999', 'Internal Server Error'));
    const malformed = await s
      .post('/charges', s.body({ amount: 1.057 }))
      .buffer(true)
      .parse((response, callback) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => callback(null, text));
      });
    expect(malformed.status).toBe(200);
    expect(malformed.headers['content-type']).toMatch(/^application\/json/);
    expect(malformed.body).toBe('{"id":"chg_');
    expect(s.state.stats().tap).toMatchObject({ createRequests: 2, chargesCreated: 0 });
  });
});

describe('tap sandbox: page expiry', () => {
  it('turns an INITIATED charge nobody paid ABANDONED after paymentTtlSeconds', async () => {
    const s = tapSandbox({ paymentTtlSeconds: 0.05 });
    const id = await s.createOk();
    await sleep(80);
    expect((await s.get(`/charges/${id}`)).body).toMatchObject({ status: 'ABANDONED', response: { code: '301' } });
    expect((await s.http().get(`/tap/checkout/${id}`)).status).toBe(409);
  });
});

describe('tap sandbox: authorize, capture, void', () => {
  it('authorizes on the hosted page, captures part through a charge on the auth_ source, and refuses more', async () => {
    const s = tapSandbox();
    const authId = await s.createOk({ amount: 2, auto: { type: 'VOID', time: 24 } }, '/authorize');
    expect(authId).toMatch(/^auth_/);
    await s.act(authId, 'pay');
    expect((await s.get(`/authorize/${authId}`)).body).toMatchObject({
      object: 'authorize',
      status: 'AUTHORIZED',
      auto: { type: 'VOID', time: 24 },
    });
    const capture = (amount: number, currency = 'KWD', source = authId) =>
      s.post('/charges', {
        amount,
        currency,
        source: { id: source },
        reference: { idempotent: `cap-${amount}-${currency}` },
      });
    expect((await capture(2.001)).body).toEqual(tapErrors('1150', 'Capture amount exceeds the authorized amount'));
    expect((await capture(1, 'BHD')).body).toEqual(tapErrors('1119', 'Invalid Currency'));
    expect((await capture(1, 'KWD', 'auth_nope')).body).toEqual(tapErrors('1143', 'Authorize not found'));
    const captured = await capture(1.5);
    expect(captured.body).toMatchObject({
      id: expect.stringMatching(/^chg_/),
      status: 'CAPTURED',
      amount: 1.5,
      source: { id: authId },
    });
    expect((await s.get(`/authorize/${authId}`)).body.status).toBe('CAPTURED');
    expect((await capture(0.5)).status).toBe(400);
    expect((await s.post(`/authorize/${authId}/void`, {})).status).toBe(400);
  });

  it('voids an authorization, and refuses auth_ sources on /authorize', async () => {
    const s = tapSandbox();
    const authId = await s.createOk({}, '/authorize');
    await s.act(authId, 'pay');
    const voided = await s.post(`/authorize/${authId}/void`, {});
    expect(voided.body).toMatchObject({ id: authId, status: 'VOID', response: { code: '601' } });
    expect((await s.post('/authorize', s.body({ source: { id: authId } }))).body).toEqual(
      tapErrors('1125', 'Invalid Source Id'),
    );
    expect((await s.post('/authorize/auth_nope/void', {})).status).toBe(404);
  });
});

describe('tap sandbox: refunds', () => {
  async function paidCharge(s: ReturnType<typeof tapSandbox>, amount = 1.005) {
    const id = await s.createOk({ amount });
    await s.act(id, 'pay');
    return id;
  }

  it('refunds in part and in full, PENDING until retrieved, never above the charge', async () => {
    const s = tapSandbox();
    const chargeId = await paidCharge(s);
    const refund = (amount: number, reason: unknown = 'requested_by_customer') =>
      s.post('/refunds', {
        charge_id: chargeId,
        amount,
        currency: 'KWD',
        reason,
        reference: { merchant: `ref-${amount}` },
      });
    expect((await refund(0.5, '')).body).toEqual(tapErrors('1156', 'Refund reason is required'));
    expect((await refund(1.006)).body).toEqual(tapErrors('1161', 'Refund amount exceeds the charge amount'));
    const first = await refund(0.5);
    expect(first.text).toContain('"amount":0.5');
    expect(first.body).toMatchObject({
      id: expect.stringMatching(/^re_/),
      object: 'refund',
      status: 'PENDING',
      charge_id: chargeId,
      reference: { merchant: 'ref-0.5' },
    });
    expect((await refund(0.506)).status).toBe(400);
    expect((await s.get(`/refunds/${first.body.id}`)).body).toMatchObject({
      status: 'REFUNDED',
      response: { code: '000' },
    });
    expect((await refund(0.505)).status).toBe(200);
    const none = await s.post('/refunds', { charge_id: 'chg_nope', amount: 1, currency: 'KWD', reason: 'x' });
    expect(none.body).toEqual(tapErrors('1144', 'Charge not found'));
  });

  it('settles a refund ending in 51 (minor units) as FAILED, which frees its amount', async () => {
    const s = tapSandbox();
    const chargeId = await paidCharge(s, 2);
    const failing = await s.post('/refunds', { charge_id: chargeId, amount: 1.051, currency: 'KWD', reason: 'x' });
    expect((await s.get(`/refunds/${failing.body.id}`)).body).toMatchObject({
      status: 'FAILED',
      response: { code: '401' },
    });
    expect((await s.post('/refunds', { charge_id: chargeId, amount: 2, currency: 'KWD', reason: 'x' })).status).toBe(
      200,
    );
  });
});

describe('tap sandbox: webhooks', () => {
  it('signs with its own hashstring, matching the tap.md vector', () => {
    const vector = {
      id: 'chg_1',
      amount: '1.500',
      currency: 'KWD',
      gateway: 'gw',
      payment: 'py',
      status: 'CAPTURED',
      created: '1700',
    };
    expect(tapHashstring('test-secret', vector)).toBe(
      '69485ac24bba9295ec86001f7cf0fb7f426b758136eeafa5eb94864fb8b8f514',
    );
  });

  it('posts the final charge to post.url with a hashstring, retrying twice on failures', async () => {
    const hook = await receiver([500, 503]);
    try {
      const s = tapSandbox();
      const id = await s.createOk({ amount: 1.5, post: { url: hook.url } });
      await s.act(id, 'pay');
      await until(
        () => hook.received.length,
        (n) => n === 3,
      );
      const { headers, body } = hook.received[2];
      const charge = JSON.parse(body) as {
        amount: number;
        reference: { gateway: string; payment: string };
        transaction: { created: string };
      };
      expect(body).toContain('"amount":1.5,');
      const message = `x_id${id}x_amount1.500x_currencyKWDx_gateway_reference${charge.reference.gateway}x_payment_reference${charge.reference.payment}x_statusCAPTUREDx_created${charge.transaction.created}`;
      expect(headers.hashstring).toBe(sign('sk_test_merchant_a1', message));
      expect(hook.received.every((r) => r.body === body)).toBe(true);
      const deliveries = (await s.http().get('/__sandbox/tap/webhooks')).body as {
        attempt: number;
        http_status: number;
      }[];
      expect(deliveries.map((d) => [d.attempt, d.http_status])).toEqual([
        [1, 500],
        [2, 503],
        [3, 200],
      ]);
      expect(s.state.stats().tap).toMatchObject({ webhooksSent: 1, webhooksFailed: 2 });
    } finally {
      await hook.close();
    }
  });

  it('posts nothing for ABANDONED or UNKNOWN, and gives up after 2 retries', async () => {
    const hook = await receiver([500, 500, 500, 500]);
    try {
      const s = tapSandbox();
      for (const amount of [1.056, 1.059]) await s.act(await s.createOk({ amount, post: { url: hook.url } }), 'pay');
      await s.act(await s.createOk({ post: { url: hook.url } }), 'fail');
      await until(
        () => hook.received.length,
        (n) => n === 3,
      );
      await sleep(100);
      expect(hook.received).toHaveLength(3);
      expect(JSON.parse(hook.received[0].body)).toMatchObject({ status: 'FAILED' });
    } finally {
      await hook.close();
    }
  });

  it('posts a settled refund signed over its own created', async () => {
    const hook = await receiver();
    try {
      const s = tapSandbox();
      s.state.tap.settings.refundSettleMs = 30;
      const chargeId = await s.createOk({ amount: 1.005 });
      await s.act(chargeId, 'pay');
      await s.post('/refunds', {
        charge_id: chargeId,
        amount: 1.005,
        currency: 'KWD',
        reason: 'x',
        post: { url: hook.url },
      });
      await until(
        () => hook.received.length,
        (n) => n === 1,
      );
      const refund = JSON.parse(hook.received[0].body) as {
        id: string;
        created: number;
        reference: { gateway: string; payment: string };
      };
      expect(hook.received[0].body).toContain('"amount":1.005');
      const message = `x_id${refund.id}x_amount1.005x_currencyKWDx_gateway_reference${refund.reference.gateway}x_payment_reference${refund.reference.payment}x_statusREFUNDEDx_created${refund.created}`;
      expect(hook.received[0].headers.hashstring).toBe(sign('sk_test_merchant_a1', message));
    } finally {
      await hook.close();
    }
  });
});
