import { DomainError } from '../errors';
import { currencyExponent, majorToMinor, minorToFixedDecimals, minorToMajorString } from './currency';

describe('currency arithmetic (integer minor units, no floats)', () => {
  it('reads ISO 4217 exponents from the maintained table', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('XAF')).toBe(0);
    expect(currencyExponent('JPY')).toBe(0);
  });

  it('refuses unknown or malformed codes with IR_28', () => {
    for (const code of ['XYZ', 'usd', 'US', '']) {
      expect(() => currencyExponent(code)).toThrow(DomainError);
    }
  });

  it('formats minor units exactly', () => {
    expect(minorToMajorString(1005, 3)).toBe('1.005');
    expect(minorToMajorString(5, 2)).toBe('0.05');
    expect(minorToMajorString(5000, 0)).toBe('5000');
    expect(minorToMajorString(Number.MAX_SAFE_INTEGER, 2)).toBe('90071992547409.91');
  });

  it('formats with a fixed number of places only when exact', () => {
    expect(minorToFixedDecimals(5000, 0, 2)).toBe('5000.00');
    expect(minorToFixedDecimals(1999, 2, 2)).toBe('19.99');
    expect(minorToFixedDecimals(1000, 3, 2)).toBe('1.00');
    expect(minorToFixedDecimals(1005, 3, 2)).toBeNull();
  });

  it('parses major amounts back to minor units without float drift', () => {
    expect(majorToMinor('19.99', 2)).toBe(1999);
    expect(majorToMinor(0.29, 2)).toBe(29);
    expect(majorToMinor('1.005', 3)).toBe(1005);
    expect(majorToMinor('1.5', 3)).toBe(1500);
    expect(majorToMinor('5000.00', 0)).toBe(5000);
    expect(majorToMinor('1.005', 2)).toBeNull();
    expect(majorToMinor('abc', 2)).toBeNull();
  });
});
