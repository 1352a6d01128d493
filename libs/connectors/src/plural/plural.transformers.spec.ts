import { returnSignatureMessage, signReturn, verifyReturnSignature, verifyStandardWebhook } from './plural.signatures';
import {
  capturedAmount,
  errorFromBody,
  mapOrderStatus,
  mapRefundStatus,
  orderResult,
  readPluralAmount,
  toPluralAmount,
  tokenLifetimeSeconds,
} from './plural.transformers';
import { PLURAL_ORDER_STATUSES } from './plural.types';

/** shared/connectors/plural.md test vectors. */
const WEBHOOK_VECTOR = {
  secret: 'test_client_secret',
  id: 'msg_2abc',
  timestamp: '1700000000',
  body: '{"event_type":"ORDER_PROCESSED","data":{"order_id":"v1-1","status":"PROCESSED"}}',
  signature: 'v1,FUgzHM6oTeLJJaKJIYZKlmwVmZ2t5+HB0F/CNTcnN5U=',
};
const RETURN_VECTOR = {
  keyHex: 'A1B2C3D4E5F60718',
  fields: { order_id: 'v1-4405071524-aa-qlAtAf', status: 'PROCESSED' },
  signature: '1CD07901E1BCB07C889AAE3426BC9071A4589DE0FC73F46042CCE9BD9937CC59',
};
const AT_VECTOR = new Date(1700000000 * 1000 + 42_000);

describe('plural amounts', () => {
  it('sends integer paise of INR, exactly, within Plural limits', () => {
    expect(toPluralAmount(100, 'INR')).toEqual({ value: 100, currency: 'INR' });
    expect(toPluralAmount(100000000, 'INR')).toEqual({ value: 100000000, currency: 'INR' });
    expect(toPluralAmount(1999, 'INR')).toEqual({ value: 1999, currency: 'INR' });
  });

  it('refuses what Plural cannot take instead of adjusting money', () => {
    expect(toPluralAmount(99, 'INR')).toBeNull();
    expect(toPluralAmount(100000001, 'INR')).toBeNull();
    expect(toPluralAmount(1000, 'USD')).toBeNull();
    expect(toPluralAmount(10.5, 'INR')).toBeNull();
  });

  it('reads amounts back only as non-negative integers with a currency code', () => {
    expect(readPluralAmount({ value: 1999, currency: 'INR' })).toEqual({ value: 1999, currency: 'INR' });
    expect(readPluralAmount({ value: 19.99, currency: 'INR' })).toBeNull();
    expect(readPluralAmount({ value: '1999', currency: 'INR' })).toBeNull();
    expect(readPluralAmount({ value: 1999 })).toBeNull();
    expect(readPluralAmount(null)).toBeNull();
  });
});

describe('plural status maps', () => {
  it('maps every order status', () => {
    const sentToPage = Object.fromEntries(PLURAL_ORDER_STATUSES.map((s) => [s, mapOrderStatus(s, true)]));
    expect(sentToPage).toEqual({
      CREATED: 'authentication_pending',
      PENDING: 'authentication_pending',
      PROCESSED: 'charged',
      AUTHORIZED: 'authorized',
      CANCELLED: 'voided',
      ATTEMPTED: 'authentication_pending',
      FAILED: 'failure',
      FULLY_REFUNDED: 'charged',
      PARTIALLY_REFUNDED: 'charged',
    });
    expect(mapOrderStatus('CREATED', false)).toBe('pending');
    expect(mapOrderStatus('PENDING', false)).toBe('pending');
    expect(mapOrderStatus('ATTEMPTED', false)).toBe('authentication_pending');
  });

  it('maps every refund status', () => {
    expect(mapRefundStatus('CREATED')).toBe('pending');
    expect(mapRefundStatus('PENDING')).toBe('pending');
    expect(mapRefundStatus('PROCESSED')).toBe('succeeded');
    expect(mapRefundStatus('FAILED')).toBe('failed');
  });

  it('reports a partial capture as partial_charged with the captured amount, and the ordered amount for the check', () => {
    const order = {
      order_id: 'v1-9',
      order_amount: { value: 10000, currency: 'INR' },
      pre_auth: true,
      payments: [{ status: 'PROCESSED', capture_data: [{ capture_amount: { value: 4000, currency: 'INR' } }] }],
    };
    expect(capturedAmount(order)).toBe(4000);
    expect(orderResult(order, 'PROCESSED', true)).toMatchObject({
      status: 'partial_charged',
      amount: 10000,
      currency: 'INR',
      amountCaptured: 4000,
      connectorTransactionId: 'v1-9',
      rawStatus: 'PROCESSED',
    });
  });

  it('counts a paid order without capture records as captured in full by its processed payments', () => {
    const order = {
      order_amount: { value: 1999, currency: 'INR' },
      payments: [
        { status: 'FAILED', payment_amount: { value: 1999, currency: 'INR' } },
        { status: 'PROCESSED', payment_amount: { value: 1999, currency: 'INR' } },
      ],
    };
    expect(orderResult(order, 'PROCESSED', true)).toMatchObject({
      status: 'charged',
      amount: 1999,
      amountCaptured: 1999,
    });
    expect(capturedAmount({ order_amount: { value: 1999, currency: 'INR' }, payments: [] })).toBeNull();
    expect(capturedAmount({ ...order, pre_auth: true })).toBeNull();
  });

  it('carries the decline of the last failed payment with a unified code', () => {
    const order = {
      order_amount: { value: 100051, currency: 'INR' },
      payments: [{ status: 'FAILED', error_detail: { code: 'PAYMENT_DECLINED', message: 'Declined by issuer' } }],
    };
    expect(orderResult(order, 'FAILED', true)).toMatchObject({
      status: 'failure',
      error: { code: 'PAYMENT_DECLINED', message: 'Declined by issuer', unifiedCode: 'UE_1000' },
    });
    expect(orderResult({}, 'FAILED', true).error).toMatchObject({ code: 'FAILED', unifiedCode: 'UE_1000' });
  });

  it('maps Plural error bodies to unified codes', () => {
    expect(errorFromBody(400, { code: 'INVALID_REQUEST', message: 'bad amount' })).toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'bad amount',
      unifiedCode: 'UE_2000',
    });
    expect(errorFromBody(401, { error: 'invalid_client', error_description: 'nope' })).toMatchObject({
      code: 'invalid_client',
      unifiedCode: 'UE_3000',
    });
    expect(errorFromBody(400, { code: 'USER_AUTHENTICATION_FAILED', message: 'x' }).unifiedCode).toBe('UE_3000');
    expect(errorFromBody(422, 'nonsense')).toMatchObject({ code: 'HTTP_422', unifiedCode: 'UE_2000' });
  });

  it('reads token lifetimes from expires_in or expires_at', () => {
    const now = Date.parse('2024-06-28T12:26:06.909Z');
    expect(tokenLifetimeSeconds(3600, undefined, now)).toBe(3600);
    expect(tokenLifetimeSeconds(undefined, '2024-06-28T13:26:06.909140Z', now)).toBe(3600);
    expect(tokenLifetimeSeconds(undefined, '2024-06-28T12:00:00Z', now)).toBe(1);
    expect(tokenLifetimeSeconds(undefined, 'soon', now)).toBeNull();
  });
});

