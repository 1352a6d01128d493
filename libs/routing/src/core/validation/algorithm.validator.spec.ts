import { parseAlgorithm, parseChoiceList, parseStraightThrough, SUCCESS_RATE_DEFAULTS } from './algorithm.validator';
import { RoutingValidationError } from './json-reader';

const g = (id: string) => ({ connector: 'generic', merchant_connector_id: id });
const problem = (raw: unknown): RoutingValidationError => {
  try {
    parseAlgorithm(raw);
  } catch (error: unknown) {
    if (error instanceof RoutingValidationError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('routing algorithm validation', () => {
  it('accepts each algorithm and reports the choices it names, with their paths', () => {
    const { algorithm, refs } = parseAlgorithm({
      type: 'volume_split',
      data: [
        { connector: g('mca_a'), split: 70 },
        { connector: { connector: 'tap' }, split: 30 },
      ],
    });
    expect(algorithm.type).toBe('volume_split');
    expect(refs.map((r) => r.path)).toEqual(['algorithm.data[0].connector', 'algorithm.data[1].connector']);
    expect(parseAlgorithm({ type: 'single', data: g('mca_a') }).algorithm.type).toBe('single');
    expect(parseAlgorithm({ type: 'priority', data: [g('mca_a'), g('mca_b')] }).refs).toHaveLength(2);
  });

  it('fills success-rate defaults and keeps given parameters', () => {
    const { algorithm } = parseAlgorithm({
      type: 'success_rate',
      data: { connectors: [g('a'), g('b')], min_samples: 3 },
    });
    expect(algorithm).toEqual({
      type: 'success_rate',
      data: { connectors: [g('a'), g('b')], ...SUCCESS_RATE_DEFAULTS, min_samples: 3 },
    });
  });

  it('accepts advanced rules over every field', () => {
    const conditions = [
      { lhs: 'amount', comparison: 'greater_than', value: 100 },
      { lhs: 'currency', comparison: 'in', value: ['INR', 'USD'] },
      { lhs: 'payment_method', comparison: 'equal', value: 'card' },
      { lhs: 'payment_method_type', comparison: 'not_in', value: ['credit'] },
      { lhs: 'country', comparison: 'not_equal', value: 'IN' },
      { lhs: 'metadata.tier', comparison: 'less_than', value: 3 },
    ];
    const rules = conditions.map((condition, i) => ({
      name: `r${i}`,
      statements: [{ condition: [condition] }],
      connector_selection: { type: 'single', data: g('mca_a') },
    }));
    const { algorithm, refs } = parseAlgorithm({
      type: 'advanced',
      data: { rules, default_selection: { type: 'priority', data: [g('mca_b')] } },
    });
    expect(algorithm.type).toBe('advanced');
    expect(refs).toHaveLength(7);
  });

  it.each<[string, unknown, string, string]>([
    [
      'an unknown type',
      { type: 'random', data: [] },
      'format',
      'algorithm.type contains invalid data. Expected format is one of single, priority, volume_split, advanced, success_rate',
    ],
    ['an empty split', { type: 'volume_split', data: [] }, 'semantic', 'algorithm.data: must not be empty'],
    [
      'percentages not adding up to 100',
      {
        type: 'volume_split',
        data: [
          { connector: g('a'), split: 60 },
          { connector: g('b'), split: 30 },
        ],
      },
      'semantic',
      'algorithm.data: volume split percentages add up to 90, they must add up to 100',
    ],
    [
      'a split above 100',
      { type: 'volume_split', data: [{ connector: g('a'), split: 120 }] },
      'format',
      'algorithm.data[0].split contains invalid data. Expected format is an integer from 0 to 100',
    ],
    [
      'an account named twice',
      { type: 'priority', data: [g('a'), g('a')] },
      'semantic',
      'algorithm.data[1]: names the same connector account twice',
    ],
    [
      'an unknown field',
      { type: 'single', data: { connector: 'generic', weight: 1 } },
      'format',
      'algorithm.data.weight contains invalid data. Expected format is no such field (allowed: connector, merchant_connector_id)',
    ],
    [
      'a bad connector name',
      { type: 'single', data: { connector: 'Generic!' } },
      'format',
      'algorithm.data.connector contains invalid data. Expected format is a connector name',
    ],
    [
      'an empty rule list',
      { type: 'advanced', data: { rules: [] } },
      'semantic',
      'algorithm.data.rules: must not be empty',
    ],
  ])('refuses %s', (_what, raw, kind, message) => {
    const error = problem(raw);
    expect(error.kind).toBe(kind);
    expect(error.message).toBe(message);
  });

  const ruleWith = (condition: unknown) => ({
    type: 'advanced',
    data: {
      rules: [
        {
          name: 'ok',
          statements: [{ condition: [{ lhs: 'amount', comparison: 'equal', value: 1 }] }],
          connector_selection: { type: 'single', data: g('a') },
        },
        {
          name: 'bad',
          statements: [{ condition: [condition] }],
          connector_selection: { type: 'single', data: g('a') },
        },
      ],
    },
  });
  const at = 'algorithm.data.rules[1].statements[0].condition[0]';

  it.each<[string, unknown, string]>([
    [
      'an unknown field to compare',
      { lhs: 'shoe_size', comparison: 'equal', value: 1 },
      `${at}.lhs contains invalid data. Expected format is one of amount, currency, payment_method, payment_method_type, country, metadata.<key>`,
    ],
    [
      'an unknown comparison',
      { lhs: 'amount', comparison: 'bigger', value: 1 },
      `${at}.comparison contains invalid data. Expected format is one of equal, not_equal, less_than, less_than_equal, greater_than, greater_than_equal, in, not_in`,
    ],
    [
      'a list comparison on amount',
      { lhs: 'amount', comparison: 'in', value: [1] },
      `${at}.comparison: amount takes equal, not_equal or an ordering comparison`,
    ],
    [
      'an ordering on currency',
      { lhs: 'currency', comparison: 'less_than', value: 'USD' },
      `${at}.comparison: currency takes equal, not_equal, in or not_in`,
    ],
    [
      'an unknown currency',
      { lhs: 'currency', comparison: 'equal', value: 'XYZ' },
      `${at}.value: XYZ is not a known currency`,
    ],
    [
      'a lower-case country',
      { lhs: 'country', comparison: 'equal', value: 'in' },
      `${at}.value contains invalid data. Expected format is an ISO 3166 alpha-2 country code (upper case)`,
    ],
    [
      'an unknown payment method',
      { lhs: 'payment_method', comparison: 'in', value: ['card', 'cash'] },
      `${at}.value[1]: cash is not a known payment method`,
    ],
    [
      'a non-integer amount',
      { lhs: 'amount', comparison: 'greater_than', value: 10.5 },
      `${at}.value contains invalid data. Expected format is an integer from 0 to 9007199254740991`,
    ],
    ['an empty in-list', { lhs: 'metadata.tier', comparison: 'in', value: [] }, `${at}.value: must not be empty`],
  ])('refuses a rule with %s, naming the path', (_what, condition, message) => {
    expect(problem(ruleWith(condition)).message).toBe(message);
  });

  it('refuses duplicate rule names and a min_samples above the window', () => {
    const rules = ruleWith({ lhs: 'amount', comparison: 'equal', value: 2 });
    (rules.data.rules[1] as { name: string }).name = 'ok';
    expect(problem(rules).message).toBe('algorithm.data.rules[1].name: duplicate rule name ok');
    expect(
      problem({ type: 'success_rate', data: { connectors: [g('a')], window_size: 10, min_samples: 20 } }).message,
    ).toBe('algorithm.data.min_samples: must not exceed window_size (10)');
  });

  it('validates the per-payment pin and fallback lists with the same rules', () => {
    expect(parseStraightThrough({ type: 'priority', data: [{ connector: 'generic' }] })).toEqual({
      type: 'priority',
      data: [{ connector: 'generic' }],
    });
    expect(() => parseStraightThrough({ type: 'advanced', data: {} })).toThrow(
      'routing.type contains invalid data. Expected format is one of single, priority, volume_split',
    );
    expect(() => parseChoiceList([], 'default_fallback', [])).toThrow('default_fallback: must not be empty');
  });
});
