import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { PaymentSyncHandler, SyncScheduler } from '@switchyard/payments';
import { JobName, PaymentSyncJob, QueueName } from '@switchyard/queue';

@Processor(QueueName.PaymentSync, { concurrency: 8 })
export class PaymentSyncProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('PaymentSyncProcessor');

  constructor(
    private readonly handler: PaymentSyncHandler,
    private readonly scheduler: SyncScheduler,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.installSweeper();
  }

  async process(job: Job<PaymentSyncJob>): Promise<string> {
    if (job.name === JobName.SweepUnsyncedAttempts) return `re-created ${await this.handler.sweep()}`;
    const status = await this.handler.syncPayment(job.data);
    this.logger.debug({ msg: 'payment inquiry done', attemptId: job.data.attemptId, round: job.data.round, status });
    return status;
  }
}
