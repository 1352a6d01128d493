import type { AccessTokenCache } from '../core/access-token.cache';
import type { ConnectorHttpClient } from '../core/connector-http.client';
import type { ConnectorAccountContext } from '../core/connector.types';
import { PluralConnector } from './plural.connector';

/** Parts of the adapter that make no call: account checks, webhook and return signatures, webhook parsing. */
const connector = new PluralConnector({} as ConnectorHttpClient, {} as AccessTokenCache);
const ctx = (over: Partial<ConnectorAccountContext> = {}): ConnectorAccountContext => ({
  merchantConnectorId: 'mca_1',
  merchantId: 'm_1',
  connectorName: 'plural',
  mode: 'test',
  credentials: { api_key: 'client_1', key1: 'test_client_secret', api_secret: 'A1B2C3D4E5F60718' },
  webhookSecret: null,
  metadata: {},
  ...over,
});

describe('PluralConnector account', () => {
  const check = (
    credentials: Record<string, string>,
    metadata: Record<string, unknown>,
    mode: 'test' | 'live' = 'test',
  ) => connector.validateAccount({ credentials, metadata, mode });
  const creds = { api_key: 'c', key1: 's' };

  it('needs client_id and client_secret, and a hex merchant secret when one is given', () => {
    expect(check({ key1: 's' }, {})).toMatch(/api_key/);
    expect(check({ api_key: 'c' }, {})).toMatch(/key1/);
    expect(check({ ...creds, api_secret: 'xyz' }, {})).toMatch(/api_secret/);
    expect(check({ ...creds, api_secret: 'A1B2' }, {})).toBeNull();
    expect(check(creds, {})).toBeNull();
    expect(check({ ...creds, auth_type: 'SignatureKey' }, {})).toBeNull();
    expect(check({ ...creds, auth_type: 'BodyKey' }, {})).toMatch(/auth_type/);
  });

  it('accepts an http base_url in test mode only', () => {
    expect(check(creds, { base_url: 'http://127.0.0.1:4010/plural' })).toBeNull();
    expect(check(creds, { base_url: 'http://127.0.0.1:4010/plural' }, 'live')).toMatch(/https in live mode/);
    expect(check(creds, { base_url: 'https://api.pluralpay.in' }, 'live')).toBeNull();
    expect(check(creds, { base_url: 'ftp://x' })).toMatch(/http/);
    expect(check(creds, { base_url: 'not a url' })).toMatch(/URL/);
  });

  it('only takes INR within Plural limits', () => {
    expect(connector.supportsAmount(100, 'INR')).toBe(true);
    expect(connector.supportsAmount(100000000, 'INR')).toBe(true);
    expect(connector.supportsAmount(99, 'INR')).toBe(false);
    expect(connector.supportsAmount(1000, 'USD')).toBe(false);
  });
});

