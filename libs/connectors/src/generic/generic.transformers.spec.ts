import { fromGenericAmount, mapPaymentStatus, toGenericAmount } from './generic.transformers';

describe('generic gateway transformers', () => {
  it('always sends two decimals, whatever the ISO exponent', () => {
    expect(toGenericAmount(500000, 'USD')).toBe('5000.00');
    expect(toGenericAmount(5000, 'XAF')).toBe('5000.00');
    expect(toGenericAmount(1999, 'INR')).toBe('19.99');
    expect(toGenericAmount(1000, 'KWD')).toBe('1.00');
  });

  it('refuses amounts it cannot send exactly instead of rounding money', () => {
    expect(toGenericAmount(1005, 'KWD')).toBeNull();
  });

  it('reads amounts back exactly', () => {
    expect(fromGenericAmount('5000.00', 'XAF')).toBe(5000);
    expect(fromGenericAmount('19.99', 'USD')).toBe(1999);
  });

  it('maps every gateway status', () => {
    expect(mapPaymentStatus('PENDING', true)).toBe('authentication_pending');
    expect(mapPaymentStatus('PENDING', false)).toBe('pending');
    expect(mapPaymentStatus('SUCCESS', true)).toBe('charged');
    expect(mapPaymentStatus('FAILED', true)).toBe('failure');
    expect(mapPaymentStatus('CANCELLED', true)).toBe('voided');
    expect(mapPaymentStatus('EXPIRED', true)).toBe('failure');
  });
});
