/**
 * Tap's amounts, written here from the wire format on their own (no code shared with libs/connectors): JSON numbers in
 * major units, kept internally as integer minor units with the currency's decimals.
 */
const DECIMALS: Readonly<Record<string, number>> = {
  AED: 2,
  BHD: 3,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  JOD: 3,
  KWD: 3,
  OMR: 3,
  QAR: 2,
  SAR: 2,
  USD: 2,
};

export const TAP_CURRENCIES: readonly string[] = Object.keys(DECIMALS);

export function currencyDecimals(currency: string): number | undefined {
  return DECIMALS[currency];
}

/**
 * A major-unit JSON number → minor units, or null when it is not a plain positive decimal with at most `decimals`
 * places. JSON.parse already made it a double; its shortest round-trip text is the decimal the client wrote whenever
 * that decimal has 15 significant digits or fewer, which covers every amount Tap accepts.
 */
export function majorNumberToMinor(amount: unknown, decimals: number): number | null {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) return null;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(String(amount));
  if (!match) return null;
  const [, whole, fraction = ''] = match;
  if (fraction.length > decimals) return null;
  const minor = Number(whole + fraction.padEnd(decimals, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units → the decimal with exactly the currency's places ("1.500" for 1500 KWD): the hashstring form. */
export function formatMajor(minor: number, decimals: number): string {
  const digits = String(minor).padStart(decimals + 1, '0');
  return decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** How Tap writes amounts in its JSON bodies: a number with at least one decimal place (`1.0`, `1.005`, `25.5`). */
export function jsonAmountText(minor: number, decimals: number): string {
  const fixed = formatMajor(minor, decimals);
  if (decimals === 0) return `${fixed}.0`;
  return fixed.replace(/0+$/, '').replace(/\.$/, '.0');
}

/** The last two digits of the amount in minor units: what picks a scripted outcome (1051 → "51"). */
export function scriptDigits(minor: number): string {
  return String(minor % 100).padStart(2, '0');
}
