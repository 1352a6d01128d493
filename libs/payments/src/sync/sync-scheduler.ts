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
  private readonly sweepMs: number;
  private readonly overrides = new Map<string, number[]>();

  constructor(
    @InjectQueue(QueueName.PaymentSync) private readonly paymentQueue: Queue<PaymentSyncJob>,
    @InjectQueue(QueueName.RefundSync) private readonly refundQueue: Queue<RefundSyncJob>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.scheduleMs = config.PAYMENT_SYNC_SCHEDULE.split(',').map((s) => Number(s) * 1000);
    this.sweepMs = config.PAYMENT_SYNC_SWEEP_SECONDS * 1000;
    for (const part of (config.PAYMENT_SYNC_SCHEDULE_OVERRIDES ?? '').split(';').filter(Boolean)) {
      const [connector, schedule] = part.split(':');
      this.overrides.set(
        connector,
        schedule.split(',').map((s) => Number(s) * 1000),
      );
    }
  }

  /** Delay before inquiry number `round` (0-based); the last interval repeats until the payment expires. */
  delayFor(round: number, connector?: string): number {
    const schedule = (connector && this.overrides.get(connector)) || this.scheduleMs;
    return schedule[Math.min(round, schedule.length - 1)];
  }

  async schedulePayment(job: PaymentSyncJob): Promise<void> {
    await this.paymentQueue
      .add(JobName.SyncPaymentAttempt, job, {
        jobId: `${job.attemptId}.${job.round}`,
        delay: this.delayFor(job.round, job.connector),
      })
      .catch((error: unknown) =>
        this.logger.error({ msg: 'could not schedule payment sync', attemptId: job.attemptId, error: String(error) }),
      );
  }

  /** The longest wait between two inquiries: an attempt idle for longer has lost its chain. */
  maxDelayMs(): number {
    return Math.max(...this.scheduleMs, ...[...this.overrides.values()].flat());
  }

  /** Re-creates an inquiry chain the sweeper found lost; the job id keeps two sweeps from doubling it. */
  async reschedulePayment(job: PaymentSyncJob): Promise<void> {
    await this.paymentQueue.add(JobName.SyncPaymentAttempt, job, { jobId: `${job.attemptId}.sweep.${job.round}` });
  }

  /** One sweeper run per interval across all worker replicas (a BullMQ job scheduler is unique per queue). */
  async installSweeper(): Promise<void> {
    await this.paymentQueue.upsertJobScheduler(
      'payment-sync-sweeper',
      { every: this.sweepMs },
      { name: JobName.SweepUnsyncedAttempts },
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
