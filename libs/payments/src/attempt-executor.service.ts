import { Injectable, Logger } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import { ConnectorTiming, DomainError, timed } from '@switchyard/common';
import {
  AttemptStatus,
  ConnectorOutcomeUnknownError,
  ConnectorPaymentResult,
  ConnectorRegistry,
  ConnectorRequestError,
} from '@switchyard/connectors';
import { PaymentAttemptEntity, PaymentIntentEntity } from '@switchyard/database';
import { ConnectorAccountsService } from '@switchyard/merchants';
import { RoutingFeedback } from '@switchyard/routing';
import { decideOutcome } from './lifecycle/outcome';
import { needsSync } from './lifecycle/statuses';
import { EventSource, PaymentsRepository } from './payments.repository';
import { SyncScheduler } from './sync/sync-scheduler';

const parkedPayments =
  (register.getSingleMetric('switchyard_payments_parked_total') as Counter<'connector'> | undefined) ??
  new Counter({
    name: 'switchyard_payments_parked_total',
    help: 'Payments parked in requires_merchant_action because the connector reported another amount or currency',
    labelNames: ['connector'],
  });

/**
 * Calls a connector for an attempt and applies the answer. Unknown outcomes never become a guess: the attempt keeps or
 * takes a pending status and an inquiry is scheduled.
 */
@Injectable()
export class AttemptExecutor {
  private readonly logger = new Logger('AttemptExecutor');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly registry: ConnectorRegistry,
    private readonly accounts: ConnectorAccountsService,
    private readonly scheduler: SyncScheduler,
    private readonly feedback: RoutingFeedback,
  ) {}

  /**
   * Runs one connector call. `onUnknown` is the status to record when the outcome is unknown (pending for an
   * authorization, capture_initiated for a capture…); null keeps the current status.
   */
  async run(
    attempt: PaymentAttemptEntity,
    call: (ctx: ReturnType<ConnectorAccountsService['context']>) => Promise<ConnectorPaymentResult>,
    source: EventSource,
    onUnknown: AttemptStatus | null,
    timing?: ConnectorTiming,
  ): Promise<{ attempt: PaymentAttemptEntity; intent: PaymentIntentEntity }> {
    return this.apply(attempt, await this.call(attempt, call, onUnknown, null, timing), source);
  }

  /**
   * Makes one connector call and reads its outcome without applying it (the payments service decides on a cascading
   * retry first). An authorization call also tells routing whether the connector answered (circuit breaker); `probe`
   * is the half-open probe token when this call is one. `timing`: the API request's connector-time account.
   */
  async call(
    attempt: PaymentAttemptEntity,
    call: (ctx: ReturnType<ConnectorAccountsService['context']>) => Promise<ConnectorPaymentResult>,
    onUnknown: AttemptStatus | null,
    probe: string | null = null,
    timing?: ConnectorTiming,
  ): Promise<ConnectorPaymentResult> {
    const account = await this.accounts.get(attempt.merchantId, attempt.merchantConnectorId);
    const authorizing = attempt.status === 'started';
    const answered = (yes: boolean) =>
      authorizing ? this.feedback.authorizationCall(account.merchantConnectorId, yes, probe) : Promise.resolve();
    try {
      const result = await timed(timing, () => call(this.accounts.context(account)));
      await answered(true);
      return result;
    } catch (error: unknown) {
      if (error instanceof ConnectorRequestError) {
        await answered(true);
        if (!authorizing) {
          // A refused capture, void or inquiry changes nothing: the payment keeps its status and the caller is told.
          this.logger.warn({
            msg: 'connector refused the request',
            attemptId: attempt.attemptId,
            code: error.error.code,
          });
          throw new DomainError('ConnectorError', `${error.error.code}: ${error.error.message}`, {
            connector: error.connector,
          });
        }
        // A definite refusal of a new authorization: nothing was charged.
        return { status: 'failure', error: error.error, rawStatus: `refused: HTTP ${error.httpStatus}` };
      }
      await answered(false);
      const reason = error instanceof ConnectorOutcomeUnknownError ? error.reason : 'unexpected error';
      if (!(error instanceof ConnectorOutcomeUnknownError)) {
        this.logger.error({
          msg: 'connector call crashed; outcome treated as unknown',
          attemptId: attempt.attemptId,
          error: String(error),
        });
      }
      return { status: onUnknown ?? (attempt.status as AttemptStatus), rawStatus: `unknown: ${reason}` };
    }
  }

  /**
   * Applies a connector answer (from a call, an inquiry or a verified webhook) and keeps polling while non-terminal.
   * `intent`: the attempt's intent as this request just wrote it, with `attempt` as just written too (no re-read of
   * either; their versions are still checked).
   */
  async apply(
    attempt: PaymentAttemptEntity,
    result: ConnectorPaymentResult,
    source: EventSource,
    intent?: PaymentIntentEntity,
  ): Promise<{ attempt: PaymentAttemptEntity; intent: PaymentIntentEntity }> {
    let before: AttemptStatus = attempt.status as AttemptStatus;
    const outcome = await this.repo.mutate(
      attempt.merchantId,
      attempt.attemptId,
      (fresh, current) => {
        before = fresh.status as AttemptStatus;
        return decideOutcome(fresh, current, result, source);
      },
      intent ? { attempt, intent } : undefined,
    );
    if (outcome.applied) {
      await this.feedback.attemptChanged(
        attempt.merchantConnectorId,
        before,
        outcome.attempt.status as AttemptStatus,
        outcome.attempt.unifiedCode,
      );
    }
    if (outcome.applied && outcome.intent.status === 'requires_merchant_action') {
      parkedPayments.inc({ connector: attempt.connector });
      this.logger.error({
        msg: 'ALERT amount or currency mismatch: payment parked',
        paymentId: outcome.intent.paymentId,
        attemptId: attempt.attemptId,
      });
    }
    if (needsSync(outcome.attempt.status as AttemptStatus) && source !== 'sync') {
      await this.scheduler.schedulePayment({
        merchantId: attempt.merchantId,
        paymentId: attempt.paymentId,
        attemptId: attempt.attemptId,
        round: 0,
        connector: attempt.connector,
      });
    }
    return outcome;
  }

  /** Server-side inquiry: the only way a redirect or a poll learns the outcome. */
  async sync(
    attempt: PaymentAttemptEntity,
    source: EventSource,
    timing?: ConnectorTiming,
  ): Promise<{ attempt: PaymentAttemptEntity; intent: PaymentIntentEntity }> {
    const connector = this.registry.get(attempt.connector);
    return this.run(
      attempt,
      (ctx) =>
        connector.sync(ctx, {
          attemptId: attempt.attemptId,
          connectorTransactionId: attempt.connectorTransactionId,
          amount: attempt.amount,
          currency: attempt.currency,
          captureMethod: attempt.captureMethod === 'manual' ? 'manual' : 'automatic',
        }),
      source,
      null,
      timing,
    );
  }
}
