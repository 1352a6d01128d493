import { isKnownCurrency } from '@switchyard/common';
import type {
  Algorithm,
  Choice,
  Comparison,
  Condition,
  Output,
  Rule,
  SplitEntry,
  Statement,
  SuccessRateParams,
} from '../routing.types';
import {
  formatError,
  optional,
  readArray,
  readInt,
  readNumber,
  readObject,
  readString,
  semanticError,
} from './json-reader';

/** A choice and where it sat in the submitted JSON, so an unknown account is reported at its path. */
export interface ChoiceRef {
  path: string;
  choice: Choice;
}

export const SUCCESS_RATE_DEFAULTS: SuccessRateParams = {
  window_size: 100,
  window_seconds: 900,
  min_samples: 10,
  exploration_percent: 5,
  cold_floor: 0.9,
};

export const PAYMENT_METHODS = [
  'card',
  'card_redirect',
  'pay_later',
  'wallet',
  'bank_redirect',
  'bank_transfer',
  'crypto',
  'bank_debit',
  'reward',
  'real_time_payment',
  'upi',
  'voucher',
  'gift_card',
  'open_banking',
  'mobile_payment',
] as const;

const ALGORITHM_TYPES = ['single', 'priority', 'volume_split', 'advanced', 'success_rate'] as const;
const OUTPUT_TYPES = ['single', 'priority', 'volume_split'] as const;
const COMPARISONS: readonly Comparison[] = [
  'equal',
  'not_equal',
  'less_than',
  'less_than_equal',
  'greater_than',
  'greater_than_equal',
  'in',
  'not_in',
];
const ORDERING: readonly Comparison[] = ['less_than', 'less_than_equal', 'greater_than', 'greater_than_equal'];
const NAME = /^[a-z0-9_]{1,64}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const LIMITS = { choices: 50, rules: 500, statements: 20, conditions: 20, values: 100 };

/** Parses a stored or submitted `{type, data}` routing algorithm; throws RoutingValidationError naming the path. */
export function parseAlgorithm(raw: unknown, path = 'algorithm'): { algorithm: Algorithm; refs: ChoiceRef[] } {
  const refs: ChoiceRef[] = [];
  const body = readObject(raw, path, ['type', 'data']);
  const type = readEnum(body.type, `${path}.type`, ALGORITHM_TYPES);
  const dataPath = `${path}.data`;
  switch (type) {
    case 'single':
    case 'priority':
    case 'volume_split':
      return { algorithm: parseOutputOf(type, body.data, dataPath, refs), refs };
    case 'advanced': {
      const data = readObject(body.data, dataPath, ['rules', 'default_selection']);
      const rules = readArray(data.rules, `${dataPath}.rules`, 1, LIMITS.rules).map((r, i) =>
        parseRule(r, `${dataPath}.rules[${i}]`, refs),
      );
      const names = new Set<string>();
      rules.forEach((rule, i) => {
        if (names.has(rule.name))
          throw semanticError(`${dataPath}.rules[${i}].name`, `duplicate rule name ${rule.name}`);
        names.add(rule.name);
      });
      const fallback = optional<Output | undefined>(data.default_selection, undefined, (v) =>
        parseOutput(v, `${dataPath}.default_selection`, refs),
      );
      return { algorithm: { type, data: { rules, default_selection: fallback } }, refs };
    }
    case 'success_rate':
      return { algorithm: { type, data: parseSuccessRate(body.data, dataPath, refs) }, refs };
  }
}

/** The per-payment `routing` field (Hyperswitch StraightThroughAlgorithm): single, priority or volume_split only. */
export function parseStraightThrough(raw: unknown, path = 'routing'): Output {
  return parseOutput(raw, path, []);
}

export function parseChoiceList(raw: unknown, path: string, refs: ChoiceRef[], min = 1): Choice[] {
  const choices = readArray(raw, path, min, LIMITS.choices).map((c, i) => parseChoice(c, `${path}[${i}]`, refs));
  const keys = choices.map((c) => c.merchant_connector_id ?? `name:${c.connector}`);
  const dup = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (dup >= 0) throw semanticError(`${path}[${dup}]`, 'names the same connector account twice');
  return choices;
}

function parseOutput(raw: unknown, path: string, refs: ChoiceRef[]): Output {
  const body = readObject(raw, path, ['type', 'data']);
  return parseOutputOf(readEnum(body.type, `${path}.type`, OUTPUT_TYPES), body.data, `${path}.data`, refs);
}

function parseOutputOf(type: Output['type'], data: unknown, path: string, refs: ChoiceRef[]): Output {
  switch (type) {
    case 'single':
      return { type, data: parseChoice(data, path, refs) };
    case 'priority':
      return { type, data: parseChoiceList(data, path, refs) };
    case 'volume_split': {
      const entries: SplitEntry[] = readArray(data, path, 1, LIMITS.choices).map((e, i) => {
        const entry = readObject(e, `${path}[${i}]`, ['connector', 'split']);
        return {
          connector: parseChoice(entry.connector, `${path}[${i}].connector`, refs),
          split: readInt(entry.split, `${path}[${i}].split`, 0, 100),
        };
      });
      const total = entries.reduce((sum, e) => sum + e.split, 0);
      if (total !== 100)
        throw semanticError(path, `volume split percentages add up to ${total}, they must add up to 100`);
      parseChoiceList(
        entries.map((e) => e.connector),
        path,
        [],
      );
      return { type, data: entries };
    }
  }
}

