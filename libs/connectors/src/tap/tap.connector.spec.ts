import type { ConnectorHttpClient, ConnectorHttpRequest, ConnectorHttpResponse } from '../core/connector-http.client';
import {
  type ConnectorAccountContext,
  ConnectorOutcomeUnknownError,
  ConnectorRequestError,
  type SyncRequest,
} from '../core/connector.types';
import { TapConnector } from './tap.connector';

const ctx: ConnectorAccountContext = {
  merchantConnectorId: 'mca_1',
  merchantId: 'm_1',
  connectorName: 'tap',
  mode: 'test',
  credentials: { auth_type: 'HeaderKey', api_key: 'sk_test_abc123' },
  webhookSecret: null,
  metadata: { base_url: 'http://sandbox.test/tap/' },
};
const RETURN = 'https://api.example/payments/pay_1/m_1/redirect/response/tap';
const authorizeReq = {
  paymentId: 'pay_1',
  attemptId: 'pay_1_1',
  amount: 1005,
  currency: 'KWD',
  captureMethod: 'automatic' as const,
  returnUrl: RETURN,
  description: 'Order 7',
  merchantOrderReference: 'order-7',
  customerId: null,
  metadata: null,
};
const syncReq = (over: Partial<SyncRequest> = {}): SyncRequest => ({
  attemptId: 'pay_1_1',
  connectorTransactionId: 'chg_1',
  amount: 1005,
  currency: 'KWD',
  captureMethod: 'automatic',
  ...over,
});
const charge = (over: Record<string, unknown> = {}) => ({
  id: 'chg_1',
  object: 'charge',
  status: 'INITIATED',
  amount: 1.005,
  currency: 'KWD',
  transaction: { url: 'http://sandbox.test/tap/checkout/chg_1', created: '1700' },
  reference: { transaction: 'pay_1_1', order: 'order-7' },
  response: { code: '100', message: 'Initiated' },
  ...over,
});

function harness(...answers: Partial<ConnectorHttpResponse>[]) {
  const sent: ConnectorHttpRequest[] = [];
  const http = {
    send: (req: ConnectorHttpRequest) => {
      sent.push(req);
      const answer = answers.shift() ?? { status: 500 };
      return Promise.resolve({ status: 200, body: undefined, malformed: false, durationMs: 1, ...answer });
    },
  } as unknown as ConnectorHttpClient;
  const tap = new TapConnector(http, { PUBLIC_BASE_URL: 'https://api.example/' });
  return { tap, sent, json: (i: number) => sent[i].json as Record<string, unknown> };
}

describe('TapConnector account', () => {
  const { tap } = harness();
  const account = (mode: 'test' | 'live', apiKey: string, metadata: Record<string, unknown> = {}) =>
    tap.validateAccount({ mode, credentials: { auth_type: 'HeaderKey', api_key: apiKey }, metadata });

  it('wants the secret key of the account mode', () => {
    expect(account('test', 'sk_test_x')).toBeNull();
    expect(account('live', 'sk_live_x')).toBeNull();
    expect(account('test', 'sk_live_x')).toMatch(/sk_test_/);
    expect(account('live', 'sk_test_x')).toMatch(/sk_live_/);
    expect(account('test', 'pk_test_x')).toMatch(/sk_test_/);
    expect(account('test', '')).toMatch(/required/);
    expect(
      tap.validateAccount({ mode: 'test', credentials: { auth_type: 'BodyKey', api_key: 'sk_test_x' }, metadata: {} }),
    ).toMatch(/HeaderKey/);
  });

  it('allows an http base_url only in test mode', () => {
    expect(account('test', 'sk_test_x', { base_url: 'http://127.0.0.1:4010/tap' })).toBeNull();
    expect(account('live', 'sk_live_x', { base_url: 'http://127.0.0.1:4010/tap' })).toMatch(/https/);
    expect(account('live', 'sk_live_x', { base_url: 'https://api.tap.company' })).toBeNull();
    expect(account('test', 'sk_test_x', { base_url: 'nope' })).toMatch(/URL/);
  });
});

