import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mergeChaosConfig, type ChaosConfig } from './chaos';
import { startSandbox, type RunningSandbox } from './sandbox.app';

const GENERIC = '/generic/pay/sandbox/api/v1';
const PAYMENT = { amount: '12.00', currency: 'USD', return_url: 'https://shop.example/r' };

describe('sandbox chaos (fault injection)', () => {
  let sandbox: RunningSandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0, log: false });
  });
  afterEach(() => sandbox.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const chaos = async (config: unknown) => {
    const res = await post('/__sandbox/chaos', config);
    expect(res.status).toBe(200);
  };
  const token = async () => {
    const res = await post(`${GENERIC}/authentication/token`, { client_id: 'c1', secret_id: 'secret_123' });
    return ((await res.json()) as { data: { access_token: string } }).data.access_token;
  };
  const create = async (custom: string) =>
    post(`${GENERIC}/payment/create`, { ...PAYMENT, custom }, { authorization: `Bearer ${await token()}` });
  const created = (custom: string) => sandbox.state.generic.listPayments(custom).length;

  it('is off by default and validates its configuration', async () => {
    const res = await fetch(`${sandbox.url}/__sandbox/chaos`);
    const body = (await res.json()) as { config: ChaosConfig };
    expect(body.config.processors.generic).toEqual({ reset: 0, malformed: 0, error5xx: 0, slow: 0, tokenExpiry: 0 });
    expect((await post('/__sandbox/chaos', { processors: { generic: { reset: 0.7, slow: 0.7 } } })).status).toBe(400);
    expect((await post('/__sandbox/chaos', { processors: { nowhere: { reset: 0.1 } } })).status).toBe(400);
    expect((await post('/__sandbox/chaos', { surprise: 1 })).status).toBe(400);
    expect(() => mergeChaosConfig(body.config, { webhooks: { duplicate: 2 } })).toThrow('webhooks.duplicate');
    expect((await create('plain')).status).toBe(200);
  });

  it('resets the connection before the request is handled: nothing is created', async () => {
    const bearer = await token();
    await chaos({ processors: { generic: { reset: 1 } }, afterShare: 0 });
    await expect(
      post(`${GENERIC}/payment/create`, { ...PAYMENT, custom: 'reset-before' }, { authorization: `Bearer ${bearer}` }),
    ).rejects.toThrow();
    expect(created('reset-before')).toBe(0);
    // Hosted pages and control routes are never disturbed.
    expect((await fetch(`${sandbox.url}/__sandbox/stats`)).status).toBe(200);
  });

  it('loses or spoils the answer of a request it handled', async () => {
    const bearer = { authorization: `Bearer ${await token()}` };
    await chaos({ processors: { generic: { error5xx: 1 } }, afterShare: 1 });
    const failed = await post(`${GENERIC}/payment/create`, { ...PAYMENT, custom: '5xx-after' }, bearer);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ type: 'error', message: { code: 500 } });
    expect(created('5xx-after')).toBe(1);

    await chaos({ processors: { generic: { error5xx: 0, malformed: 1 } } });
    const spoiled = await post(`${GENERIC}/payment/create`, { ...PAYMENT, custom: 'malformed-after' }, bearer);
    expect(spoiled.status).toBe(200);
    const text = await spoiled.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(created('malformed-after')).toBe(1);

    await chaos({ processors: { generic: { malformed: 0, reset: 1 } } });
    await expect(post(`${GENERIC}/payment/create`, { ...PAYMENT, custom: 'reset-after' }, bearer)).rejects.toThrow();
    expect(created('reset-after')).toBe(1);

    const stats = (await (await fetch(`${sandbox.url}/__sandbox/chaos`)).json()) as {
      stats: { injected: Record<string, Record<string, number>> };
    };
    expect(stats.stats.injected.generic).toEqual({ error5xx_after: 1, malformed_after: 1, reset_after: 1 });
    const log = (await (await fetch(`${sandbox.url}/__sandbox/chaos/log`)).json()) as unknown[];
    expect(log).toHaveLength(3);
  });

  it('holds a slow answer, then answers 504 without handling the request', async () => {
    await chaos({ processors: { generic: { slow: 1 } }, afterShare: 0, slowMs: 300 });
    const started = Date.now();
    const res = await post(`${GENERIC}/authentication/token`, { client_id: 'c1', secret_id: 'secret_123' });
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sandbox.state.generic.listTokens()).toHaveLength(0);
  });

  it('expires the presented access token mid-flight', async () => {
    const bearer = await token();
    await chaos({ processors: { generic: { tokenExpiry: 1 } } });
    const res = await post(
      `${GENERIC}/payment/create`,
      { ...PAYMENT, custom: 'expired' },
      {
        authorization: `Bearer ${bearer}`,
      },
    );
    expect(res.status).toBe(401);
    // The token endpoint itself still works: a fresh token is issued (and expires on its first use).
    expect((await post(`${GENERIC}/authentication/token`, { client_id: 'c1', secret_id: 'secret_123' })).status).toBe(
      200,
    );
  });

  describe('webhooks', () => {
    let server: Server;
    const received: { headers: IncomingHttpHeaders; body: string; at: number }[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          received.push({ headers: req.headers, body, at: Date.now() });
          res.writeHead(200).end('ok');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('duplicates and delays deliveries, and restores fetch on reset', async () => {
      const original = globalThis.fetch;
      await chaos({ webhooks: { duplicate: 1, reorder: 1, maxDelayMs: 200 } });
      expect(globalThis.fetch).not.toBe(original);
      const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
      const charge = await post(
        '/tap/v2/charges',
        {
          amount: 1.5,
          currency: 'KWD',
          source: { id: 'src_all' },
          redirect: { url: 'https://shop.example/r' },
          post: { url: hookUrl },
          reference: { transaction: 'txn_chaos', idempotent: 'txn_chaos' },
        },
        { authorization: 'Bearer sk_test_chaos_key_1' },
      );
      expect(charge.status).toBe(200);
      const { id } = (await charge.json()) as { id: string };
      expect((await post(`/__sandbox/tap/charges/${id}/status`, { status: 'CAPTURED' })).status).toBe(200);
      const deadline = Date.now() + 3000;
      while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(received).toHaveLength(2);
      expect(received[1].body).toBe(received[0].body);
      expect(received[1].headers.hashstring).toBe(received[0].headers.hashstring);
      await post('/__sandbox/chaos/reset', {});
      expect(globalThis.fetch).toBe(original);
    });
  });
});
