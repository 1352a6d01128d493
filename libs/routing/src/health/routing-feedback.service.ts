import { Injectable } from '@nestjs/common';
import type { AttemptStatus } from '@switchyard/connectors';
import { CircuitBreakerService } from './circuit-breaker.service';
import { AttemptOutcome, SuccessRateWindow } from './success-rate.window';

/** Statuses of an attempt whose authorization is still open. */
const AUTHORIZING: readonly AttemptStatus[] = ['started', 'pending', 'authorizing', 'authentication_pending'];

/**
 * What routing learns from payments: the attempt executor reports each authorization call (for the circuit breaker)
 * and each authorization outcome (for success-rate routing). Never throws: learning must not fail a payment.
 */
@Injectable()
export class RoutingFeedback {
  constructor(
    private readonly breaker: CircuitBreakerService,
    private readonly window: SuccessRateWindow,
  ) {}

  /** An authorization call came back with an answer (`answered`), or timed out / got a 5xx / an unreadable body. */
  async authorizationCall(accountId: string, answered: boolean, probe: string | null): Promise<void> {
    await this.breaker.record(accountId, answered ? 'success' : 'failure', probe);
    if (!answered) await this.window.record(accountId, 'unknown');
  }

  /** An applied change of an attempt: counts when it settles the authorization. */
  async attemptChanged(
    accountId: string,
    from: AttemptStatus,
    to: AttemptStatus,
    unifiedCode: string | null,
  ): Promise<void> {
    const outcome = authorizationOutcome(from, to, unifiedCode);
    if (outcome) await this.window.record(accountId, outcome);
  }
}

/**
 * The success-rate meaning of an attempt change, or null when it says nothing about the processor: captures and voids
 * of an authorized payment, a shopper cancelling or letting the session expire.
 */
export function authorizationOutcome(
  from: AttemptStatus,
  to: AttemptStatus,
  unifiedCode: string | null,
): AttemptOutcome | null {
  if (!AUTHORIZING.includes(from)) return null;
  switch (to) {
    case 'authorized':
    case 'charged':
    case 'partial_charged':
      return 'success';
    case 'failure':
    case 'router_declined':
      return unifiedCode === 'UE_1001' || unifiedCode === 'UE_1002' ? null : 'failure';
    case 'voided':
    case 'started':
    case 'pending':
    case 'authorizing':
    case 'authentication_pending':
    case 'capture_initiated':
    case 'capture_failed':
    case 'void_initiated':
      return null;
  }
}
