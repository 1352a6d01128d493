import type { AccessTokenCache } from '../core/access-token.cache';
import type { ConnectorHttpClient } from '../core/connector-http.client';
import {
  type ConnectorAccountContext,
  ConnectorOutcomeUnknownError,
  ConnectorRequestError,
  type SyncRequest,
} from '../core/connector.types';
import { PluralConnector } from './plural.connector';
import { FakeHttp, FakeTokens, type Reply } from './plural.spec-harness';

const ctx = (over: Partial<ConnectorAccountContext> = {}): ConnectorAccountContext => ({
  merchantConnectorId: 'mca_1',
  merchantId: 'm_1',
  connectorName: 'plural',
  mode: 'test',
  credentials: { api_key: 'client_1', key1: 'test_client_secret', api_secret: 'A1B2C3D4E5F60718' },
  webhookSecret: null,
  metadata: { base_url: 'http://127.0.0.1:4010/plural/' },
  ...over,
});

const token = (n: number): Reply => ({ status: 200, body: { access_token: `jwt-${n}`, expires_in: 3600 } });
const order = (status: string, extra: Record<string, unknown> = {}): Reply => ({
  status: 200,
  body: {
    data: {
      order_id: 'v1-1',
      merchant_order_reference: 'pay_abc_1',
      status,
      order_amount: { value: 1999, currency: 'INR' },
      payments: [],
      ...extra,
    },
  },
});
const syncReq: SyncRequest = {
  attemptId: 'pay_abc_1',
  connectorTransactionId: 'v1-1',
  amount: 1999,
  currency: 'INR',
  captureMethod: 'manual',
};
const authorizeReq = {
  paymentId: 'pay_abc',
  attemptId: 'pay_abc_1',
  amount: 1999,
  currency: 'INR',
  captureMethod: 'automatic' as const,
  returnUrl: 'http://127.0.0.1:3000/payments/pay_abc/m_1/redirect/response/plural',
  description: null,
  merchantOrderReference: null,
  customerId: null,
  metadata: null,
};

function setup() {
  const http = new FakeHttp().on('POST /plural/api/auth/v1/token', token(1), token(2), token(3));
  const tokens = new FakeTokens();
  const connector = new PluralConnector(http as unknown as ConnectorHttpClient, tokens as unknown as AccessTokenCache);
  return { http, tokens, connector };
}

