import type { Condition, Output, PaymentFacts, Rule } from './routing.types';

/**
 * Advanced routing: the first rule one of whose statements holds wins. A condition on a value the payment does not carry
 * (no payment_method, no country, no such metadata key) never holds, `not_equal`/`not_in` included: a rule that needs a
 * fact must not fire on its absence.
 */
export function firstMatchingRule(rules: readonly Rule[], payment: PaymentFacts): Rule | null {
  for (const rule of rules) {
    if (rule.statements.some((s) => s.condition.every((c) => holds(c, payment)))) return rule;
  }
  return null;
}

export function evaluateRules(
  rules: readonly Rule[],
  fallback: Output | undefined,
  payment: PaymentFacts,
): { rule: string | null; output: Output | null } {
  const rule = firstMatchingRule(rules, payment);
  if (rule) return { rule: rule.name, output: rule.connector_selection };
  return { rule: null, output: fallback ?? null };
}

export function holds(condition: Condition, payment: PaymentFacts): boolean {
  const actual = valueOf(condition.lhs, payment);
  if (actual === null) return false;
  const { comparison, value } = condition;
  switch (comparison) {
    case 'equal':
      return same(actual, value);
    case 'not_equal':
      return !same(actual, value);
    case 'in':
      return Array.isArray(value) && value.some((v) => same(actual, v));
    case 'not_in':
      return Array.isArray(value) && !value.some((v) => same(actual, v));
    case 'less_than':
      return compare(actual, value, (a, b) => a < b);
    case 'less_than_equal':
      return compare(actual, value, (a, b) => a <= b);
    case 'greater_than':
      return compare(actual, value, (a, b) => a > b);
    case 'greater_than_equal':
      return compare(actual, value, (a, b) => a >= b);
  }
}

function valueOf(lhs: Condition['lhs'], payment: PaymentFacts): number | string | null {
  switch (lhs) {
    case 'amount':
      return payment.amount;
    case 'currency':
      return payment.currency;
    case 'payment_method':
      return payment.paymentMethod;
    case 'payment_method_type':
      return payment.paymentMethodType;
    case 'country':
      return payment.country;
    default: {
      // metadata.<key>: scalars only; an object or array is not something a rule can compare
      const raw = payment.metadata[lhs.slice('metadata.'.length)];
      if (typeof raw === 'string' || typeof raw === 'number') return raw;
      if (typeof raw === 'boolean') return String(raw);
      return null;
    }
  }
}

/** Strings compare exactly; a number equals its decimal spelling (metadata values often arrive as strings). */
function same(actual: number | string, expected: number | string | string[]): boolean {
  if (Array.isArray(expected)) return false;
  return typeof actual === typeof expected ? actual === expected : String(actual) === String(expected);
}

function compare(
  actual: number | string,
  expected: number | string | string[],
  op: (a: number, b: number) => boolean,
): boolean {
  if (Array.isArray(expected)) return false;
  const a = typeof actual === 'number' ? actual : Number(actual);
  const b = typeof expected === 'number' ? expected : Number(expected);
  if (actual === '' || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  return op(a, b);
}
