import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError } from '@switchyard/common';
import { AttemptStatus } from '@switchyard/connectors';
import { PaymentSyncJob, RefundSyncJob } from '@switchyard/queue';
import { AttemptExecutor } from '../attempt-executor.service';
import { connectorErrorExpired } from '../lifecycle/expiry';
import { needsSync } from '../lifecycle/statuses';
import { PaymentsRepository } from '../payments.repository';
import { RefundsService } from '../refunds.service';
import { SyncScheduler } from './sync-scheduler';

/**
 * One inquiry round for an attempt (payment-sync queue). Keeps polling on the schedule while the attempt is not terminal;
 * once the payment is past its lifetime, a final inquiry decides, and only an attempt that never reached the connector
 * (no connector reference: the shopper never got a payment page) is closed as failed without the connector's word.
 */
@Injectable()
export class PaymentSyncHandler {
  private readonly logger = new Logger('PaymentSync');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly executor: AttemptExecutor,
    private readonly scheduler: SyncScheduler,
    private readonly refunds: RefundsService,
    private readonly clock: Clock,
  ) {}

  async syncPayment(job: PaymentSyncJob): Promise<string> {
    const attempt = await this.repo.findAttempt(job.merchantId, job.attemptId);
    if (!attempt || !needsSync(attempt.status as AttemptStatus)) return 'terminal';
    await this.repo.incrementSyncCount(job.merchantId, job.attemptId);
    let outcome;
    try {
      outcome = await this.executor.sync(attempt, 'sync');
    } catch (error: unknown) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn({ msg: 'inquiry refused by connector', attemptId: attempt.attemptId, code: error.code });
      outcome = { attempt, intent: await this.repo.findIntent(job.merchantId, job.paymentId) };
    }
    if (!needsSync(outcome.attempt.status as AttemptStatus)) return outcome.attempt.status;
    if (this.clock.now().getTime() >= outcome.intent.expiresAt.getTime()) {
      if (!outcome.attempt.connectorTransactionId) {
        await this.executor.apply(
          outcome.attempt,
          { status: 'failure', error: connectorErrorExpired(), rawStatus: 'expired' },
          'worker',
        );
        return 'expired';
      }
      this.logger.error({
        msg: 'ALERT payment past its lifetime is still unresolved at the connector',
        paymentId: job.paymentId,
      });
    }
    await this.scheduler.schedulePayment({ ...job, round: job.round + 1 });
    return outcome.attempt.status;
  }

  /**
   * Safety net for "nothing lost on a crash": a non-terminal attempt untouched for longer than the widest poll interval
   * (plus a margin) lost its inquiry chain — the process died between the connector call and the enqueue, or Redis was
   * down — and gets a new one.
   */
  async sweep(): Promise<number> {
    const idleSeconds = Math.ceil(this.scheduler.maxDelayMs() / 1000) + 120;
    const lost = await this.repo.idleUnsyncedAttempts(idleSeconds, 500);
    for (const attempt of lost) {
      await this.scheduler.reschedulePayment({
        merchantId: attempt.merchantId,
        paymentId: attempt.paymentId,
        attemptId: attempt.attemptId,
        round: attempt.syncCount,
        connector: attempt.connector,
      });
    }
    if (lost.length) this.logger.warn({ msg: 'inquiry chains re-created for idle attempts', count: lost.length });
    return lost.length;
  }

  async syncRefund(job: RefundSyncJob): Promise<string> {
    const refund = await this.refunds.find(job.merchantId, job.refundId);
    if (refund.status !== 'pending') return refund.status;
    const updated = await this.refunds.sync(refund, 'worker');
    if (updated.status === 'pending') await this.scheduler.scheduleRefund({ ...job, round: job.round + 1 });
    return updated.status;
  }
}
