import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { JobName, PaymentSyncJob, QueueName, RefundSyncJob } from '@switchyard/queue';

/**
 * Schedules inquiries for non-terminal attempts and refunds. Job ids are fixed per (attempt, round) so a retry of the
 * scheduling call never doubles the polling.
 */
@Injectable()
export class SyncScheduler {
  private readonly logger = new Logger('SyncScheduler');
  private readonly scheduleMs: number[];

  constructor(
    @InjectQueue(QueueName.PaymentSync) private readonly paymentQueue: Queue<PaymentSyncJob>,
    @InjectQueue(QueueName.RefundSync) private readonly refundQueue: Queue<RefundSyncJob>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.scheduleMs = config.PAYMENT_SYNC_SCHEDULE.split(',').map((s) => Number(s) * 1000);
  }

  /** Delay before inquiry number `round` (0-based); the last interval repeats until the payment expires. */
  delayFor(round: number): number {
    return this.scheduleMs[Math.min(round, this.scheduleMs.length - 1)];
  }

  async schedulePayment(job: PaymentSyncJob): Promise<void> {
    await this.paymentQueue
      .add(JobName.SyncPaymentAttempt, job, { jobId: `${job.attemptId}.${job.round}`, delay: this.delayFor(job.round) })
      .catch((error: unknown) =>
        this.logger.error({ msg: 'could not schedule payment sync', attemptId: job.attemptId, error: String(error) }),
      );
  }

  async scheduleRefund(job: RefundSyncJob): Promise<void> {
    await this.refundQueue
      .add(JobName.SyncRefund, job, { jobId: `${job.refundId}.${job.round}`, delay: this.delayFor(job.round) })
      .catch((error: unknown) =>
        this.logger.error({ msg: 'could not schedule refund sync', refundId: job.refundId, error: String(error) }),
      );
  }
}
