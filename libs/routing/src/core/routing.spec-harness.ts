import { SUCCESS_RATE_DEFAULTS } from './validation/algorithm.validator';
import type { RouteInput } from './decide';
import type { AccountFacts, PaymentFacts, SuccessRateParams } from './routing.types';

/** Builders for routing unit and property tests. */
export function payment(overrides: Partial<PaymentFacts> = {}): PaymentFacts {
  return {
    paymentId: 'pay_test_1',
    amount: 1000,
    currency: 'USD',
    captureMethod: 'automatic',
    paymentMethod: null,
    paymentMethodType: null,
    country: null,
    metadata: {},
    mode: 'test',
    ...overrides,
  };
}

export function account(id: string, overrides: Partial<AccountFacts> = {}): AccountFacts {
  return {
    merchantConnectorId: id,
    connector: 'generic',
    mode: 'test',
    disabled: false,
    registered: true,
    currencies: '*',
    paymentMethods: ['card', 'wallet', 'bank_redirect'],
    manualCapture: false,
    amountRepresentable: true,
    enabledPaymentMethods: null,
    ...overrides,
  };
}

export function input(overrides: Partial<RouteInput> = {}): RouteInput {
  return {
    payment: payment(),
    seed: 'pay_test_1_1',
    accounts: [account('mca_a'), account('mca_b'), account('mca_c')],
    algorithm: null,
    fallback: null,
    circuits: {},
    stats: {},
    tried: {},
    ...overrides,
  };
}

export function srParams(overrides: Partial<SuccessRateParams> = {}): SuccessRateParams {
  return { ...SUCCESS_RATE_DEFAULTS, ...overrides };
}

export const pick = (id: string) => ({ connector: 'generic', merchant_connector_id: id });