describe('plural signatures', () => {
  const headers = (over: Record<string, string> = {}) => ({
    'webhook-id': WEBHOOK_VECTOR.id,
    'webhook-timestamp': WEBHOOK_VECTOR.timestamp,
    'webhook-signature': WEBHOOK_VECTOR.signature,
    ...over,
  });
  const body = Buffer.from(WEBHOOK_VECTOR.body);

  it('passes the plural.md webhook test vector, alone or among several signatures', () => {
    expect(verifyStandardWebhook(WEBHOOK_VECTOR.secret, headers(), body, AT_VECTOR)).toBe(true);
    const several = `v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${WEBHOOK_VECTOR.signature}`;
    expect(
      verifyStandardWebhook(WEBHOOK_VECTOR.secret, headers({ 'webhook-signature': several }), body, AT_VECTOR),
    ).toBe(true);
  });

  it('rejects a tampered id, timestamp or body, another secret, and missing headers', () => {
    const v = (h: Record<string, string>, b = body, secret = WEBHOOK_VECTOR.secret) =>
      verifyStandardWebhook(secret, h, b, AT_VECTOR);
    expect(v(headers({ 'webhook-id': 'msg_2abd' }))).toBe(false);
    expect(v(headers({ 'webhook-timestamp': '1700000001' }))).toBe(false);
    expect(v(headers(), Buffer.from(WEBHOOK_VECTOR.body.replace('v1-1', 'v1-2')))).toBe(false);
    expect(v(headers(), body, 'other_client_secret')).toBe(false);
    expect(v(headers({ 'webhook-signature': WEBHOOK_VECTOR.signature.replace('v1,', 'v2,') }))).toBe(false);
    expect(v({ 'webhook-id': WEBHOOK_VECTOR.id, 'webhook-timestamp': WEBHOOK_VECTOR.timestamp })).toBe(false);
    expect(v(headers(), body, '')).toBe(false);
  });

  it('rejects deliveries more than 300 s away from now, either way', () => {
    const at = (seconds: number) => new Date((1700000000 + seconds) * 1000);
    const vector = (now: Date) => verifyStandardWebhook(WEBHOOK_VECTOR.secret, headers(), body, now);
    expect(vector(at(300))).toBe(true);
    expect(vector(at(-300))).toBe(true);
    expect(vector(at(301))).toBe(false);
    expect(vector(at(-301))).toBe(false);
  });

  it('passes the plural.md return test vector', () => {
    expect(
      returnSignatureMessage({ status: 'PROCESSED', signature: 'x', order_id: RETURN_VECTOR.fields.order_id }),
    ).toBe('order_id=v1-4405071524-aa-qlAtAf&status=PROCESSED');
    expect(signReturn(RETURN_VECTOR.fields, RETURN_VECTOR.keyHex)).toBe(RETURN_VECTOR.signature);
    const signed = { ...RETURN_VECTOR.fields, signature: RETURN_VECTOR.signature };
    expect(verifyReturnSignature(signed, RETURN_VECTOR.keyHex)).toBe(true);
    expect(
      verifyReturnSignature({ ...signed, signature: RETURN_VECTOR.signature.toLowerCase() }, RETURN_VECTOR.keyHex),
    ).toBe(true);
  });

  it('rejects a return with a tampered or added field, another key, or no signature', () => {
    const signed = { ...RETURN_VECTOR.fields, signature: RETURN_VECTOR.signature };
    expect(verifyReturnSignature({ ...signed, status: 'FAILED' }, RETURN_VECTOR.keyHex)).toBe(false);
    expect(verifyReturnSignature({ ...signed, order_id: 'v1-4405071524-aa-qlAtAg' }, RETURN_VECTOR.keyHex)).toBe(false);
    expect(verifyReturnSignature({ ...signed, error_code: '' }, RETURN_VECTOR.keyHex)).toBe(false);
    expect(verifyReturnSignature(signed, 'A1B2C3D4E5F60719')).toBe(false);
    expect(verifyReturnSignature(signed, 'not-hex')).toBe(false);
    expect(verifyReturnSignature(RETURN_VECTOR.fields, RETURN_VECTOR.keyHex)).toBe(false);
  });
});
