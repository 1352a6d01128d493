import { inspect } from 'node:util';
import { DomainError, luhnValid } from '@switchyard/common';

/** Card networks as Hyperswitch names them (`card_network`). */
export type CardNetwork =
  'Visa' | 'Mastercard' | 'AmericanExpress' | 'Discover' | 'JCB' | 'DinersClub' | 'UnionPay' | 'RuPay' | 'Maestro';

/** What a payment keeps of a card, and all that any response, event or log may carry. */
export interface CardSummary {
  last4: string;
  card_network: CardNetwork | null;
  card_isin: string;
  card_exp_month: string;
  card_exp_year: string;
  card_holder_name: string | null;
  card_type: null;
  card_issuer: null;
  card_issuing_country: null;
}

/** `payment_method_data.card` as it arrives on the wire (Hyperswitch field names). */
export interface CardInput {
  card_number?: unknown;
  card_exp_month?: unknown;
  card_exp_year?: unknown;
  card_holder_name?: unknown;
  card_cvc?: unknown;
}

const FIELD = 'payment_method_data.card';

interface NetworkRule {
  network: CardNetwork;
  prefix: (pan: string) => boolean;
  lengths: number[];
  cvcLength: number;
}

const between = (pan: string, digits: number, low: number, high: number): boolean => {
  const head = Number(pan.slice(0, digits));
  return head >= low && head <= high;
};

/** Ordered: the first matching prefix names the network (more specific ranges first). */
const NETWORKS: NetworkRule[] = [
  { network: 'AmericanExpress', prefix: (p) => /^3[47]/.test(p), lengths: [15], cvcLength: 4 },
  {
    network: 'DinersClub',
    prefix: (p) => /^(30[0-5]|3095|36|3[89])/.test(p),
    lengths: [14, 15, 16, 17, 18, 19],
    cvcLength: 3,
  },
  { network: 'JCB', prefix: (p) => between(p, 4, 3528, 3589), lengths: [16, 17, 18, 19], cvcLength: 3 },
  { network: 'Visa', prefix: (p) => p.startsWith('4'), lengths: [13, 16, 19], cvcLength: 3 },
  {
    network: 'Mastercard',
    prefix: (p) => between(p, 2, 51, 55) || between(p, 4, 2221, 2720),
    lengths: [16],
    cvcLength: 3,
  },
  {
    network: 'Discover',
    prefix: (p) =>
      p.startsWith('6011') || p.startsWith('65') || between(p, 3, 644, 649) || between(p, 6, 622126, 622925),
    lengths: [16, 17, 18, 19],
    cvcLength: 3,
  },
  { network: 'RuPay', prefix: (p) => /^(60|81|82|508)/.test(p), lengths: [16], cvcLength: 3 },
  { network: 'UnionPay', prefix: (p) => p.startsWith('62'), lengths: [16, 17, 18, 19], cvcLength: 3 },
  {
    network: 'Maestro',
    prefix: (p) => /^(5018|5020|5038|5893|6304|6759|676[1-3])/.test(p),
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
    cvcLength: 3,
  },
];

export function detectNetwork(pan: string): CardNetwork | null {
  return NETWORKS.find((rule) => rule.prefix(pan))?.network ?? null;
}

/**
 * A validated card, held in memory for the one request that uses it. The number and CVC sit in private fields, so
 * JSON serialisation (logs, events, idempotency records, queue payloads) and `util.inspect` only ever see the summary.
 */
export class CardData {
  readonly #number: string;
  readonly #cvc: string;
  readonly summary: CardSummary;

  private constructor(number: string, cvc: string, summary: CardSummary) {
    this.#number = number;
    this.#cvc = cvc;
    this.summary = summary;
  }

  get number(): string {
    return this.#number;
  }

  get cvc(): string {
    return this.#cvc;
  }

  /** Two-digit month, `01`–`12`. */
  get expMonth(): string {
    return this.summary.card_exp_month;
  }

  /** Four-digit year. */
  get expYear(): string {
    return this.summary.card_exp_year;
  }

  get holderName(): string | null {
    return this.summary.card_holder_name;
  }

  toJSON(): CardSummary {
    return this.summary;
  }

  [inspect.custom](): string {
    return `CardData(${this.summary.card_network ?? 'card'} ****${this.summary.last4})`;
  }

