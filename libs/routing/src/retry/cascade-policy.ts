import { RETRYABLE_ERRORS, RetryRule, retryVerdict } from './retryable-errors';

export interface FinishedAttempt {
  status: string;
  connector: string;
  redirectUrl: string | null;
  errorCode: string | null;
  unifiedCode: string | null;
}

export const DEFAULT_MAX_CASCADE_RETRIES = 1;

/**
 * Whether a just-finished authorization moves to the next eligible connector. Only a definite `failure` can: an unknown
 * outcome stays pending for the inquiry worker (retrying it elsewhere could charge twice), and once the shopper was sent
 * to a hosted page the payment is theirs to finish or abandon there.
 */
export function cascadeVerdict(
  attempt: FinishedAttempt,
  retriesDone: number,
  budget: number,
  table: readonly RetryRule[] = RETRYABLE_ERRORS,
): { cascade: boolean; why: string } {
  if (attempt.status !== 'failure') return { cascade: false, why: `attempt is ${attempt.status}` };
  if (attempt.redirectUrl) return { cascade: false, why: 'the shopper was already sent to the processor page' };
  const verdict = retryVerdict(attempt.connector, { code: attempt.errorCode, unifiedCode: attempt.unifiedCode }, table);
  if (!verdict.retry) return { cascade: false, why: verdict.why };
  if (retriesDone >= budget) return { cascade: false, why: `retry budget of ${budget} used` };
  return { cascade: true, why: `${attempt.errorCode ?? attempt.unifiedCode ?? 'error'}: ${verdict.why}` };
}
