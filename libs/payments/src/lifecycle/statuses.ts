import type { AttemptStatus } from '@switchyard/connectors';

export type IntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'processing'
  | 'requires_customer_action'
  | 'requires_capture'
  | 'requires_merchant_action'
  | 'succeeded'
  | 'partially_captured'
  | 'failed'
  | 'cancelled'
  | 'expired';

/**
 * THE transition table for attempts. Anything not listed is refused (IR_14 for API calls; recorded and ignored for late
 * connector news). Terminal statuses have no way out.
 */
export const ATTEMPT_TRANSITIONS: Readonly<Record<AttemptStatus, readonly AttemptStatus[]>> = {
  started: [
    'pending',
    'authentication_pending',
    'authorizing',
    'authorized',
    'charged',
    'partial_charged',
    'failure',
    'router_declined',
    'voided',
  ],
  pending: ['authentication_pending', 'authorizing', 'authorized', 'charged', 'partial_charged', 'failure', 'voided'],
  authorizing: ['pending', 'authentication_pending', 'authorized', 'charged', 'partial_charged', 'failure', 'voided'],
  authentication_pending: ['pending', 'authorizing', 'authorized', 'charged', 'partial_charged', 'failure', 'voided'],
  authorized: ['capture_initiated', 'charged', 'partial_charged', 'void_initiated', 'voided'],
  // back to authorized when the connector says the capture never happened (a timed-out capture request)
  capture_initiated: ['charged', 'partial_charged', 'capture_failed', 'authorized'],
  capture_failed: ['capture_initiated', 'charged', 'partial_charged'],
  void_initiated: ['voided', 'authorized'],
  charged: [],
  partial_charged: [],
  voided: [],
  failure: [],
  router_declined: [],
};

export function canTransition(from: AttemptStatus, to: AttemptStatus): boolean {
  return ATTEMPT_TRANSITIONS[from].includes(to);
}

export function isTerminalAttempt(status: AttemptStatus): boolean {
  return ATTEMPT_TRANSITIONS[status].length === 0;
}

/** States the inquiry worker keeps polling. */
export function needsSync(status: AttemptStatus): boolean {
  return [
    'started',
    'pending',
    'authorizing',
    'authentication_pending',
    'capture_initiated',
    'void_initiated',
  ].includes(status);
}

/** The intent's status follows its active attempt (Hyperswitch's mapping). */
export function intentStatusFor(attempt: AttemptStatus): IntentStatus {
  switch (attempt) {
    case 'started':
    case 'pending':
    case 'authorizing':
    case 'capture_initiated':
      return 'processing';
    case 'authentication_pending':
      return 'requires_customer_action';
    case 'authorized':
    case 'capture_failed':
    case 'void_initiated':
      return 'requires_capture';
    case 'charged':
      return 'succeeded';
    case 'partial_charged':
      return 'partially_captured';
    case 'voided':
      return 'cancelled';
    case 'failure':
    case 'router_declined':
      return 'failed';
  }
}

/** Merchant event for an intent status (hyperswitch-api.md §7); null where none is sent. */
export function eventTypeFor(status: IntentStatus): string | null {
  switch (status) {
    case 'succeeded':
      return 'payment_succeeded';
    case 'failed':
    case 'expired':
      return 'payment_failed';
    case 'processing':
      return 'payment_processing';
    case 'requires_customer_action':
    case 'requires_merchant_action':
      return 'action_required';
    case 'cancelled':
      return 'payment_cancelled';
    case 'partially_captured':
      return 'payment_captured';
    case 'requires_capture':
      return 'payment_authorized';
    case 'requires_payment_method':
    case 'requires_confirmation':
      return null;
  }
}

export const CONFIRMABLE: readonly IntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'failed'];
export const CANCELLABLE_WITHOUT_CONNECTOR: readonly IntentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
];
