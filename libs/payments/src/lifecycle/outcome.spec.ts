import type { PaymentAttemptEntity, PaymentIntentEntity } from '@switchyard/database';
import { decideOutcome } from './outcome';
import { ATTEMPT_TRANSITIONS, canTransition, intentStatusFor } from './statuses';

const attempt = (status: string, extra: Partial<PaymentAttemptEntity> = {}) =>
  ({
    attemptId: 'pay_1_1',
    status,
    amount: 1000,
    currency: 'USD',
    amountReceived: 0,
    connectorTransactionId: 'tx',
    redirectUrl: null,
    ...extra,
  }) as PaymentAttemptEntity;
const intent = (status: string) => ({ paymentId: 'pay_1', status, activeAttemptId: 'pay_1_1' }) as PaymentIntentEntity;

describe('the transition table', () => {
  it('lets nothing out of a terminal attempt status', () => {
    for (const terminal of ['charged', 'failure', 'voided', 'router_declined'] as const) {
      expect(ATTEMPT_TRANSITIONS[terminal]).toEqual([]);
    }
  });

  it('never goes from a failure to a success or back', () => {
    expect(canTransition('failure', 'charged')).toBe(false);
    expect(canTransition('charged', 'failure')).toBe(false);
    expect(canTransition('pending', 'charged')).toBe(true);
  });

  it('derives the intent status from the attempt', () => {
    expect(intentStatusFor('authentication_pending')).toBe('requires_customer_action');
    expect(intentStatusFor('authorized')).toBe('requires_capture');
    expect(intentStatusFor('charged')).toBe('succeeded');
    expect(intentStatusFor('pending')).toBe('processing');
  });
});

describe('decideOutcome', () => {
  it('marks success only with a matching amount and currency', () => {
    const m = decideOutcome(
      attempt('authentication_pending'),
      intent('requires_customer_action'),
      { status: 'charged', amount: 1000, currency: 'USD' },
      'sync',
    );
    expect(m?.intent).toMatchObject({ status: 'succeeded', amountReceived: 1000, amountCapturable: 0 });
    expect(m?.attempt).toMatchObject({ status: 'charged' });
  });

  it('parks the payment when the connector reports another amount', () => {
    const m = decideOutcome(
      attempt('authentication_pending'),
      intent('requires_customer_action'),
      { status: 'charged', amount: 999, currency: 'USD' },
      'webhook',
    );
    expect(m?.intent?.status).toBe('requires_merchant_action');
    expect(m?.events.map((e) => e.eventType)).toContain('amount_mismatch');
  });

  it('parks the payment when the connector reports another currency', () => {
    const m = decideOutcome(
      attempt('pending'),
      intent('processing'),
      { status: 'charged', amount: 1000, currency: 'EUR' },
      'sync',
    );
    expect(m?.intent?.status).toBe('requires_merchant_action');
  });

  it('records late news for a terminal attempt without applying it', () => {
    const m = decideOutcome(attempt('charged'), intent('succeeded'), { status: 'failure' }, 'webhook');
    expect(m?.attempt).toBeUndefined();
    expect(m?.intent).toBeUndefined();
    expect(m?.events[0]).toMatchObject({
      eventType: 'transition_rejected',
      fromStatus: 'charged',
      toStatus: 'failure',
    });
  });

  it('changes nothing when the status is unchanged and nothing new is known', () => {
    expect(decideOutcome(attempt('pending'), intent('processing'), { status: 'pending' }, 'sync')).toBeNull();
  });

  it('copies connector errors onto a failed attempt', () => {
    const error = { code: 'D05', message: 'Do not honour', unifiedCode: 'UE_1000', unifiedMessage: 'declined' };
    const m = decideOutcome(attempt('pending'), intent('processing'), { status: 'failure', error }, 'sync');
    expect(m?.attempt).toMatchObject({ status: 'failure', errorCode: 'D05', unifiedCode: 'UE_1000' });
    expect(m?.intent?.status).toBe('failed');
  });
});
