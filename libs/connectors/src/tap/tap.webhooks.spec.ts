import { createHmac } from 'node:crypto';
import { hashstring, parseJsonExact, parseTapWebhook, verifyTapWebhook } from './tap.webhooks';

const KEY = 'test-secret';
const VECTOR = '69485ac24bba9295ec86001f7cf0fb7f426b758136eeafa5eb94864fb8b8f514';

/** The tap.md vector's charge, with the amount written as `amountText` in the raw JSON. */
const chargeBody = (amountText = '1.5', overrides = '') =>
  `{"id":"chg_1","object":"charge","status":"CAPTURED","amount":${amountText},"currency":"KWD",` +
  `"reference":{"gateway":"gw","payment":"py","transaction":"pay_1_1"},"response":{"code":"000","message":"Captured"},` +
  `"transaction":{"created":"1700","url":null}${overrides}}`;
const deliver = (body: string, signature = VECTOR) => ({
  headers: { hashstring: signature },
  rawBody: Buffer.from(body),
});
const verify = (body: string, signature = VECTOR, key = KEY) => {
  const d = deliver(body, signature);
  return verifyTapWebhook(key, d.headers, d.rawBody);
};

describe('tap hashstring', () => {
  it('matches the tap.md test vector', () => {
    const fields = {
      id: 'chg_1',
      amount: '1.500',
      currency: 'KWD',
      gatewayReference: 'gw',
      paymentReference: 'py',
      status: 'CAPTURED',
      created: '1700',
    };
    expect(hashstring(KEY, fields)).toBe(VECTOR);
  });

  it('accepts the signed delivery however the body writes the amount (1.5, 1.500, 1.50)', () => {
    for (const amount of ['1.5', '1.500', '1.50']) expect(verify(chargeBody(amount))).toBe(true);
    expect(verify(chargeBody(), VECTOR.toUpperCase())).toBe(true);
  });

  it('rejects a tampered amount, status, id, currency or reference, a wrong key and a missing header', () => {
    expect(verify(chargeBody('1.501'))).toBe(false);
    expect(verify(chargeBody('15'))).toBe(false);
    expect(verify(chargeBody().replace('CAPTURED', 'DECLINED'))).toBe(false);
    expect(verify(chargeBody().replace('"chg_1"', '"chg_2"'))).toBe(false);
    expect(verify(chargeBody().replace('"gw"', '"gx"'))).toBe(false);
    expect(verify(chargeBody().replace('"KWD"', '"BHD"'))).toBe(false);
    expect(verify(chargeBody(), VECTOR, 'other-secret')).toBe(false);
    expect(verify(chargeBody(), '')).toBe(false);
    expect(verify(chargeBody(), 'not-hex')).toBe(false);
    expect(verify('not json')).toBe(false);
  });

  it('refuses an amount more precise than the currency instead of rounding it into a valid signature', () => {
    expect(verify(chargeBody('1.5000000000000001'))).toBe(false);
  });

  it('signs refunds over their own created', () => {
    const body = `{"id":"re_1","object":"refund","status":"REFUNDED","amount":1.005,"currency":"KWD","created":1711,"charge_id":"chg_1","reference":{"merchant":"ref_1"}}`;
    const message =
      'x_idre_1x_amount1.005x_currencyKWDx_gateway_referencex_payment_referencex_statusREFUNDEDx_created1711';
    const signature = createHmac('sha256', KEY).update(message).digest('hex');
    expect(verify(body, signature)).toBe(true);
    expect(verify(body.replace('1711', '1712'), signature)).toBe(false);
  });
});

describe('tap webhook parsing', () => {
  it('keeps numbers as their exact source text', () => {
    expect(parseJsonExact('{"a":1.0,"b":[-2e3,0.005],"c":"x1.5\\"9","d":true,"e":null}')).toEqual({
      a: '1.0',
      b: ['-2e3', '0.005'],
      c: 'x1.5"9',
      d: true,
      e: null,
    });
    expect(parseJsonExact('{"a":')).toBeUndefined();
  });

  it('turns a charge into a payment result matched by the signed charge id only', () => {
    expect(parseTapWebhook(Buffer.from(chargeBody('1.005')))).toEqual({
      kind: 'payment',
      eventId: 'chg_1:CAPTURED',
      attemptReference: null,
      connectorTransactionId: 'chg_1',
      result: expect.objectContaining({ status: 'charged', amount: 1005, currency: 'KWD', rawStatus: 'CAPTURED' }),
    });
  });

  it('maps a declined charge with its response code', () => {
    const body = chargeBody('1')
      .replace('CAPTURED', 'DECLINED')
      .replace('"000","message":"Captured"', '"507","message":"Declined"');
    const parsed = parseTapWebhook(Buffer.from(body));
    expect(parsed).toMatchObject({ kind: 'payment', eventId: 'chg_1:DECLINED' });
    expect(parsed?.kind === 'payment' && parsed.result.error).toMatchObject({ code: '507', unifiedCode: 'UE_1000' });
  });

  it('turns a refund into a refund result, and leaves capture charges and unknown statuses alone', () => {
    const refund = `{"id":"re_9","object":"refund","status":"REFUNDED","amount":0.5,"currency":"KWD","created":"1","reference":{"merchant":"ref_1"}}`;
    expect(parseTapWebhook(Buffer.from(refund))).toEqual({
      kind: 'refund',
      eventId: 're_9:REFUNDED',
      refundReference: null,
      connectorRefundId: 're_9',
      result: expect.objectContaining({ status: 'succeeded' }),
    });
    const capture = chargeBody('1', ',"source":{"object":"authorize","id":"auth_1"}');
    expect(parseTapWebhook(Buffer.from(capture))).toMatchObject({ kind: 'ignored' });
    const capturedAuth = chargeBody('1').replace('"chg_1"', '"auth_1"');
    expect(parseTapWebhook(Buffer.from(capturedAuth))).toMatchObject({ kind: 'ignored', eventId: 'auth_1:CAPTURED' });
    const authorized = capturedAuth.replace('CAPTURED', 'AUTHORIZED');
    expect(parseTapWebhook(Buffer.from(authorized))).toMatchObject({
      kind: 'payment',
      result: { status: 'authorized' },
    });
    expect(parseTapWebhook(Buffer.from(chargeBody().replace('CAPTURED', 'PAID')))).toMatchObject({ kind: 'ignored' });
    expect(parseTapWebhook(Buffer.from('{"id":"cus_1","status":"x","currency":"KWD"}'))).toBeNull();
    expect(parseTapWebhook(Buffer.from('[]'))).toBeNull();
  });
});
