import type { AccountFacts, Choice, CircuitView, PaymentFacts } from './routing.types';

export interface EligibilityContext {
  payment: PaymentFacts;
  circuits: Readonly<Record<string, CircuitView | undefined>>;
  /** Accounts already tried by this confirm's cascade → the attempt that tried them. */
  tried: Readonly<Record<string, string | undefined>>;
  /** The merchant's per-payment pin (`routing` / `connector`): accounts outside it are skipped. */
  pinned: readonly Choice[] | null;
  /** Panic mode: every otherwise eligible account had an open circuit, so circuits are not a reason this time. */
  ignoreCircuits: boolean;
}

export const CIRCUIT_OPEN_PREFIX = 'circuit open';

/**
 * Why an account cannot take this payment, or null when it can. The order is the order a human would check: the
 * account itself, then what the adapter supports, then the merchant's pin, then health.
 */
export function ineligibility(account: AccountFacts, ctx: EligibilityContext): string | null {
  const { payment } = ctx;
  const tried = ctx.tried[account.merchantConnectorId];
  if (tried) return `already tried for this payment (attempt ${tried})`;
  if (account.disabled) return 'connector account disabled';
  if (account.mode !== payment.mode) return `connector account is ${account.mode} mode, the payment is ${payment.mode}`;
  if (!account.registered) return 'connector not available in this build';
  if (account.currencies !== '*' && !account.currencies.includes(payment.currency)) {
    return `currency ${payment.currency} not supported`;
  }
  if (!account.amountRepresentable) return 'amount cannot be expressed exactly in the connector format';
  if (payment.captureMethod === 'manual' && !account.manualCapture) return 'manual capture not supported';
  if (payment.rawCard && !account.rawCards) return 'raw card data not accepted (server-to-server cards)';
  if (payment.paymentMethod && !account.paymentMethods.includes(payment.paymentMethod)) {
    return `payment method ${payment.paymentMethod} not supported`;
  }
  if (payment.paymentMethod && account.enabledPaymentMethods?.length) {
    if (!account.enabledPaymentMethods.includes(payment.paymentMethod)) {
      return `payment method ${payment.paymentMethod} not enabled on this account`;
    }
  }
  if (ctx.pinned && !ctx.pinned.some((choice) => choiceMatches(account, choice))) {
    return 'not in the merchant routing hint';
  }
  const circuit = ctx.circuits[account.merchantConnectorId];
  if (!ctx.ignoreCircuits && circuit?.state === 'open') {
    if (circuit.probing) return `${CIRCUIT_OPEN_PREFIX} (half-open: another request is probing it)`;
    return circuit.retryAt ? `${CIRCUIT_OPEN_PREFIX} (next probe after ${circuit.retryAt})` : CIRCUIT_OPEN_PREFIX;
  }
  return null;
}

export function choiceMatches(
  account: Pick<AccountFacts, 'merchantConnectorId' | 'connector'>,
  choice: Choice,
): boolean {
  if (choice.merchant_connector_id) return account.merchantConnectorId === choice.merchant_connector_id;
  return account.connector === choice.connector;
}