describe('PluralConnector calls', () => {
  it('creates a hosted-checkout order keyed by the attempt id and sends the shopper to its redirect_url', async () => {
    const { http, connector } = setup();
    http.on('POST /plural/api/checkout/v1/orders', {
      status: 200,
      body: { token: 't', order_id: 'v1-1', redirect_url: 'https://pay/checkout?token=t', response_code: 200 },
    });
    const result = await connector.authorize(ctx(), { ...authorizeReq, captureMethod: 'manual' });
    expect(result).toMatchObject({
      status: 'authentication_pending',
      connectorTransactionId: 'v1-1',
      redirectUrl: 'https://pay/checkout?token=t',
    });
    const [auth, create] = http.calls;
    expect(auth.url).toBe('http://127.0.0.1:4010/plural/api/auth/v1/token');
    expect(auth.json).toEqual({
      client_id: 'client_1',
      client_secret: 'test_client_secret',
      grant_type: 'client_credentials',
    });
    expect(create.json).toMatchObject({
      merchant_order_reference: 'pay_abc_1',
      order_amount: { value: 1999, currency: 'INR' },
      pre_auth: true,
      callback_url: authorizeReq.returnUrl,
    });
    expect(create.headers).toMatchObject({ authorization: 'Bearer jwt-1' });
    expect(create.headers?.['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(create.headers?.['request-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('maps a 4xx to a failure with a unified code, and 5xx, malformed or incomplete answers to unknown', async () => {
    const { http, connector } = setup();
    http.on('POST /plural/api/checkout/v1/orders', {
      status: 400,
      body: { code: 'INVALID_REQUEST', message: 'order_amount invalid' },
    });
    await expect(connector.authorize(ctx(), authorizeReq)).resolves.toMatchObject({
      status: 'failure',
      error: { code: 'INVALID_REQUEST', unifiedCode: 'UE_2000' },
    });
    for (const reply of [
      { status: 502, body: { code: 'BAD_GATEWAY' } },
      { status: 200, malformed: true },
      { status: 200, body: { response_code: 200, order_id: 'v1-1' } },
    ]) {
      const s = setup();
      s.http.on('POST /plural/api/checkout/v1/orders', reply);
      await expect(s.connector.authorize(ctx(), authorizeReq)).rejects.toBeInstanceOf(ConnectorOutcomeUnknownError);
    }
  });

  it('refuses an attempt id Plural cannot take as merchant_order_reference', async () => {
    const { http, connector } = setup();
    await expect(connector.authorize(ctx(), { ...authorizeReq, attemptId: 'bad id!' })).rejects.toBeInstanceOf(
      ConnectorRequestError,
    );
    expect(http.calls).toHaveLength(0);
  });

  it('re-authenticates once on a 401 and retries once, then gives up', async () => {
    const { http, tokens, connector } = setup();
    http.on('GET /plural/api/pay/v1/orders/v1-1', { status: 401, body: { code: 'UNAUTHORIZED' } }, order('PROCESSED'));
    await expect(connector.sync(ctx(), syncReq)).resolves.toMatchObject({ status: 'charged', amount: 1999 });
    expect(tokens.issued.map((t) => t.accessToken)).toEqual(['jwt-1', 'jwt-2']);
    expect(http.calls.filter((c) => c.url.endsWith('/v1-1')).map((c) => c.headers?.authorization)).toEqual([
      'Bearer jwt-1',
      'Bearer jwt-2',
    ]);

    const again = setup();
    again.http.on('GET /plural/api/pay/v1/orders/v1-1', { status: 401, body: {} });
    await expect(again.connector.sync(ctx(), syncReq)).rejects.toMatchObject({ httpStatus: 401 });
    expect(again.http.paths().filter((p) => p.endsWith('/v1-1'))).toHaveLength(2);
  });

  it('caches the token for its announced lifetime and refuses bad credentials as an authentication error', async () => {
    const { http, tokens, connector } = setup();
    http.on('GET /plural/api/pay/v1/orders/v1-1', order('PROCESSED'));
    await connector.sync(ctx(), syncReq);
    await connector.sync(ctx(), syncReq);
    expect(tokens.issued).toEqual([{ accessToken: 'jwt-1', expiresInSeconds: 3600 }]);
    expect(http.paths().filter((p) => p.endsWith('/token'))).toHaveLength(1);

    const bad = new FakeHttp().on('POST /plural/api/auth/v1/token', {
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    });
    const refusing = new PluralConnector(
      bad as unknown as ConnectorHttpClient,
      new FakeTokens() as unknown as AccessTokenCache,
    );
    await expect(refusing.sync(ctx(), syncReq)).rejects.toMatchObject({
      error: { code: 'invalid_client', unifiedCode: 'UE_3000' },
    });
    expect(bad.paths()).toEqual(['POST /plural/api/auth/v1/token']);
  });

  it('inquires by merchant_order_reference when the create answer was lost', async () => {
    const { http, connector } = setup();
    http.on('GET /plural/api/pay/v1/orders/reference/pay_abc_1', { status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    await expect(connector.sync(ctx(), { ...syncReq, connectorTransactionId: null })).resolves.toMatchObject({
      status: 'pending',
    });
    const found = setup();
    found.http.on('GET /plural/api/pay/v1/orders/reference/pay_abc_1', order('CREATED'));
    await expect(found.connector.sync(ctx(), { ...syncReq, connectorTransactionId: null })).resolves.toMatchObject({
      status: 'pending',
      connectorTransactionId: 'v1-1',
    });
  });

  it('never trusts an inquiry about another order or with an unknown status', async () => {
    const { http, connector } = setup();
    http.on('GET /plural/api/pay/v1/orders/v1-1', order('PROCESSED', { merchant_order_reference: 'pay_other_1' }));
    await expect(connector.sync(ctx(), syncReq)).rejects.toBeInstanceOf(ConnectorOutcomeUnknownError);
    const odd = setup();
    odd.http.on('GET /plural/api/pay/v1/orders/v1-1', order('SETTLED'));
    await expect(odd.connector.sync(ctx(), syncReq)).rejects.toBeInstanceOf(ConnectorOutcomeUnknownError);
  });

  it('captures in full or in part, and voids', async () => {
    const { http, connector } = setup();
    const captured = (value: number) => [
      { status: 'PROCESSED', capture_data: [{ capture_amount: { value, currency: 'INR' } }] },
    ];
    http.on(
      'PUT /plural/api/pay/v1/orders/v1-1/capture',
      order('PROCESSED', { pre_auth: true, payments: captured(1999) }),
    );
    await expect(connector.capture(ctx(), { ...syncReq, amountToCapture: 1999 })).resolves.toMatchObject({
      status: 'charged',
      amountCaptured: 1999,
    });
    expect(http.calls.at(-1)?.json).toEqual({
      merchant_capture_reference: 'pay_abc_1_cap',
      capture_amount: { value: 1999, currency: 'INR' },
    });

    const partial = setup();
    partial.http.on('PUT /plural/api/pay/v1/orders/v1-1/capture', order('PROCESSED', { pre_auth: true }));
    await expect(partial.connector.capture(ctx(), { ...syncReq, amountToCapture: 1000 })).resolves.toMatchObject({
      status: 'partial_charged',
      amount: 1999,
      amountCaptured: 1000,
    });

    const slow = setup();
    slow.http.on('PUT /plural/api/pay/v1/orders/v1-1/capture', order('AUTHORIZED', { pre_auth: true }));
    await expect(slow.connector.capture(ctx(), { ...syncReq, amountToCapture: 1999 })).resolves.toMatchObject({
      status: 'capture_initiated',
    });

    const voiding = setup();
    voiding.http.on('PUT /plural/api/pay/v1/orders/v1-1/cancel', order('CANCELLED', { pre_auth: true }));
    await expect(voiding.connector.void(ctx(), syncReq)).resolves.toMatchObject({ status: 'voided', error: null });
    const refused = setup();
    refused.http.on('PUT /plural/api/pay/v1/orders/v1-1/cancel', { status: 400, body: { code: 'INVALID_REQUEST' } });
    await expect(refused.connector.void(ctx(), syncReq)).rejects.toBeInstanceOf(ConnectorRequestError);
  });

  it('refunds with our refund id as reference and follows it by that reference', async () => {
    const refundReq = {
      refundId: 'ref_abc',
      attemptId: 'pay_abc_1',
      connectorTransactionId: 'v1-1',
      amount: 1000,
      currency: 'INR',
      reason: null,
    };
    const refundOrder = (status: string): Reply => ({
      status: 200,
      body: {
        data: {
          order_id: 'v1-r1',
          parent_order_id: 'v1-1',
          merchant_order_reference: 'ref_abc',
          type: 'REFUND',
          status,
        },
      },
    });
    const { http, connector } = setup();
    http.on('POST /plural/api/pay/v1/refunds/v1-1', refundOrder('PENDING'));
    http.on('GET /plural/api/pay/v1/orders/reference/ref_abc', refundOrder('PROCESSED'));
    await expect(connector.refund(ctx(), refundReq)).resolves.toEqual({
      status: 'pending',
      connectorRefundId: 'v1-r1',
      rawStatus: 'PENDING',
      error: null,
    });
    expect(http.calls.at(-1)?.json).toEqual({
      merchant_order_reference: 'ref_abc',
      order_amount: { value: 1000, currency: 'INR' },
      merchant_metadata: {},
    });
    const sync = { refundId: 'ref_abc', connectorRefundId: 'v1-r1', amount: 1000, currency: 'INR' };
    await expect(connector.refundSync(ctx(), sync)).resolves.toMatchObject({ status: 'succeeded' });

    const dup = setup();
    dup.http.on('POST /plural/api/pay/v1/refunds/v1-1', {
      status: 400,
      body: { code: 'DUPLICATE_REQUEST', message: 'dup' },
    });
    dup.http.on('GET /plural/api/pay/v1/orders/reference/ref_abc', refundOrder('FAILED'));
    await expect(dup.connector.refund(ctx(), refundReq)).resolves.toMatchObject({
      status: 'failed',
      error: { code: 'REFUND_FAILED' },
    });
    await expect(dup.connector.refund(ctx(), { ...refundReq, amount: 99 })).rejects.toBeInstanceOf(
      ConnectorRequestError,
    );
  });
});

describe('PluralConnector raw cards (seamless)', () => {
  const rawCard = { number: '5555555555554444', cvc: '123', expMonth: '12', expYear: '2030', holderName: 'Ada' };
  const cardReq = { ...authorizeReq, card: rawCard, authenticationType: 'three_ds' as const };

  it('creates a seamless order keyed by the attempt, pays it with card_details and follows challenge_url', async () => {
    const { http, connector } = setup();
    http
      .on('POST /plural/api/pay/v1/orders', order('CREATED'))
      .on(
        'POST /plural/api/pay/v1/orders/v1-1/payments',
        order('PENDING', { challenge_url: 'https://acs/challenge/1' }),
      );
    const result = await connector.authorize(ctx(), cardReq);
    expect(http.paths()).toEqual([
      'POST /plural/api/auth/v1/token',
      'POST /plural/api/pay/v1/orders',
      'POST /plural/api/pay/v1/orders/v1-1/payments',
    ]);
    expect(http.calls[1].json).toMatchObject({ merchant_order_reference: 'pay_abc_1', pre_auth: false });
    expect(JSON.stringify(http.calls[1].json)).not.toContain(rawCard.number);
    expect(http.calls[2].json).toEqual({
      payments: [
        {
          merchant_payment_reference: 'pay_abc_1',
          payment_method: 'CARD',
          payment_amount: { value: 1999, currency: 'INR' },
          payment_option: {
            card_details: {
              name: 'Ada',
              card_number: rawCard.number,
              cvv: '123',
              expiry_month: '12',
              expiry_year: '2030',
            },
          },
        },
      ],
    });
    expect(result).toMatchObject({
      status: 'authentication_pending',
      connectorTransactionId: 'v1-1',
      redirectUrl: 'https://acs/challenge/1',
    });
  });

  it('reads a frictionless answer as the order says: PROCESSED is charged, FAILED a failure', async () => {
    const processed = setup();
    processed.http
      .on('POST /plural/api/pay/v1/orders', order('CREATED'))
      .on('POST /plural/api/pay/v1/orders/v1-1/payments', order('PROCESSED'));
    expect(await processed.connector.authorize(ctx(), cardReq)).toMatchObject({ status: 'charged', amount: 1999 });

    const failed = setup();
    failed.http
      .on('POST /plural/api/pay/v1/orders', order('CREATED'))
      .on('POST /plural/api/pay/v1/orders/v1-1/payments', order('FAILED'));
    expect((await failed.connector.authorize(ctx(), cardReq)).status).toBe('failure');
  });

  it('fails on a refused card payment and keeps a lost one unknown (inquiry by the attempt reference)', async () => {
    const refused = setup();
    refused.http
      .on('POST /plural/api/pay/v1/orders', order('CREATED'))
      .on('POST /plural/api/pay/v1/orders/v1-1/payments', {
        status: 400,
        body: { code: 'INVALID_REQUEST', message: 'card declined' },
      });
    expect(await refused.connector.authorize(ctx(), cardReq)).toMatchObject({
      status: 'failure',
      connectorTransactionId: 'v1-1',
    });

    const lost = setup();
    lost.http
      .on('POST /plural/api/pay/v1/orders', order('CREATED'))
      .on('POST /plural/api/pay/v1/orders/v1-1/payments', { status: 502 });
    await expect(lost.connector.authorize(ctx(), cardReq)).rejects.toBeInstanceOf(ConnectorOutcomeUnknownError);
  });
});