function parseChoice(raw: unknown, path: string, refs: ChoiceRef[]): Choice {
  const body = readObject(raw, path, ['connector', 'merchant_connector_id']);
  const choice: Choice = { connector: readString(body.connector, `${path}.connector`, NAME, 'a connector name') };
  if (body.merchant_connector_id !== undefined && body.merchant_connector_id !== null) {
    choice.merchant_connector_id = readString(
      body.merchant_connector_id,
      `${path}.merchant_connector_id`,
      ID,
      '1-64 characters of [A-Za-z0-9_-]',
    );
  }
  refs.push({ path, choice });
  return choice;
}

function parseRule(raw: unknown, path: string, refs: ChoiceRef[]): Rule {
  const body = readObject(raw, path, ['name', 'statements', 'connector_selection']);
  return {
    name: readString(body.name, `${path}.name`, /^\S.{0,63}$/, 'a name of 1-64 characters'),
    statements: readArray(body.statements, `${path}.statements`, 1, LIMITS.statements).map((s, i): Statement => {
      const statement = readObject(s, `${path}.statements[${i}]`, ['condition']);
      const condPath = `${path}.statements[${i}].condition`;
      return {
        condition: readArray(statement.condition, condPath, 1, LIMITS.conditions).map((c, j) =>
          parseCondition(c, `${condPath}[${j}]`),
        ),
      };
    }),
    connector_selection: parseOutput(body.connector_selection, `${path}.connector_selection`, refs),
  };
}

function parseCondition(raw: unknown, path: string): Condition {
  const body = readObject(raw, path, ['lhs', 'comparison', 'value']);
  const lhs = readString(
    body.lhs,
    `${path}.lhs`,
    /^(amount|currency|payment_method|payment_method_type|country|metadata\.[A-Za-z0-9_.-]{1,64})$/,
    'one of amount, currency, payment_method, payment_method_type, country, metadata.<key>',
  ) as Condition['lhs'];
  const comparison = readEnum(body.comparison, `${path}.comparison`, COMPARISONS);
  const valuePath = `${path}.value`;
  const isList = comparison === 'in' || comparison === 'not_in';
  if (lhs === 'amount') {
    if (isList) throw semanticError(`${path}.comparison`, 'amount takes equal, not_equal or an ordering comparison');
    return { lhs, comparison, value: readInt(body.value, valuePath, 0, Number.MAX_SAFE_INTEGER) };
  }
  if (lhs.startsWith('metadata.')) {
    if (isList) return { lhs, comparison, value: readList(body.value, valuePath, /^.{0,256}$/s, 'a string') };
    if (ORDERING.includes(comparison))
      return { lhs, comparison, value: readNumber(body.value, valuePath, -1e15, 1e15) };
    if (typeof body.value === 'number')
      return { lhs, comparison, value: readNumber(body.value, valuePath, -1e15, 1e15) };
    return { lhs, comparison, value: readString(body.value, valuePath, /^.{0,256}$/s, 'a string or a number') };
  }
  if (ORDERING.includes(comparison)) {
    throw semanticError(`${path}.comparison`, `${lhs} takes equal, not_equal, in or not_in`);
  }
  const [pattern, expected, check] = VALUE_RULES[lhs as keyof typeof VALUE_RULES];
  const one = (v: unknown, p: string) => {
    const value = readString(v, p, pattern, expected);
    if (!check(value)) throw semanticError(p, `${value} is not a known ${lhs.replace(/_/g, ' ')}`);
    return value;
  };
  if (isList) {
    const values = readArray(body.value, valuePath, 1, LIMITS.values).map((v, i) => one(v, `${valuePath}[${i}]`));
    return { lhs, comparison, value: values };
  }
  return { lhs, comparison, value: one(body.value, valuePath) };
}

const VALUE_RULES = {
  currency: [/^[A-Z]{3}$/, 'an ISO 4217 currency code', (v: string) => isKnownCurrency(v)],
  country: [/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 country code (upper case)', () => true],
  payment_method: [
    /^[a-z_]{1,32}$/,
    'a payment method',
    (v: string) => (PAYMENT_METHODS as readonly string[]).includes(v),
  ],
  payment_method_type: [/^[a-z_]{1,32}$/, 'a payment method type', () => true],
} as const satisfies Record<string, readonly [RegExp, string, (v: string) => boolean]>;

function readList(raw: unknown, path: string, pattern: RegExp, expected: string): string[] {
  return readArray(raw, path, 1, LIMITS.values).map((v, i) => readString(v, `${path}[${i}]`, pattern, expected));
}

function parseSuccessRate(raw: unknown, path: string, refs: ChoiceRef[]) {
  const body = readObject(raw, path, ['connectors', ...Object.keys(SUCCESS_RATE_DEFAULTS)]);
  const d = SUCCESS_RATE_DEFAULTS;
  const params: SuccessRateParams = {
    window_size: optional(body.window_size, d.window_size, (v) => readInt(v, `${path}.window_size`, 10, 1000)),
    window_seconds: optional(body.window_seconds, d.window_seconds, (v) =>
      readInt(v, `${path}.window_seconds`, 60, 86_400),
    ),
    min_samples: optional(body.min_samples, d.min_samples, (v) => readInt(v, `${path}.min_samples`, 1, 1000)),
    exploration_percent: optional(body.exploration_percent, d.exploration_percent, (v) =>
      readNumber(v, `${path}.exploration_percent`, 0, 50),
    ),
    cold_floor: optional(body.cold_floor, d.cold_floor, (v) => readNumber(v, `${path}.cold_floor`, 0, 1)),
  };
  if (params.min_samples > params.window_size) {
    throw semanticError(`${path}.min_samples`, `must not exceed window_size (${params.window_size})`);
  }
  return { connectors: parseChoiceList(body.connectors, `${path}.connectors`, refs), ...params };
}

function readEnum<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T))
    throw formatError(path, `one of ${allowed.join(', ')}`);
  return value as T;
}
