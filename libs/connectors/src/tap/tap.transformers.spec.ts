import {
  captureResult,
  chargeError,
  fromTapAmount,
  mapChargeStatus,
  mapRefundStatus,
  tapAmountText,
  tapError,
  toTapAmount,
} from './tap.transformers';
import { TAP_CHARGE_STATUSES, TAP_REFUND_STATUSES } from './tap.types';

describe('tap amounts', () => {
  it('sends major units built from the exact decimal with the ISO exponent', () => {
    expect(toTapAmount(1005, 'KWD')).toBe(1.005);
    expect(JSON.stringify({ amount: toTapAmount(1005, 'KWD') })).toBe('{"amount":1.005}');
    expect(toTapAmount(1500, 'KWD')).toBe(1.5);
    expect(toTapAmount(1000, 'BHD')).toBe(1);
    expect(toTapAmount(1, 'OMR')).toBe(0.001);
    expect(toTapAmount(2550, 'AED')).toBe(25.5);
    expect(toTapAmount(1999, 'USD')).toBe(19.99);
  });

  it('refuses amounts it cannot send exactly or that are not positive integers of minor units', () => {
    expect(toTapAmount(0, 'KWD')).toBeNull();
    expect(toTapAmount(-5, 'KWD')).toBeNull();
    expect(toTapAmount(10.5, 'USD')).toBeNull();
    expect(toTapAmount(Number.MAX_SAFE_INTEGER, 'USD')).toBeNull();
  });

  it('prints the hashstring amount with the currency decimals', () => {
    expect(tapAmountText(1500, 'KWD')).toBe('1.500');
    expect(tapAmountText(1005, 'KWD')).toBe('1.005');
    expect(tapAmountText(1, 'BHD')).toBe('0.001');
    expect(tapAmountText(2000, 'JOD')).toBe('2.000');
    expect(tapAmountText(200, 'AED')).toBe('2.00');
    expect(tapAmountText(150, 'USD')).toBe('1.50');
  });

  it('reads amounts back exactly, from numbers or from their source text', () => {
    expect(fromTapAmount(1.005, 'KWD')).toBe(1005);
    expect(fromTapAmount('1.005', 'KWD')).toBe(1005);
    expect(fromTapAmount('1.0', 'KWD')).toBe(1000);
    expect(fromTapAmount(25.5, 'AED')).toBe(2550);
    expect(fromTapAmount('1.0005', 'KWD')).toBeNull();
    expect(fromTapAmount('1.005', 'AED')).toBeNull();
    expect(fromTapAmount('abc', 'KWD')).toBeNull();
    expect(fromTapAmount(null, 'KWD')).toBeNull();
    expect(fromTapAmount(1, 'XYZ')).toBeNull();
  });
});

describe('tap status maps', () => {
  it.each<[string, string]>([
    ['INITIATED', 'authentication_pending'],
    ['IN_PROGRESS', 'pending'],
    ['UNKNOWN', 'pending'],
    ['ABANDONED', 'failure'],
    ['CANCELLED', 'failure'],
    ['FAILED', 'failure'],
    ['DECLINED', 'failure'],
    ['RESTRICTED', 'failure'],
    ['TIMEDOUT', 'failure'],
    ['CAPTURED', 'charged'],
    ['AUTHORIZED', 'authorized'],
    ['VOID', 'voided'],
  ])('maps charge status %s to %s', (status, expected) => {
    expect(mapChargeStatus(status as (typeof TAP_CHARGE_STATUSES)[number])).toBe(expected);
  });

  it('covers every charge and refund status Tap documents', () => {
    for (const status of TAP_CHARGE_STATUSES) expect(mapChargeStatus(status)).toBeTruthy();
    expect(TAP_REFUND_STATUSES.map((s) => [s, mapRefundStatus(s)])).toEqual([
      ['PENDING', 'pending'],
      ['IN_PROGRESS', 'pending'],
      ['REFUNDED', 'succeeded'],
      ['CANCELLED', 'failed'],
      ['FAILED', 'failed'],
      ['DECLINED', 'failed'],
      ['RESTRICTED', 'failed'],
      ['TIMEDOUT', 'failed'],
      ['UNKNOWN', 'pending'],
    ]);
  });

  it('gives every unsuccessful final status a unified code, keeping Tap response code and message', () => {
    expect(chargeError('DECLINED', { code: '507', message: 'Declined, Card Issuer' })).toEqual({
      code: '507',
      message: 'Declined, Card Issuer',
      unifiedCode: 'UE_1000',
      unifiedMessage: expect.any(String),
    });
    expect(chargeError('RESTRICTED')?.unifiedCode).toBe('UE_1000');
    expect(chargeError('FAILED')?.unifiedCode).toBe('UE_9000');
    expect(chargeError('TIMEDOUT')?.unifiedCode).toBe('UE_9000');
    expect(chargeError('CANCELLED')).toMatchObject({ code: 'CANCELLED', unifiedCode: 'UE_1001' });
    expect(chargeError('ABANDONED')?.unifiedCode).toBe('UE_1002');
    expect(chargeError('CAPTURED')).toBeNull();
    expect(chargeError('UNKNOWN')).toBeNull();
  });

  it('tells a partial capture from a full one against the authorized amount', () => {
    const charge = { id: 'chg_x', status: 'CAPTURED' as const, currency: 'KWD', amount: 0.5 };
    expect(captureResult(charge, 1000)).toMatchObject({ status: 'partial_charged', amountCaptured: 500, amount: null });
    expect(captureResult({ ...charge, amount: 1 }, 1000)).toMatchObject({ status: 'charged', amount: 1000 });
    expect(captureResult({ ...charge, status: 'IN_PROGRESS' }, 1000).status).toBe('capture_initiated');
    expect(captureResult({ ...charge, status: 'DECLINED' }, 1000).status).toBe('capture_failed');
  });
});

describe('tap errors', () => {
  it('maps the errors envelope to unified codes', () => {
    const body = (code: string, description: string) => ({ errors: [{ code, description }] });
    expect(tapError(body('2104', 'Invalid API Key'), 401)).toMatchObject({ code: '2104', unifiedCode: 'UE_3000' });
    expect(tapError(body('1117', 'Invalid Amount'), 400)).toMatchObject({
      code: '1117',
      message: 'Invalid Amount',
      unifiedCode: 'UE_2000',
    });
    expect(tapError(body('9999', 'Unknown error'), 400).unifiedCode).toBe('UE_9000');
    expect(tapError(undefined, 429)).toMatchObject({ code: 'HTTP_429', unifiedCode: 'UE_2000' });
  });
});
