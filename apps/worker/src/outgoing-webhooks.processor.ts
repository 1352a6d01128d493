import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { JobName, OutgoingWebhookJob, QueueName } from '@switchyard/queue';
import { OutgoingWebhooksService } from '@switchyard/webhooks';

@Processor(QueueName.OutgoingWebhooks, { concurrency: 16 })
export class OutgoingWebhooksProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly webhooks: OutgoingWebhooksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.webhooks.installSweeper(this.config.PAYMENT_SYNC_SWEEP_SECONDS * 1000);
  }

  async process(job: Job<OutgoingWebhookJob>): Promise<string> {
    if (job.name === JobName.SweepOutgoingWebhooks) return `re-published ${await this.webhooks.sweep()}`;
    return this.webhooks.deliver(job.data);
  }
}
