import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createSandboxApp, type SandboxOptions } from '../sandbox.app';

/** Shared by the Tap sandbox specs: a fresh sandbox per test, one-line calls, and a local webhook receiver. */
export const KEY = 'sk_test_merchant_a1';
export const REDIRECT = 'https://shop.example/return';
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function tapSandbox(opts: SandboxOptions = {}) {
  const { app, state } = createSandboxApp({
    publicUrl: 'http://sandbox.test:4010',
    hangMs: 200,
    pendingPolls: 1,
    ...opts,
  });
  state.tap.settings.webhookRetryDelaysMs = [20, 20];
  state.tap.settings.refundSettleMs = 60_000;
  const http = () => request(app);
  const body = (over: Record<string, unknown> = {}) => ({
    amount: 1.005,
    currency: 'KWD',
    threeDSecure: true,
    source: { id: 'src_all' },
    reference: { transaction: 'pay_1_1', order: 'order-1' },
    redirect: { url: REDIRECT },
    ...over,
  });
  const post = (path: string, payload: unknown, key = KEY) =>
    http()
      .post(`/tap/v2${path}`)
      .set('Authorization', `Bearer ${key}`)
      .send(payload as object);
  const get = (path: string, key = KEY) => http().get(`/tap/v2${path}`).set('Authorization', `Bearer ${key}`);
  const createOk = async (over: Record<string, unknown> = {}, path = '/charges'): Promise<string> => {
    const res = await post(path, body(over));
    expect(res.status).toBe(200);
    return res.body.id as string;
  };
  const act = (id: string, action: 'pay' | 'fail' | 'cancel') =>
    http().post(`/tap/checkout/${id}/${action}`).type('form').send('');
  return { app, state, http, body, post, get, createOk, act };
}

export const tapErrors = (code: string, description: string) => ({ errors: [{ code, description }] });

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook endpoint on a random port; answers the statuses in `script` in turn (then 200). */
export async function receiver(script: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = script.shift() ?? 200;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, received, close };
}

export async function until<T>(probe: () => T, done: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = probe();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met; last ${JSON.stringify(value)}`);
    await sleep(10);
    value = probe();
  }
  return value;
}
