import * as currencyCodes from 'currency-codes';
import { DomainError } from '../errors';

/**
 * ISO 4217 exponents come from the maintained `currency-codes` package; money is always an integer count of minor units
 * and is converted only at connector boundaries, with string arithmetic (never floats).
 */
export function currencyExponent(currency: string): number {
  const entry = /^[A-Z]{3}$/.test(currency) ? currencyCodes.code(currency) : undefined;
  if (!entry || typeof entry.digits !== 'number') {
    throw new DomainError('CurrencyNotSupported', `Currency ${currency} is not a supported ISO 4217 currency`);
  }
  return entry.digits;
}

export function isKnownCurrency(currency: string): boolean {
  try {
    currencyExponent(currency);
    return true;
  } catch {
    return false;
  }
}

/** 1005 minor units of KWD (exponent 3) → "1.005"; 5000 XAF (exponent 0) → "5000". */
export function minorToMajorString(minor: number | bigint, exponent: number): string {
  const value = BigInt(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : digits.slice(-exponent);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Formats minor units with a fixed number of decimals (e.g. a gateway that always wants 2 places).
 * Returns null when that cannot be done exactly (1.005 KWD with 2 places) rather than rounding money.
 */
export function minorToFixedDecimals(minor: number | bigint, exponent: number, places: number): string | null {
  const exact = minorToMajorString(minor, exponent);
  const [whole, fraction = ''] = exact.split('.');
  if (fraction.length > places) {
    if (/[^0]/.test(fraction.slice(places))) return null;
    return places === 0 ? whole : `${whole}.${fraction.slice(0, places)}`;
  }
  return places === 0 ? whole : `${whole}.${fraction.padEnd(places, '0')}`;
}

/**
 * Parses a decimal amount (string or JSON number as text) in major units into minor units, exactly.
 * Returns null when the value has more precision than the currency allows or is not a decimal.
 */
export function majorToMinor(major: string | number, exponent: number): number | null {
  const text = typeof major === 'number' ? numberToPlainString(major) : major.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > exponent) return null;
  const minor = BigInt(whole + trimmed.padEnd(exponent, '0'));
  const result = Number(sign ? -minor : minor);
  return Number.isSafeInteger(result) ? result : null;
}

function numberToPlainString(value: number): string {
  // JSON numbers such as 1.5 or 1e-3: toString is exact for the shortest round-trip form; expand exponents.
  const text = value.toString();
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}
