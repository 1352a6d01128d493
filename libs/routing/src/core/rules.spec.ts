import { evaluateRules, holds } from './rules';
import { payment } from './routing.spec-harness';
import type { Condition, Output, Rule } from './routing.types';

const to = (id: string): Output => ({ type: 'single', data: { connector: 'generic', merchant_connector_id: id } });
const rule = (name: string, ...statements: Condition[][]): Rule => ({
  name,
  statements: statements.map((condition) => ({ condition })),
  connector_selection: to(`mca_${name}`),
});

describe('rule conditions', () => {
  const p = payment({
    amount: 5000,
    currency: 'INR',
    paymentMethod: 'upi',
    paymentMethodType: 'upi_collect',
    country: 'IN',
    metadata: { tier: 'gold', risk: '12', vip: true, nested: { a: 1 } },
  });

  it.each<[Condition, boolean]>([
    [{ lhs: 'amount', comparison: 'equal', value: 5000 }, true],
    [{ lhs: 'amount', comparison: 'not_equal', value: 5000 }, false],
    [{ lhs: 'amount', comparison: 'less_than', value: 5000 }, false],
    [{ lhs: 'amount', comparison: 'less_than_equal', value: 5000 }, true],
    [{ lhs: 'amount', comparison: 'greater_than', value: 4999 }, true],
    [{ lhs: 'amount', comparison: 'greater_than_equal', value: 5001 }, false],
    [{ lhs: 'currency', comparison: 'equal', value: 'INR' }, true],
    [{ lhs: 'currency', comparison: 'in', value: ['USD', 'INR'] }, true],
    [{ lhs: 'currency', comparison: 'not_in', value: ['USD', 'INR'] }, false],
    [{ lhs: 'payment_method', comparison: 'equal', value: 'upi' }, true],
    [{ lhs: 'payment_method_type', comparison: 'not_equal', value: 'upi_intent' }, true],
    [{ lhs: 'country', comparison: 'in', value: ['IN', 'AE'] }, true],
    [{ lhs: 'metadata.tier', comparison: 'equal', value: 'gold' }, true],
    [{ lhs: 'metadata.risk', comparison: 'greater_than', value: 10 }, true],
    [{ lhs: 'metadata.risk', comparison: 'equal', value: 12 }, true],
    [{ lhs: 'metadata.vip', comparison: 'equal', value: 'true' }, true],
  ])('%j holds: %s', (condition, expected) => {
    expect(holds(condition, p)).toBe(expected);
  });

  it('never holds on a fact the payment does not carry, negations included', () => {
    const bare = payment();
    expect(holds({ lhs: 'country', comparison: 'not_equal', value: 'US' }, bare)).toBe(false);
    expect(holds({ lhs: 'payment_method', comparison: 'not_in', value: ['card'] }, bare)).toBe(false);
    expect(holds({ lhs: 'metadata.missing', comparison: 'not_equal', value: 'x' }, bare)).toBe(false);
    expect(holds({ lhs: 'metadata.nested', comparison: 'equal', value: 'x' }, p)).toBe(false);
  });

  it('does not order a metadata value that is not a number', () => {
    expect(holds({ lhs: 'metadata.tier', comparison: 'greater_than', value: 1 }, p)).toBe(false);
  });
});

describe('advanced routing', () => {
  const rules = [
    rule('big_inr', [
      { lhs: 'currency', comparison: 'equal', value: 'INR' },
      { lhs: 'amount', comparison: 'greater_than', value: 100000 },
    ]),
    rule(
      'eu',
      [{ lhs: 'country', comparison: 'in', value: ['DE', 'FR'] }],
      [{ lhs: 'currency', comparison: 'equal', value: 'EUR' }],
    ),
    rule('any_inr', [{ lhs: 'currency', comparison: 'equal', value: 'INR' }]),
  ];
  const fallback = to('mca_default');

  it('ANDs the conditions of a statement', () => {
    expect(evaluateRules(rules, fallback, payment({ currency: 'INR', amount: 200000 })).rule).toBe('big_inr');
    expect(evaluateRules(rules, fallback, payment({ currency: 'INR', amount: 500 })).rule).toBe('any_inr');
  });

  it('ORs the statements of a rule', () => {
    expect(evaluateRules(rules, fallback, payment({ country: 'FR' })).rule).toBe('eu');
    expect(evaluateRules(rules, fallback, payment({ currency: 'EUR' })).rule).toBe('eu');
  });

  it('takes the first matching rule, in order', () => {
    const swapped = [rules[2], rules[0]];
    expect(evaluateRules(swapped, fallback, payment({ currency: 'INR', amount: 200000 })).rule).toBe('any_inr');
  });

  it('falls back to the default selection, or to nothing', () => {
    expect(evaluateRules(rules, fallback, payment())).toEqual({ rule: null, output: fallback });
    expect(evaluateRules(rules, undefined, payment())).toEqual({ rule: null, output: null });
  });
});