describe('TapConnector payments', () => {
  it('creates a hosted-page charge with exact amount, references and URLs', async () => {
    const { tap, sent, json } = harness({ body: charge() });
    const result = await tap.authorize(ctx, authorizeReq);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: 'http://sandbox.test/tap/v2/charges',
      headers: { authorization: 'Bearer sk_test_abc123' },
    });
    expect(JSON.stringify(json(0))).toContain('"amount":1.005');
    expect(json(0)).toMatchObject({
      currency: 'KWD',
      source: { id: 'src_all' },
      reference: { transaction: 'pay_1_1', order: 'order-7', idempotent: 'pay_1_1' },
      redirect: { url: RETURN },
      post: { url: 'https://api.example/webhooks/m_1/mca_1' },
    });
    expect(json(0).auto).toBeUndefined();
    expect(result).toMatchObject({
      status: 'authentication_pending',
      connectorTransactionId: 'chg_1',
      redirectUrl: 'http://sandbox.test/tap/checkout/chg_1',
    });
  });

  it('authorizes for manual capture with an automatic void', async () => {
    const { tap, sent, json } = harness({ body: charge({ id: 'auth_1', object: 'authorize' }) });
    await tap.authorize(ctx, { ...authorizeReq, captureMethod: 'manual' });
    expect(sent[0].url).toBe('http://sandbox.test/tap/v2/authorize');
    expect(json(0).auto).toEqual({ type: 'VOID', time: 168 });
  });

  it('treats 4xx as definite refusals and 5xx, timeouts or malformed bodies as unknown outcomes', async () => {
    const refused = harness({ status: 400, body: { errors: [{ code: '1117', description: 'Invalid amount' }] } });
    await expect(refused.tap.authorize(ctx, authorizeReq)).rejects.toBeInstanceOf(ConnectorRequestError);
    for (const answer of [{ status: 502 }, { status: 200, malformed: true }, { status: 200, body: { ok: true } }]) {
      await expect(harness(answer).tap.authorize(ctx, authorizeReq)).rejects.toBeInstanceOf(
        ConnectorOutcomeUnknownError,
      );
    }
    const odd = harness({ body: charge({ status: 'PAID' }) });
    await expect(odd.tap.authorize(ctx, authorizeReq)).rejects.toBeInstanceOf(ConnectorOutcomeUnknownError);
    const inexact = harness({ body: charge({ status: 'CAPTURED', amount: 1.0055 }) });
    await expect(inexact.tap.sync(ctx, syncReq())).rejects.toBeInstanceOf(ConnectorOutcomeUnknownError);
  });

  it('inquires a charge or an authorization by its id', async () => {
    const { tap, sent } = harness(
      { body: charge({ status: 'CAPTURED', response: { code: '000' } }) },
      { body: charge({ id: 'auth_1', status: 'AUTHORIZED' }) },
    );
    expect(await tap.sync(ctx, syncReq())).toMatchObject({ status: 'charged', amount: 1005, currency: 'KWD' });
    expect(await tap.sync(ctx, syncReq({ connectorTransactionId: 'auth_1' }))).toMatchObject({ status: 'authorized' });
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET http://sandbox.test/tap/v2/charges/chg_1',
      'GET http://sandbox.test/tap/v2/authorize/auth_1',
    ]);
  });

  it('re-issues the create with the same idempotent reference when the first answer was lost', async () => {
    const { tap, sent, json } = harness({ body: charge() });
    const result = await tap.sync(ctx, syncReq({ connectorTransactionId: null }));
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'http://sandbox.test/tap/v2/charges' });
    expect(json(0)).toMatchObject({
      amount: 1.005,
      reference: { transaction: 'pay_1_1', idempotent: 'pay_1_1' },
      redirect: { url: RETURN },
    });
    expect(result).toMatchObject({ status: 'authentication_pending', connectorTransactionId: 'chg_1' });
  });

  it('captures through a charge on the authorization, in part, and reads that charge back as the capture', async () => {
    const captured = charge({
      id: 'chg_9',
      status: 'CAPTURED',
      amount: 0.5,
      source: { object: 'authorize', id: 'auth_1' },
    });
    const { tap, json } = harness({ body: captured }, { body: captured });
    const req = { ...syncReq({ connectorTransactionId: 'auth_1', captureMethod: 'manual' }), amount: 1000 };
    const result = await tap.capture(ctx, { ...req, amountToCapture: 500 });
    expect(json(0)).toMatchObject({
      amount: 0.5,
      source: { id: 'auth_1' },
      reference: { idempotent: 'pay_1_1_capture' },
    });
    expect(result).toMatchObject({ status: 'partial_charged', connectorTransactionId: 'chg_9', amountCaptured: 500 });
    expect(await tap.sync(ctx, { ...req, connectorTransactionId: 'chg_9' })).toMatchObject({
      status: 'partial_charged',
    });
    await expect(tap.capture(ctx, { ...syncReq(), amountToCapture: 1 })).rejects.toBeInstanceOf(ConnectorRequestError);
  });

  it('recovers a capture whose answer was lost through the same idempotent capture', async () => {
    const auth = charge({ id: 'auth_1', status: 'CAPTURED', amount: 1 });
    const captured = charge({ id: 'chg_9', status: 'CAPTURED', amount: 1, source: { id: 'auth_1' } });
    const { tap, sent, json } = harness({ body: auth }, { body: captured });
    const result = await tap.sync(ctx, { ...syncReq({ connectorTransactionId: 'auth_1' }), amount: 1000 });
    expect(sent[1].url).toBe('http://sandbox.test/tap/v2/charges');
    expect(json(1).reference).toMatchObject({ idempotent: 'pay_1_1_capture' });
    expect(result).toMatchObject({ status: 'charged', connectorTransactionId: 'chg_9', amount: 1000 });
  });

  it('voids an authorization', async () => {
    const { tap, sent } = harness({ body: charge({ id: 'auth_1', status: 'VOID' }) });
    expect(await tap.void(ctx, syncReq({ connectorTransactionId: 'auth_1' }))).toMatchObject({ status: 'voided' });
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: 'http://sandbox.test/tap/v2/authorize/auth_1/void',
      json: {},
    });
  });
});