describe('PluralConnector signatures and webhooks', () => {
  const body = '{"event_type":"ORDER_PROCESSED","data":{"order_id":"v1-1","status":"PROCESSED"}}';
  const headers = {
    'webhook-id': 'msg_2abc',
    'webhook-timestamp': '1700000000',
    'webhook-signature': 'v1,FUgzHM6oTeLJJaKJIYZKlmwVmZ2t5+HB0F/CNTcnN5U=',
  };
  const now = new Date(1700000000 * 1000);

  it('verifies the plural.md webhook vector with the client_secret, or the configured webhook secret instead', () => {
    expect(connector.verifyWebhook(ctx(), { headers, rawBody: Buffer.from(body), now })).toBe(true);
    expect(
      connector.verifyWebhook(ctx({ webhookSecret: 'another' }), { headers, rawBody: Buffer.from(body), now }),
    ).toBe(false);
    const other = ctx({ webhookSecret: 'test_client_secret', credentials: { api_key: 'c', key1: 'different' } });
    expect(connector.verifyWebhook(other, { headers, rawBody: Buffer.from(body), now })).toBe(true);
    expect(connector.verifyWebhook(ctx(), { headers, rawBody: Buffer.from(body.replace('v1-1', 'v1-2')), now })).toBe(
      false,
    );
  });

  it('reads payment, refund and other events, keyed by webhook-id', () => {
    const parse = (event: Record<string, unknown>, id = 'msg_1') =>
      connector.parseWebhook(ctx(), {
        headers: { 'webhook-id': id },
        rawBody: Buffer.from(JSON.stringify(event)),
        now,
      });
    const data = {
      order_id: 'v1-1',
      merchant_order_reference: 'pay_abc_1',
      order_amount: { value: 1999, currency: 'INR' },
    };
    expect(parse({ event_type: 'ORDER_PROCESSED', data: { ...data, status: 'PROCESSED' } })).toEqual({
      kind: 'payment',
      eventId: 'msg_1',
      attemptReference: 'pay_abc_1',
      connectorTransactionId: 'v1-1',
      result: expect.objectContaining({ status: 'charged', amount: 1999, currency: 'INR' }),
    });
    expect(parse({ event_type: 'ORDER_AUTHORIZED', data })).toMatchObject({ result: { status: 'authorized' } });
    expect(parse({ event_type: 'ORDER_CANCELLED', data })).toMatchObject({ result: { status: 'voided' } });
    expect(parse({ event_type: 'ORDER_FAILED', data })).toMatchObject({ result: { status: 'failure' } });
    // One failed try does not fail an order the shopper can still pay.
    expect(parse({ event_type: 'PAYMENT_FAILED', data: { ...data, status: 'ATTEMPTED' } })).toMatchObject({
      result: { status: 'authentication_pending' },
    });
    expect(parse({ event_type: 'PAYMENT_FAILED', data: { ...data, status: 'FAILED' } })).toMatchObject({
      result: { status: 'failure' },
    });
    const refund = {
      order_id: 'v1-r1',
      parent_order_id: 'v1-1',
      merchant_order_reference: 'ref_abc',
      status: 'PROCESSED',
    };
    expect(parse({ event_type: 'REFUND_PROCESSED', data: refund })).toEqual({
      kind: 'refund',
      eventId: 'msg_1',
      refundReference: 'ref_abc',
      connectorRefundId: 'v1-r1',
      result: { status: 'succeeded', connectorRefundId: 'v1-r1', rawStatus: 'PROCESSED' },
    });
    expect(parse({ event_type: 'REFUND_FAILED', data: refund })).toMatchObject({ result: { status: 'failed' } });
    expect(parse({ event_type: 'CUSTOMER_CREATED', data: {} })).toMatchObject({ kind: 'ignored', eventId: 'msg_1' });
    expect(parse({ event_type: 'ORDER_PROCESSED', data: {} })).toBeNull();
    expect(
      connector.parseWebhook(ctx(), { headers: { 'webhook-id': 'x' }, rawBody: Buffer.from('{'), now }),
    ).toBeNull();
  });

  it('reports the plural.md return vector as signed, and a tampered one as not', () => {
    const signed = {
      order_id: 'v1-4405071524-aa-qlAtAf',
      status: 'PROCESSED',
      signature: '1CD07901E1BCB07C889AAE3426BC9071A4589DE0FC73F46042CCE9BD9937CC59',
    };
    expect(connector.verifyReturn(ctx(), { query: {}, body: signed })).toEqual({
      signatureValid: true,
      connectorTransactionId: 'v1-4405071524-aa-qlAtAf',
    });
    expect(connector.verifyReturn(ctx(), { query: {}, body: { ...signed, status: 'FAILED' } }).signatureValid).toBe(
      false,
    );
    const noSecret = ctx({ credentials: { api_key: 'c', key1: 's' } });
    expect(connector.verifyReturn(noSecret, { query: {}, body: signed }).signatureValid).toBe(false);
  });
});