  /**
   * Checks a card before any processor sees it: digits only (spaces and dashes allowed as separators), Luhn, a length the
   * network uses, an expiry month that has not ended yet (UTC), a CVC of the network's length. Errors name the field and
   * never echo the value.
   */
  static parse(input: CardInput, now: Date): CardData {
    const pan = digits(input.card_number, 'card_number', /^[0-9][0-9 -]{10,22}[0-9]$/);
    if (pan.length < 12 || pan.length > 19 || !luhnValid(pan)) {
      throw new DomainError(
        'InvalidDataFormat',
        `${FIELD}.card_number contains invalid data. Expected format is a valid card number`,
      );
    }
    const network = detectNetwork(pan);
    const rule = NETWORKS.find((r) => r.network === network);
    if (rule && !rule.lengths.includes(pan.length)) {
      throw new DomainError(
        'InvalidDataFormat',
        `${FIELD}.card_number contains invalid data. Expected format is a ${rule.lengths.join(', ')}-digit ${rule.network} card number`,
      );
    }
    const month = Number(digits(input.card_exp_month, 'card_exp_month', /^[0-9]{1,2}$/));
    if (month < 1 || month > 12) {
      throw new DomainError(
        'InvalidDataFormat',
        `${FIELD}.card_exp_month contains invalid data. Expected format is a month 01-12`,
      );
    }
    const rawYear = digits(input.card_exp_year, 'card_exp_year', /^([0-9]{2}|[0-9]{4})$/);
    const year = rawYear.length === 2 ? 2000 + Number(rawYear) : Number(rawYear);
    const thisYear = now.getUTCFullYear();
    const thisMonth = now.getUTCMonth() + 1;
    if (year < thisYear || (year === thisYear && month < thisMonth)) {
      throw new DomainError(
        'PreconditionFailed',
        `Card Expired: ${FIELD}.card_exp_month/card_exp_year ${String(month).padStart(2, '0')}/${year} is in the past`,
      );
    }
    if (year > thisYear + 50) {
      throw new DomainError(
        'InvalidDataFormat',
        `${FIELD}.card_exp_year contains invalid data. Expected format is a year within 50 years`,
      );
    }
    const cvc = digits(input.card_cvc, 'card_cvc', /^[0-9]+$/);
    const cvcLength = rule?.cvcLength ?? null;
    if (cvcLength ? cvc.length !== cvcLength : cvc.length < 3 || cvc.length > 4) {
      throw new DomainError(
        'PreconditionFailed',
        `Invalid card_cvc length: ${FIELD}.card_cvc must have ${cvcLength ?? '3 or 4'} digits${network ? ` for ${network}` : ''}`,
      );
    }
    const holder = input.card_holder_name;
    if (holder !== undefined && holder !== null && (typeof holder !== 'string' || holder.trim().length > 255)) {
      throw new DomainError(
        'InvalidDataFormat',
        `${FIELD}.card_holder_name contains invalid data. Expected format is a name of at most 255 characters`,
      );
    }
    const holderName = typeof holder === 'string' && holder.trim() ? holder.trim() : null;
    if (holderName && /[0-9]{12,}/.test(holderName.replace(/[ -]/g, ''))) {
      // A card number typed into the name field must not end up stored as the holder's name.
      throw new DomainError(
        'InvalidDataFormat',
        `${FIELD}.card_holder_name contains invalid data. Expected format is a name, not digits`,
      );
    }
    return new CardData(pan, cvc, {
      last4: pan.slice(-4),
      card_network: network,
      card_isin: pan.slice(0, 6),
      card_exp_month: String(month).padStart(2, '0'),
      card_exp_year: String(year),
      card_holder_name: holderName,
      card_type: null,
      card_issuer: null,
      card_issuing_country: null,
    });
  }
}

function digits(value: unknown, field: string, shape: RegExp): string {
  if (value === undefined || value === null || value === '') {
    throw new DomainError('MissingRequiredField', `Missing required param: ${FIELD}.${field}`);
  }
  if (typeof value !== 'string' || !shape.test(value.trim())) {
    throw new DomainError(
      'InvalidDataFormat',
      `${FIELD}.${field} contains invalid data. Expected format is a string of digits`,
    );
  }
  return value.trim().replace(/[ -]/g, '');
}
