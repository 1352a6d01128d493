import { inspect } from 'node:util';
import { DomainError } from '@switchyard/common';
import { CardData, detectNetwork } from './card';

const NOW = new Date('2026-11-21T10:00:00Z');
const VISA = '4012000033330026';

function card(overrides: Record<string, unknown> = {}) {
  return {
    card_number: VISA,
    card_exp_month: '01',
    card_exp_year: '2039',
    card_holder_name: 'Ada Lovelace',
    card_cvc: '100',
    ...overrides,
  };
}

function refusal(overrides: Record<string, unknown>): DomainError {
  try {
    CardData.parse(card(overrides), NOW);
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the card was accepted');
}

describe('card validation', () => {
  it.each([
    ['4508750015741019', 'Visa'],
    ['5123450000000008', 'Mastercard'],
    ['2223000048400011', 'Mastercard'],
    ['345678901234564', 'AmericanExpress'],
    ['371449635398431', 'AmericanExpress'],
    ['6011111111111117', 'Discover'],
    ['3530111333300000', 'JCB'],
    ['36227206271667', 'DinersClub'],
    ['6200000000000005', 'UnionPay'],
  ])('detects the network of %s as %s', (pan, network) => {
    expect(detectNetwork(pan)).toBe(network);
  });

  it('keeps only the summary: last four, network, BIN, expiry, holder', () => {
    const parsed = CardData.parse(card({ card_number: '4012 0000 3333 0026', card_exp_year: '39' }), NOW);
    expect(parsed.summary).toEqual({
      last4: '0026',
      card_network: 'Visa',
      card_isin: '401200',
      card_exp_month: '01',
      card_exp_year: '2039',
      card_holder_name: 'Ada Lovelace',
      card_type: null,
      card_issuer: null,
      card_issuing_country: null,
    });
    expect(parsed.number).toBe(VISA);
    expect(parsed.cvc).toBe('100');
  });

  it('never serialises or prints the number or the CVC', () => {
    const parsed = CardData.parse(card(), NOW);
    const surfaces = [
      JSON.stringify(parsed),
      JSON.stringify({ nested: { parsed } }),
      inspect(parsed),
      inspect({ parsed }, { depth: 5 }),
      String(Object.keys(parsed)),
      `${JSON.stringify(Object.entries(parsed))}`,
    ];
    for (const text of surfaces) {
      expect(text).not.toContain(VISA);
      expect(text).not.toMatch(/"100"|cvc: '100'/);
    }
  });

  it('refuses a bad Luhn digit naming the field, without echoing the number', () => {
    const error = refusal({ card_number: '4012000033330027' });
    expect(error.kind).toBe('InvalidDataFormat');
    expect(error.message).toContain('payment_method_data.card.card_number');
    expect(error.message).not.toContain('4012000033330027');
  });

  it('refuses letters, too short and a network length that does not exist', () => {
    expect(refusal({ card_number: '4012abcd33330026' }).message).toContain('card_number');
    expect(refusal({ card_number: '42424242' }).message).toContain('card_number');
    // 17 Visa digits passing Luhn: Visa issues 13, 16 or 19.
    expect(refusal({ card_number: '40120000333300264' }).kind).toBe('InvalidDataFormat');
  });

  it('refuses an expired card (the month has ended) and accepts the current month', () => {
    const error = refusal({ card_exp_month: '10', card_exp_year: '2026' });
    expect(error.kind).toBe('PreconditionFailed');
    expect(error.message).toMatch(/Card Expired/);
    expect(error.message).toContain('card_exp');
    expect(refusal({ card_exp_month: '12', card_exp_year: '2025' }).kind).toBe('PreconditionFailed');
    expect(() => CardData.parse(card({ card_exp_month: '11', card_exp_year: '2026' }), NOW)).not.toThrow();
  });

  it('refuses a month outside 1-12 and a malformed year', () => {
    expect(refusal({ card_exp_month: '13' }).message).toContain('card_exp_month');
    expect(refusal({ card_exp_month: '0' }).message).toContain('card_exp_month');
    expect(refusal({ card_exp_year: '203' }).message).toContain('card_exp_year');
    expect(refusal({ card_exp_year: '2099' }).message).toContain('card_exp_year');
  });

  it('wants the CVC length of the network: 4 for Amex, 3 for the others', () => {
    expect(refusal({ card_cvc: '1000' }).message).toMatch(/card_cvc must have 3 digits for Visa/);
    expect(refusal({ card_number: '345678901234564', card_cvc: '100' }).message).toMatch(
      /card_cvc must have 4 digits for AmericanExpress/,
    );
    expect(() => CardData.parse(card({ card_number: '345678901234564', card_cvc: '1000' }), NOW)).not.toThrow();
    expect(refusal({ card_cvc: '1a0' }).message).toContain('card_cvc');
  });

  it('names each missing field', () => {
    for (const field of ['card_number', 'card_exp_month', 'card_exp_year', 'card_cvc']) {
      const error = refusal({ [field]: undefined });
      expect(error.kind).toBe('MissingRequiredField');
      expect(error.message).toBe(`Missing required param: payment_method_data.card.${field}`);
    }
  });

  it('refuses a card number typed into the holder name', () => {
    expect(refusal({ card_holder_name: '4012 0000 3333 0026' }).message).toContain('card_holder_name');
  });
});
