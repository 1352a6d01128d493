import request from 'supertest';
import { createSandboxApp, type SandboxOptions } from '../sandbox.app';

/** Shared by the generic sandbox specs: a fresh sandbox per test, and one-line calls of its routes. */
export const BASE = '/generic/pay/sandbox/api/v1';
export const RETURN_URL = 'https://shop.example/return';
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function sandbox(opts: SandboxOptions = {}) {
  const { app, state } = createSandboxApp({ publicUrl: 'http://sandbox.test:4010', ...opts });
  const http = () => request(app);
  const tokenFor = async (clientId = 'merchant_a'): Promise<string> => {
    const res = await http()
      .post(`${BASE}/authentication/token`)
      .send({ client_id: clientId, secret_id: 'sandbox-secret' });
    expect(res.status).toBe(200);
    return res.body.data.access_token as string;
  };
  const create = (token: string, body: Record<string, unknown>) =>
    http().post(`${BASE}/payment/create`).set('Authorization', `Bearer ${token}`).send(body);
  const createOk = async (token: string, body: Record<string, unknown> = {}): Promise<string> => {
    const res = await create(token, { amount: '5000.00', currency: 'XAF', return_url: RETURN_URL, ...body });
    expect(res.status).toBe(200);
    return res.body.data.token as string;
  };
  const status = (token: string, paymentToken: string) =>
    http().get(`${BASE}/payment/status/${paymentToken}`).set('Authorization', `Bearer ${token}`);
  const act = (paymentToken: string, action: 'pay' | 'cancel' | 'fail') =>
    http().post(`/generic/checkout/${paymentToken}/${action}`).type('form').send('');
  const refund = (token: string, body: Record<string, unknown>) =>
    http().post(`${BASE}/payment/refund`).set('Authorization', `Bearer ${token}`).send(body);
  const refundStatus = (token: string, refundId: string) =>
    http().get(`${BASE}/payment/refund/${refundId}`).set('Authorization', `Bearer ${token}`);
  return { app, state, http, tokenFor, create, createOk, status, act, refund, refundStatus };
}

export const errorEnvelope = (code: number, ...errors: string[]) => ({
  message: { code, error: errors },
  data: [],
  type: 'error',
});

export type GenericSandbox = ReturnType<typeof sandbox>;
