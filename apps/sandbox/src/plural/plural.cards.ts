/**
 * Card payments of seamless orders (`POST /api/pay/v1/orders/{id}/payments`): validation and the sandbox's test cards.
 * Plural publishes no test cards in our docs, so this table is the sandbox's own (README). The full number and the CVV
 * never leave `parseCardPayment`, and no error message quotes them.
 */
import type { MagicValue } from '../sandbox.types';
import type { CardSummary } from './plural.store';
import { checkAmount, checkReference } from './plural.validation';
import { invalid } from './plural.wire';
import { luhnValid } from '../card-numbers';

export type CardBehaviour = 'frictionless' | 'challenge' | 'decline';

export interface CardPayment {
  merchantPaymentReference: string;
  card: CardSummary;
  behaviour: CardBehaviour;
}

const TEST_CARDS: Readonly<Record<string, CardBehaviour>> = {
  '4111111111111111': 'frictionless',
  '5555555555554444': 'challenge',
  '4000000000000002': 'decline',
};

type Fields = Record<string, unknown>;
const fieldsOf = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
const digitsOf = (value: unknown): string | null =>
  typeof value === 'string' && /^\d+$/.test(value) ? value : typeof value === 'number' ? String(value) : null;

function networkOf(number: string): string {
  if (/^3[47]/.test(number)) return 'AMEX';
  if (number.startsWith('4')) return 'VISA';
  const two = Number(number.slice(0, 2));
  const four = Number(number.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'MASTERCARD';
  if (/^(60|65|81|82|508)/.test(number)) return 'RUPAY';
  return 'UNKNOWN';
}

/** `card_details` → what the sandbox keeps (network, last four, expiry) and how the card behaves. */
function parseCardDetails(raw: unknown, now: number): { card: CardSummary; behaviour: CardBehaviour } {
  if (raw === undefined || raw === null) throw invalid('payment_option.card_details is required');
  const details = fieldsOf(raw);
  const number = digitsOf(details.card_number);
  if (number === null || number.length < 12 || number.length > 19 || !luhnValid(number)) {
    throw invalid('card_details.card_number is invalid');
  }
  const cvv = digitsOf(details.cvv);
  if (cvv === null || cvv.length < 3 || cvv.length > 4) throw invalid('card_details.cvv must be 3 or 4 digits');
  const month = digitsOf(details.expiry_month);
  if (month === null || month.length > 2 || Number(month) < 1 || Number(month) > 12) {
    throw invalid('card_details.expiry_month must be 01 to 12');
  }
  const yearText = digitsOf(details.expiry_year);
  if (yearText === null || (yearText.length !== 2 && yearText.length !== 4)) {
    throw invalid('card_details.expiry_year must be 4 digits');
  }
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const today = new Date(now);
  if (year * 12 + Number(month) < today.getUTCFullYear() * 12 + today.getUTCMonth() + 1) {
    throw invalid('card has expired');
  }
  if (details.name !== undefined && typeof details.name !== 'string') throw invalid('card_details.name is invalid');
  return {
    card: {
      network: networkOf(number),
      lastFour: number.slice(-4),
      expiryMonth: month.padStart(2, '0'),
      expiryYear: String(year),
      holderName: typeof details.name === 'string' ? details.name.slice(0, 100) : null,
    },
    behaviour: TEST_CARDS[number] ?? 'frictionless',
  };
}

/** `{"payments":[{merchant_payment_reference, payment_method:"CARD", payment_amount, payment_option:{card_details}}]}`. */
export function parseCardPayment(body: unknown, order: { value: number; currency: string }, now: number): CardPayment {
  const payments = fieldsOf(body).payments;
  if (!Array.isArray(payments) || payments.length !== 1) throw invalid('payments must hold exactly one payment');
  const payment = fieldsOf(payments[0]);
  const merchantPaymentReference = checkReference('merchant_payment_reference', payment.merchant_payment_reference);
  if (payment.payment_method !== 'CARD') throw invalid('payment_method must be CARD');
  const amount = checkAmount('payment_amount', payment.payment_amount);
  if (amount.value !== order.value || amount.currency !== order.currency) {
    throw invalid('payment_amount must equal the order amount');
  }
  const { card, behaviour } = parseCardDetails(fieldsOf(payment.payment_option).card_details, now);
  return { merchantPaymentReference, card, behaviour };
}

export const PLURAL_CARD_MAGIC_VALUES: readonly MagicValue[] = [
  {
    value: 'card 4111111111111111 (or any other Luhn-valid number)',
    effect: 'frictionless: the order settles at once',
  },
  {
    value: 'card 5555555555554444',
    effect: '3-D Secure challenge: challenge_url, order PENDING until Pass/Fail on the challenge page',
  },
  { value: 'card 4000000000000002', effect: 'declined: order FAILED, error_detail PAYMENT_DECLINED' },
];
