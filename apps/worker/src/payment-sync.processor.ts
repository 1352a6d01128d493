import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { PaymentSyncHandler } from '@switchyard/payments';
import { PaymentSyncJob, QueueName } from '@switchyard/queue';

@Processor(QueueName.PaymentSync, { concurrency: 8 })
export class PaymentSyncProcessor extends WorkerHost {
  private readonly logger = new Logger('PaymentSyncProcessor');

  constructor(private readonly handler: PaymentSyncHandler) {
    super();
  }

  async process(job: Job<PaymentSyncJob>): Promise<string> {
    const status = await this.handler.syncPayment(job.data);
    this.logger.debug({ msg: 'payment inquiry done', attemptId: job.data.attemptId, round: job.data.round, status });
    return status;
  }
}
