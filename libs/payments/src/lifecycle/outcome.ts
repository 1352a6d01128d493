import type { AttemptStatus, ConnectorPaymentResult } from '@switchyard/connectors';
import type { PaymentAttemptEntity, PaymentIntentEntity } from '@switchyard/database';
import type { EventSource, Mutation } from '../payments.repository';
import { canTransition, intentStatusFor } from './statuses';

const SUCCESSFUL: readonly AttemptStatus[] = ['charged', 'partial_charged', 'authorized'];

/**
 * Turns what a connector said into a change of attempt and intent, through the transition table. Pure: the repository
 * re-runs it on the freshest rows after a lost race.
 * - A status the table does not allow (late or reordered news) is recorded as `transition_rejected`, nothing else.
 * - Success only when the connector's amount and currency (when it reports them) equal what was asked; otherwise the
 *   attempt takes the connector's status but the intent is parked in `requires_merchant_action` and an alert is raised.
 */
export function decideOutcome(
  attempt: PaymentAttemptEntity,
  intent: PaymentIntentEntity,
  result: ConnectorPaymentResult,
  source: EventSource,
): Mutation | null {
  const from = attempt.status as AttemptStatus;
  const to = result.status;
  const fieldPatch: Partial<PaymentAttemptEntity> = {};
  if (result.connectorTransactionId && result.connectorTransactionId !== attempt.connectorTransactionId) {
    fieldPatch.connectorTransactionId = result.connectorTransactionId;
  }
  if (result.redirectUrl && result.redirectUrl !== attempt.redirectUrl) fieldPatch.redirectUrl = result.redirectUrl;

  if (to === from) {
    return Object.keys(fieldPatch).length ? { attempt: fieldPatch, events: [] } : null;
  }
  if (!canTransition(from, to)) {
    return {
      events: [
        {
          eventType: 'transition_rejected',
          fromStatus: from,
          toStatus: to,
          source,
          details: { reason: `attempt ${from} cannot become ${to}`, raw_status: result.rawStatus ?? null },
        },
      ],
    };
  }

  const attemptPatch: Partial<PaymentAttemptEntity> = { ...fieldPatch, status: to };
  const intentPatch: Partial<PaymentIntentEntity> = { status: intentStatusFor(to) };
  if (result.error) {
    attemptPatch.errorCode = result.error.code;
    attemptPatch.errorMessage = result.error.message;
    attemptPatch.unifiedCode = result.error.unifiedCode;
    attemptPatch.unifiedMessage = result.error.unifiedMessage;
  }
  switch (to) {
    case 'authorized':
      attemptPatch.amountCapturable = attempt.amount;
      intentPatch.amountCapturable = attempt.amount;
      break;
    case 'charged':
    case 'partial_charged': {
      const received = result.amountCaptured ?? (to === 'charged' ? attempt.amount : attempt.amountReceived);
      attemptPatch.amountReceived = received;
      attemptPatch.amountCapturable = 0;
      intentPatch.amountReceived = received;
      intentPatch.amountCapturable = 0;
      break;
    }
    case 'voided':
    case 'failure':
    case 'router_declined':
      attemptPatch.amountCapturable = 0;
      intentPatch.amountCapturable = 0;
      if (to === 'voided' && result.error) intentPatch.cancellationReason = result.error.message;
      break;
    case 'started':
    case 'pending':
    case 'authorizing':
    case 'authentication_pending':
    case 'capture_initiated':
    case 'capture_failed':
    case 'void_initiated':
      break;
  }

  const events: Mutation['events'] = [
    {
      eventType: 'attempt_status_changed',
      fromStatus: from,
      toStatus: to,
      source,
      details: {
        raw_status: result.rawStatus ?? null,
        error_code: result.error?.code ?? null,
        intent_status: intentPatch.status,
      },
    },
  ];

  const mismatch = SUCCESSFUL.includes(to) ? amountMismatch(attempt, result) : null;
  if (mismatch) {
    intentPatch.status = 'requires_merchant_action';
    events.push({
      eventType: 'amount_mismatch',
      fromStatus: intent.status,
      toStatus: 'requires_merchant_action',
      source,
      details: mismatch,
    });
  } else if (intent.status === 'requires_merchant_action') {
    // Parked payments stay parked until ops resolve them; the attempt still records what the connector said.
    delete intentPatch.status;
  }
  return { attempt: attemptPatch, intent: intentPatch, events };
}

function amountMismatch(attempt: PaymentAttemptEntity, result: ConnectorPaymentResult): Record<string, unknown> | null {
  const amountDiffers = result.amount !== undefined && result.amount !== null && result.amount !== attempt.amount;
  const currencyDiffers = !!result.currency && result.currency.toUpperCase() !== attempt.currency;
  if (!amountDiffers && !currencyDiffers) return null;
  return {
    expected_amount: attempt.amount,
    expected_currency: attempt.currency,
    connector_amount: result.amount ?? null,
    connector_currency: result.currency ?? null,
  };
}
