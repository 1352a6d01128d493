import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createSandboxApp, type SandboxOptions } from '../sandbox.app';

/** Shared by the Plural sandbox specs: a fresh sandbox per test, and one-line calls of its routes. */
export const API = '/plural/api';
export const CALLBACK_URL = 'https://shop.example/callback';
export const CLIENT = { client_id: 'client_a', client_secret: 'client_secret_a' };
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Body = Record<string, unknown>;

export function sandbox(opts: SandboxOptions = {}) {
  const { app, state } = createSandboxApp({ publicUrl: 'http://sandbox.test:4010', ...opts });
  const http = () => request(app);
  const traced = (req: request.Test) =>
    req.set('Request-ID', randomUUID()).set('Request-Timestamp', new Date().toISOString());
  const tokenFor = async (client: { client_id: string; client_secret: string } = CLIENT): Promise<string> => {
    const res = await traced(http().post(`${API}/auth/v1/token`)).send({ ...client, grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  };
  const authed = (req: request.Test, token: string) => traced(req).set('Authorization', `Bearer ${token}`);
  const create = (token: string, body: Body) => authed(http().post(`${API}/checkout/v1/orders`), token).send(body);
  const orderBody = (over: Body = {}): Body => ({
    merchant_order_reference: `ref_${randomUUID().slice(0, 8)}`,
    order_amount: { value: 1999, currency: 'INR' },
    callback_url: CALLBACK_URL,
    ...over,
  });
  const createOk = async (token: string, over: Body = {}) => {
    const res = await create(token, orderBody(over));
    expect(res.status).toBe(200);
    return res.body as { token: string; order_id: string; redirect_url: string };
  };
  const inquire = (token: string, orderId: string) => authed(http().get(`${API}/pay/v1/orders/${orderId}`), token);
  const byReference = (token: string, reference: string) =>
    authed(http().get(`${API}/pay/v1/orders/reference/${reference}`), token);
  const act = (checkoutToken: string, action: 'pay' | 'fail') =>
    http().post(`/plural/checkout/${action}`).type('form').send({ token: checkoutToken });
  const capture = (token: string, orderId: string, value: number, reference = 'cap_1') =>
    authed(http().put(`${API}/pay/v1/orders/${orderId}/capture`), token).send({
      merchant_capture_reference: reference,
      capture_amount: { value, currency: 'INR' },
    });
  const cancel = (token: string, orderId: string) =>
    authed(http().put(`${API}/pay/v1/orders/${orderId}/cancel`), token);
  const refund = (token: string, orderId: string, body: Body) =>
    authed(http().post(`${API}/pay/v1/refunds/${orderId}`), token).send(body);
  const register = (body: Body) =>
    http()
      .post('/__sandbox/plural/merchants')
      .send({ ...CLIENT, ...body });
  /** A paid (PROCESSED) order of `value` paise. */
  const paidOrder = async (token: string, value = 1999) => {
    const order = await createOk(token, { order_amount: { value, currency: 'INR' } });
    expect((await act(order.token, 'pay')).status).toBe(200);
    return order;
  };
  return {
    app,
    state,
    http,
    traced,
    tokenFor,
    create,
    orderBody,
    createOk,
    inquire,
    byReference,
    act,
    capture,
    cancel,
    refund,
    register,
    paidOrder,
  };
}

/** The hidden fields of the callback form the hosted page answers with. */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1]] = match[2]
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
  return fields;
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A merchant webhook endpoint on a random port; answers the scripted statuses in turn (then 200). */
export async function webhookReceiver(
  statuses: number[] = [],
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      res.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type PluralSandbox = ReturnType<typeof sandbox>;
