/**
 * Card data of the Tap sandbox (`POST /v2/tokens`, charges on `tok_…`): validation, brand, 3-D Secure enrolment and the
 * scripted outcome of Tap's published test cards (tap.md). The full number and the CVC never leave `parseCardRequest`:
 * what is kept is what Tap shows (first six/eight, last four, expiry) plus the outcome classes they decide.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { MagicValue } from '../sandbox.types';
import { TapApiError } from './tap.errors';
import type { TapChargeStatus, TapObjectKind, TapResponse } from './tap.records';
import { luhnValid } from '../card-numbers';

export type TapCvcClass = 'match' | 'not_processed' | 'no_match';

/** What a token remembers of a card: never the full number, never the CVC. */
export interface TapCardFacts {
  readonly brand: string;
  readonly scheme: string;
  readonly funding: 'CREDIT' | 'DEBIT';
  readonly expMonth: number;
  /** Four digits (2039). */
  readonly expYear: number;
  readonly firstSix: string;
  readonly firstEight: string;
  readonly lastFour: string;
  readonly fingerprint: string;
  readonly name: string | null;
  /** Enrolled in 3-D Secure: a charge with threeDSecure answers INITIATED and a challenge page. */
  readonly enrolled: boolean;
  readonly cvc: TapCvcClass;
}

/** Token errors. Tap's documentation names none of these codes: they are the sandbox's (README: "inferred"). */
export const TAP_CARD_ERRORS = {
  cardMissing: () => new TapApiError(400, '1108', 'card is required'),
  invalidNumber: () => new TapApiError(400, '1201', 'Invalid card number'),
  invalidMonth: () => new TapApiError(400, '1202', 'Invalid card expiry month'),
  invalidYear: () => new TapApiError(400, '1203', 'Invalid card expiry year'),
  invalidCvc: () => new TapApiError(400, '1204', 'Invalid card CVC'),
  invalidName: () => new TapApiError(400, '1205', 'Invalid card holder name'),
  tokenNotFound: () => new TapApiError(400, '1126', 'Token not found'),
  tokenUsed: () => new TapApiError(400, '1127', 'Token already used'),
  tokenExpired: () => new TapApiError(400, '1128', 'Token expired'),
} as const;

/** Tap's published test cards (tap.md). Other Luhn-valid numbers are treated as not enrolled. */
const ENROLLED = new Set(['5123450000000008', '4508750015741019', '345678901234564', '4464040000000007']);
/** mada BINs the sandbox knows: the two of Tap's test cards. */
const MADA_BINS = new Set(['446404', '558848']);

const FINGERPRINT_KEY = randomBytes(32);

function brandOf(number: string): { brand: string; funding: 'CREDIT' | 'DEBIT' } {
  if (MADA_BINS.has(number.slice(0, 6))) return { brand: 'MADA', funding: 'DEBIT' };
  if (/^3[47]/.test(number)) return { brand: 'AMERICAN_EXPRESS', funding: 'CREDIT' };
  if (number.startsWith('4')) return { brand: 'VISA', funding: 'CREDIT' };
  const two = Number(number.slice(0, 2));
  const four = Number(number.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return { brand: 'MASTERCARD', funding: 'CREDIT' };
  return { brand: 'UNKNOWN', funding: 'CREDIT' };
}

/** exp_month: a number or a string, 1-12 ("05" too). */
function monthOf(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,2}$/.test(text)) throw TAP_CARD_ERRORS.invalidMonth();
  const month = Number(text);
  if (month < 1 || month > 12) throw TAP_CARD_ERRORS.invalidMonth();
  return month;
}

/** exp_year: two or four digits, as a number or a string (Tap's SDKs send both). */
function yearOf(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^(\d{2}|\d{4})$/.test(text)) throw TAP_CARD_ERRORS.invalidYear();
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

function cvcClassOf(cvc: string): TapCvcClass {
  if (cvc === '101' || cvc === '1010') return 'not_processed';
  if (cvc === '102' || cvc === '1020') return 'no_match';
  return 'match';
}

