import { EligibilityContext, ineligibility } from './eligibility';
import { account, payment } from './routing.spec-harness';

const ctx = (overrides: Partial<EligibilityContext> = {}): EligibilityContext => ({
  payment: payment(),
  circuits: {},
  tried: {},
  pinned: null,
  ignoreCircuits: false,
  ...overrides,
});

describe('eligibility', () => {
  it('accepts an account that can take the payment', () => {
    expect(ineligibility(account('mca_a'), ctx())).toBeNull();
  });

  it('accepts raw card data only where the adapter takes raw cards', () => {
    const card = ctx({ payment: payment({ rawCard: true, paymentMethod: 'card' }) });
    expect(ineligibility(account('mca_a', { rawCards: true }), card)).toBeNull();
    expect(ineligibility(account('mca_a'), card)).toMatch(/raw card/);
    expect(ineligibility(account('mca_a', { rawCards: false }), ctx())).toBeNull();
  });

  it.each([
    [
      'an account already tried by this cascade',
      account('mca_a'),
      ctx({ tried: { mca_a: 'pay_1_1' } }),
      'already tried for this payment (attempt pay_1_1)',
    ],
    ['a disabled account', account('mca_a', { disabled: true }), ctx(), 'connector account disabled'],
    [
      'raw card data for an adapter without raw card support',
      account('mca_a', { rawCards: false }),
      ctx({ payment: payment({ rawCard: true, paymentMethod: 'card' }) }),
      'raw card data not accepted (server-to-server cards)',
    ],
    [
      'an account of the other mode',
      account('mca_a', { mode: 'live' }),
      ctx(),
      'connector account is live mode, the payment is test',
    ],
    [
      'a connector this build lacks',
      account('mca_a', { registered: false }),
      ctx(),
      'connector not available in this build',
    ],
    ['an unsupported currency', account('mca_a', { currencies: ['INR'] }), ctx(), 'currency USD not supported'],
    [
      'an amount the connector cannot express',
      account('mca_a', { amountRepresentable: false }),
      ctx(),
      'amount cannot be expressed exactly in the connector format',
    ],
    [
      'manual capture where unsupported',
      account('mca_a'),
      ctx({ payment: payment({ captureMethod: 'manual' }) }),
      'manual capture not supported',
    ],
    [
      'an unsupported payment method',
      account('mca_a'),
      ctx({ payment: payment({ paymentMethod: 'upi' }) }),
      'payment method upi not supported',
    ],
    [
      'a method the account has not enabled',
      account('mca_a', { enabledPaymentMethods: ['wallet'] }),
      ctx({ payment: payment({ paymentMethod: 'card' }) }),
      'payment method card not enabled on this account',
    ],
    [
      'an account outside the merchant pin',
      account('mca_a'),
      ctx({ pinned: [{ connector: 'tap' }] }),
      'not in the merchant routing hint',
    ],
    [
      'an open circuit',
      account('mca_a'),
      ctx({ circuits: { mca_a: { state: 'open', retryAt: '2030-01-01T00:00:00.000Z' } } }),
      'circuit open (next probe after 2030-01-01T00:00:00.000Z)',
    ],
    [
      'a circuit whose probe is in flight',
      account('mca_a'),
      ctx({ circuits: { mca_a: { state: 'open', probing: true } } }),
      'circuit open (half-open: another request is probing it)',
    ],
  ])('skips %s', (_what, acc, context, reason) => {
    expect(ineligibility(acc, context)).toBe(reason);
  });

  it('lets a half-open circuit through (the caller must win its probe)', () => {
    expect(ineligibility(account('mca_a'), ctx({ circuits: { mca_a: { state: 'half_open' } } }))).toBeNull();
  });

  it('ignores open circuits in panic mode', () => {
    const open = ctx({ circuits: { mca_a: { state: 'open' } }, ignoreCircuits: true });
    expect(ineligibility(account('mca_a'), open)).toBeNull();
  });

  it('pins by account id before connector name', () => {
    const pinned = ctx({ pinned: [{ connector: 'generic', merchant_connector_id: 'mca_b' }] });
    expect(ineligibility(account('mca_a'), pinned)).toBe('not in the merchant routing hint');
    expect(ineligibility(account('mca_b'), pinned)).toBeNull();
  });
});
