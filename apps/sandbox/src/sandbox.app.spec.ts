import request from 'supertest';
import { createSandboxApp, startSandbox } from './sandbox.app';
import { sandboxOptionsFromEnv } from './sandbox.env';

const BASE = '/generic/pay/sandbox/api/v1';
const PAYMENT = { amount: '12.00', currency: 'USD', return_url: 'https://shop.example/r' };

describe('sandbox app', () => {
  it('serves an index page naming each processor, its base paths and magic values', async () => {
    const { app } = createSandboxApp();
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    for (const text of [
      '/generic/pay/sandbox/api/v1',
      '/generic/pay/api/v1',
      '/generic/checkout/{token}',
      'amount x.52',
    ]) {
      expect(res.text).toContain(text);
    }
  });

  it('exposes counters, stored payments and tokens, and forces statuses under /__sandbox', async () => {
    const { app, state } = createSandboxApp();
    const http = () => request(app);
    const tokenRes = await http()
      .post(`${BASE}/authentication/token`)
      .send({ client_id: 'c', secret_id: 'sandbox-secret' });
    const token = tokenRes.body.data.access_token as string;
    const auth = { Authorization: `Bearer ${token}` };
    const a = await http()
      .post(`${BASE}/payment/create`)
      .set(auth)
      .send({ ...PAYMENT, custom: 'order-a' });
    await http()
      .post(`${BASE}/payment/create`)
      .set(auth)
      .send({ ...PAYMENT, custom: 'order-b' });
    const paymentToken = a.body.data.token as string;

    const stats = await http().get('/__sandbox/stats');
    expect(Object.keys(stats.body).sort()).toEqual(['generic', 'plural', 'tap']);
    expect(stats.body).toMatchObject({
      generic: {
        tokenRequests: 1,
        tokensIssued: 1,
        createRequests: 2,
        paymentsCreated: 2,
        statusRequests: 0,
        refundRequests: 0,
        refundStatusRequests: 0,
        unauthorizedRequests: 0,
      },
    });
    expect(state.stats()).toEqual(stats.body);

    const listed = await http().get('/__sandbox/generic/payments').query({ custom: 'order-a' });
    expect(listed.body).toEqual([
      expect.objectContaining({
        token: paymentToken,
        status: 'PENDING',
        amount: '12.00',
        currency: 'USD',
        custom: 'order-a',
      }),
    ]);
    expect((await http().get('/__sandbox/generic/payments')).body).toHaveLength(2);
    const tokens = await http().get('/__sandbox/generic/tokens');
    expect(tokens.body).toEqual([expect.objectContaining({ access_token: token, client_id: 'c', active: true })]);

    const forced = await http().post(`/__sandbox/generic/payments/${paymentToken}/status`).send({ status: 'SUCCESS' });
    expect(forced.body).toMatchObject({ status: 'SUCCESS', trx_id: expect.stringMatching(/^TRX/) });
    const checked = await http().get(`${BASE}/payment/status/${paymentToken}`).set(auth);
    expect(checked.body.data.status).toBe('SUCCESS');
    expect(
      (await http().post(`/__sandbox/generic/payments/${paymentToken}/status`).send({ status: 'PAID' })).status,
    ).toBe(400);
    expect((await http().post('/__sandbox/generic/payments/gpt_nope/status').send({ status: 'FAILED' })).status).toBe(
      404,
    );
    expect((await http().post('/__sandbox/generic/expire-tokens')).body).toEqual({ expired: 1 });
    expect((await http().get(`${BASE}/payment/status/${paymentToken}`).set(auth)).status).toBe(401);
  });

  it('listens on a random port, links hosted pages to it, and close() ends hanging requests', async () => {
    const sandbox = await startSandbox({ port: 0, hangMs: 60_000 });
    try {
      expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
      expect(sandbox.port).toBeGreaterThan(0);
      const tokenRes = await fetch(`${sandbox.url}${BASE}/authentication/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'c', secret_id: 'sandbox-secret' }),
      });
      const { data } = (await tokenRes.json()) as { data: { access_token: string } };
      const post = (amount: string) =>
        fetch(`${sandbox.url}${BASE}/payment/create`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${data.access_token}` },
          body: JSON.stringify({ ...PAYMENT, amount }),
        });
      const created = (await (await post('12.00')).json()) as { data: { token: string; payment_url: string } };
      expect(created.data.payment_url).toBe(`${sandbox.url}/generic/checkout/${created.data.token}`);

      const hanging = post('12.53').then(
        (res) => `answered ${res.status}`,
        () => 'connection closed',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await sandbox.close();
      expect(await hanging).toBe('connection closed');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await sandbox.close();
    }
  });

  it('reads its start options from the environment and names a bad variable', () => {
    expect(sandboxOptionsFromEnv({})).toMatchObject({
      port: 4010,
      host: '127.0.0.1',
      publicUrl: undefined,
      log: false,
    });
    expect(sandboxOptionsFromEnv({ SANDBOX_PORT: '0', SANDBOX_HANG_MS: '250', SANDBOX_LOG: '1' })).toMatchObject({
      port: 0,
      hangMs: 250,
      log: true,
    });
    expect(() => sandboxOptionsFromEnv({ SANDBOX_PORT: 'http' })).toThrow(/SANDBOX_PORT/);
    expect(() => sandboxOptionsFromEnv({ SANDBOX_PUBLIC_URL: 'sandbox:4010' })).toThrow(/SANDBOX_PUBLIC_URL/);
  });

  it('answers unknown top-level routes with a JSON 404', async () => {
    const res = await request(createSandboxApp().app).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Not found' });
  });
});