/** `{"card":{number, exp_month, exp_year, cvc, name}}` → the facts a token keeps. Errors never quote the input. */
export function parseCardRequest(raw: unknown): TapCardFacts {
  const body = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const card = body.card;
  if (typeof card !== 'object' || card === null || Array.isArray(card)) throw TAP_CARD_ERRORS.cardMissing();
  const c = card as Record<string, unknown>;
  const rawNumber = typeof c.number === 'number' ? String(c.number) : c.number;
  if (typeof rawNumber !== 'string') throw TAP_CARD_ERRORS.invalidNumber();
  const number = rawNumber.replace(/[ -]/g, '');
  if (!/^\d{12,19}$/.test(number) || !luhnValid(number)) throw TAP_CARD_ERRORS.invalidNumber();
  const expMonth = monthOf(c.exp_month);
  const expYear = yearOf(c.exp_year);
  const { brand, funding } = brandOf(number);
  const cvc = typeof c.cvc === 'number' ? String(c.cvc) : c.cvc;
  const cvcLength = brand === 'AMERICAN_EXPRESS' ? 4 : 3;
  if (typeof cvc !== 'string' || !new RegExp(`^\\d{${cvcLength}}$`).test(cvc)) throw TAP_CARD_ERRORS.invalidCvc();
  if (c.name !== undefined && c.name !== null && (typeof c.name !== 'string' || c.name.length > 100)) {
    throw TAP_CARD_ERRORS.invalidName();
  }
  return {
    brand,
    scheme: brand,
    funding,
    expMonth,
    expYear,
    firstSix: number.slice(0, 6),
    firstEight: number.slice(0, 8),
    lastFour: number.slice(-4),
    fingerprint: createHmac('sha256', FINGERPRINT_KEY).update(number).digest('base64url').slice(0, 32),
    name: typeof c.name === 'string' && c.name !== '' ? c.name : null,
    enrolled: ENROLLED.has(number),
    cvc: cvcClassOf(cvc),
  };
}

const mmyy = (card: TapCardFacts): string =>
  `${String(card.expMonth).padStart(2, '0')}/${String(card.expYear % 100).padStart(2, '0')}`;

export const AUTHENTICATION_FAILED: TapResponse = { code: '403', message: 'Failed, 3D Secure authentication failed' };
const EXPIRED: TapResponse = { code: '503', message: 'Declined, Expired Card' };

/** Tap's test expiries (tap.md); response codes and messages other than 801/901 are the sandbox's (inferred). */
const BY_EXPIRY: Readonly<Record<string, { status: TapChargeStatus; response: TapResponse }>> = {
  '05/22': { status: 'DECLINED', response: { code: '501', message: 'Declined, Card Issuer' } },
  '04/27': { status: 'DECLINED', response: EXPIRED },
  '08/28': { status: 'TIMEDOUT', response: { code: '801', message: 'Timed out' } },
  '01/37': { status: 'FAILED', response: { code: '402', message: 'Failed, Acquirer System Error' } },
  '02/37': { status: 'FAILED', response: { code: '401', message: 'Failed' } },
  '05/37': { status: 'UNKNOWN', response: { code: '901', message: 'Unknown' } },
};

/** How a card's charge (or authorization) settles once 3-D Secure is done or not needed: expiry first, then the CVC. */
export function cardOutcome(
  card: TapCardFacts,
  object: TapObjectKind,
  now: number,
): { status: TapChargeStatus; response: TapResponse } {
  const scripted = BY_EXPIRY[mmyy(card)];
  if (scripted) return scripted;
  const date = new Date(now);
  const past = card.expYear * 12 + card.expMonth < date.getUTCFullYear() * 12 + date.getUTCMonth() + 1;
  if (past) return { status: 'DECLINED', response: EXPIRED };
  if (card.cvc === 'no_match')
    return { status: 'DECLINED', response: { code: '504', message: 'Declined, Invalid CVV' } };
  return object === 'authorize'
    ? { status: 'AUTHORIZED', response: { code: '001', message: 'Authorized' } }
    : { status: 'CAPTURED', response: { code: '000', message: 'Captured' } };
}

export const TAP_CARD_MAGIC_VALUES: readonly MagicValue[] = [
  {
    value: 'card 5123450000000008, 4508750015741019, 345678901234564, 4464040000000007',
    effect: '3-D Secure enrolled: with threeDSecure (default true) the charge answers INITIATED and a challenge page',
  },
  {
    value:
      'card 5111111111111118, 4012000033330026, 371449635398431, 5588480000000003 (or any other Luhn-valid number)',
    effect: 'not enrolled: the charge settles at once',
  },
  { value: 'expiry 01/39 (or any other future date)', effect: 'approved: CAPTURED 000 / AUTHORIZED 001' },
  { value: 'expiry 05/22', effect: 'DECLINED 501' },
  { value: 'expiry 04/27 (or any other past date)', effect: 'DECLINED 503 expired card' },
  { value: 'expiry 08/28', effect: 'TIMEDOUT 801' },
  { value: 'expiry 01/37', effect: 'FAILED 402 acquirer system error' },
  { value: 'expiry 02/37', effect: 'FAILED 401 unspecified failure' },
  { value: 'expiry 05/37', effect: 'UNKNOWN 901' },
  { value: 'CVC 100 / 101 (Amex 1000 / 1010), any other', effect: 'match / not processed: approved' },
  { value: 'CVC 102 (Amex 1020)', effect: 'no match: DECLINED 504' },
  { value: '3-D Secure page: Fail authentication', effect: 'FAILED 403 authentication failed' },
];