describe('TapConnector refunds and returns', () => {
  const refundReq = {
    refundId: 'ref_1',
    attemptId: 'pay_1_1',
    connectorTransactionId: 'chg_1',
    amount: 1005,
    currency: 'KWD',
  };

  it('refunds a charge with a reason (Tap requires one) and our refund id as merchant reference', async () => {
    const refund = { id: 're_1', object: 'refund', status: 'PENDING', amount: 1.005, currency: 'KWD' };
    const { tap, sent, json } = harness({ body: refund }, { body: { ...refund, status: 'REFUNDED' } });
    expect(await tap.refund(ctx, { ...refundReq, reason: null })).toEqual({
      status: 'pending',
      connectorRefundId: 're_1',
      rawStatus: 'PENDING',
      error: null,
    });
    expect(json(0)).toMatchObject({
      charge_id: 'chg_1',
      amount: 1.005,
      currency: 'KWD',
      reason: 'requested_by_customer',
      reference: { merchant: 'ref_1' },
      post: { url: 'https://api.example/webhooks/m_1/mca_1' },
    });
    const synced = await tap.refundSync(ctx, {
      refundId: 'ref_1',
      connectorRefundId: 're_1',
      amount: 1005,
      currency: 'KWD',
    });
    expect(synced.status).toBe('succeeded');
    expect(sent[1]).toMatchObject({ method: 'GET', url: 'http://sandbox.test/tap/v2/refunds/re_1' });
    expect(
      await tap.refundSync(ctx, { refundId: 'ref_1', connectorRefundId: null, amount: 1, currency: 'KWD' }),
    ).toEqual({
      status: 'pending',
    });
  });

  it('reads tap_id from the return without trusting it', () => {
    const { tap } = harness();
    expect(tap.verifyReturn(ctx, { query: { tap_id: 'chg_abc123' }, body: {} })).toEqual({
      signatureValid: false,
      connectorTransactionId: 'chg_abc123',
    });
    expect(tap.verifyReturn(ctx, { query: { tap_id: '<script>' }, body: {} }).connectorTransactionId).toBeNull();
  });
});

describe('TapConnector raw cards', () => {
  const rawCard = { number: '4508750015741019', cvc: '100', expMonth: '01', expYear: '2039', holderName: 'Ada' };
  const cardReq = { ...authorizeReq, card: rawCard, authenticationType: 'three_ds' as const };

  it('tokenizes the card, then charges with the single-use token and 3-D Secure as asked', async () => {
    const { tap, sent, json } = harness(
      { status: 200, body: { id: 'tok_abc', object: 'token', card: { last_four: '1019' } } },
      { status: 200, body: charge() },
    );
    const result = await tap.authorize(ctx, cardReq);
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST http://sandbox.test/tap/v2/tokens',
      'POST http://sandbox.test/tap/v2/charges',
    ]);
    expect(json(0)).toEqual({ card: { number: rawCard.number, exp_month: 1, exp_year: 39, cvc: '100', name: 'Ada' } });
    expect(json(1)).toMatchObject({ source: { id: 'tok_abc' }, threeDSecure: true });
    expect(JSON.stringify(json(1))).not.toContain(rawCard.number);
    expect(result).toMatchObject({ status: 'authentication_pending', redirectUrl: charge().transaction.url });
  });

  it('asks for no 3-D Secure with no_three_ds, and authorizes for manual capture', async () => {
    const { tap, sent, json } = harness(
      { status: 200, body: { id: 'tok_abc' } },
      { status: 200, body: charge({ id: 'auth_1', status: 'AUTHORIZED', response: { code: '001' } }) },
    );
    const result = await tap.authorize(ctx, { ...cardReq, authenticationType: 'no_three_ds', captureMethod: 'manual' });
    expect(sent[1].url).toBe('http://sandbox.test/tap/v2/authorize');
    expect(json(1)).toMatchObject({ threeDSecure: false, source: { id: 'tok_abc' } });
    expect(result.status).toBe('authorized');
  });

  it('fails the attempt when Tap refuses the card at tokenization (nothing charged)', async () => {
    const { tap, sent } = harness({ status: 400, body: { errors: [{ code: '1126', description: 'Invalid card' }] } });
    const result = await tap.authorize(ctx, cardReq);
    expect(sent).toHaveLength(1);
    expect(result).toMatchObject({ status: 'failure', error: { code: '1126' } });
  });

  it('treats a token call without an answer as a definite refusal: a token is not a charge', async () => {
    const { tap, sent } = harness({ status: 503, body: {} });
    await expect(tap.authorize(ctx, cardReq)).rejects.toBeInstanceOf(ConnectorRequestError);
    expect(sent).toHaveLength(1);
  });

  it('keeps an unknown charge outcome unknown after the token was made', async () => {
    const { tap } = harness({ status: 200, body: { id: 'tok_abc' } }, { status: 502 });
    await expect(tap.authorize(ctx, cardReq)).rejects.toBeInstanceOf(ConnectorOutcomeUnknownError);
  });
});
