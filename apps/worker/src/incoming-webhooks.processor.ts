import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { IncomingWebhookJob, QueueName } from '@switchyard/queue';
import { IncomingWebhooksService } from '@switchyard/webhooks';

@Processor(QueueName.IncomingWebhooks, { concurrency: 8 })
export class IncomingWebhooksProcessor extends WorkerHost {
  constructor(private readonly webhooks: IncomingWebhooksService) {
    super();
  }

  async process(job: Job<IncomingWebhookJob>): Promise<string> {
    return this.webhooks.process(job.data);
  }
}
