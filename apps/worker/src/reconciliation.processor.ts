import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobName, QueueName, ReconciliationJob } from '@switchyard/queue';
import { ReconciliationService } from '@switchyard/reconciliation';

@Processor(QueueName.Reconciliation, { concurrency: 2 })
export class ReconciliationProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(private readonly recon: ReconciliationService) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.recon.installSchedule();
  }

  async process(job: Job<ReconciliationJob>): Promise<string> {
    if (job.name === JobName.ScheduleReconciliations) return `requested ${await this.recon.scheduleYesterday()} run(s)`;
    return this.recon.execute(job.data);
  }
}
