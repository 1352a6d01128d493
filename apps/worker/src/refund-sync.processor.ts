import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { PaymentSyncHandler } from '@switchyard/payments';
import { QueueName, RefundSyncJob } from '@switchyard/queue';

@Processor(QueueName.RefundSync, { concurrency: 4 })
export class RefundSyncProcessor extends WorkerHost {
  constructor(private readonly handler: PaymentSyncHandler) {
    super();
  }

  async process(job: Job<RefundSyncJob>): Promise<string> {
    return this.handler.syncRefund(job.data);
  }
}
