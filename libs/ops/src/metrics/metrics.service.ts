import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, register, Registry } from 'prom-client';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { QueueName } from '@switchyard/queue';
import { CircuitBreakerService } from '@switchyard/routing';
import { OpsReadRepository } from '../ops-read.repository';

const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'paused'] as const;
const SOURCE_TIMEOUT_MS = 2000;

/**
 * GET /metrics. Process-wide metrics live in prom-client's default registry (process/heap defaults, connector latency,
 * webhook verification failures, parked payments). Gauges that describe shared state are computed at scrape time from
 * Postgres and Redis, so every API replica reports the same numbers and nothing in libs/payments needs a counter.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger('Metrics');
  private readonly scraped = new Registry();
  private readonly queues: ReadonlyArray<Queue>;

  constructor(
    private readonly reads: OpsReadRepository,
    private readonly breakers: CircuitBreakerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.PaymentSync) paymentSync: Queue,
    @InjectQueue(QueueName.RefundSync) refundSync: Queue,
    @InjectQueue(QueueName.IncomingWebhooks) incoming: Queue,
    @InjectQueue(QueueName.OutgoingWebhooks) outgoing: Queue,
    @InjectQueue(QueueName.Reconciliation) reconciliation: Queue,
  ) {
    this.queues = [paymentSync, refundSync, incoming, outgoing, reconciliation];
    // Once per process: a second app instance (tests) must not register the defaults twice.
    if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
    const up = new Gauge({
      name: 'switchyard_metrics_source_up',
      help: 'Whether the scrape could read the source (1) or not (0); the gauges it feeds are empty when 0',
      labelNames: ['source'],
      registers: [this.scraped],
    });
    const attempts = new Gauge({
      name: 'switchyard_payment_attempts',
      help: 'Payment attempts created within METRICS_WINDOW_SECONDS, by connector and current attempt status',
      labelNames: ['connector', 'status'],
      registers: [this.scraped],
      collect: async () => {
        attempts.reset();
        const rows = await this.guard('postgres', up, () =>
          this.reads.attemptCounts(new Date(Date.now() - this.config.METRICS_WINDOW_SECONDS * 1000)),
        );
        for (const row of rows ?? []) attempts.set({ connector: row.connector, status: row.status }, row.n);
      },
    });
    const jobs = new Gauge({
      name: 'switchyard_queue_jobs',
      help: 'BullMQ jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.scraped],
      collect: async () => {
        jobs.reset();
        const counts = await this.guard('redis', up, () =>
          Promise.all(this.queues.map(async (q) => [q.name, await q.getJobCounts(...JOB_STATES)] as const)),
        );
        for (const [queue, byState] of counts ?? []) {
          for (const state of JOB_STATES) jobs.set({ queue, state }, byState[state] ?? 0);
        }
      },
    });
    const circuits = new Gauge({
      name: 'switchyard_connector_circuit_state',
      help: 'Circuit breaker per connector account (1 on its current state), for accounts with breaker history',
      labelNames: ['merchant_connector_id', 'state'],
      registers: [this.scraped],
      collect: async () => {
        circuits.reset();
        for (const { merchantConnectorId, state } of (await this.guard('redis', up, () => this.breakers.states())) ??
          []) {
          for (const s of CIRCUIT_STATES)
            circuits.set({ merchant_connector_id: merchantConnectorId, state: s }, s === state ? 1 : 0);
        }
      },
    });
  }

  readonly contentType = register.contentType;

  async render(): Promise<string> {
    return Registry.merge([register, this.scraped]).metrics();
  }

  /** A source that is down or slow must not stall the scrape: its gauges stay empty and `up` says so. */
  private async guard<T>(source: string, up: Gauge<'source'>, read: () => Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${source} did not answer in ${SOURCE_TIMEOUT_MS} ms`)),
          SOURCE_TIMEOUT_MS,
        );
      });
      const value = await Promise.race([read(), timeout]);
      up.set({ source }, 1);
      return value;
    } catch (error: unknown) {
      up.set({ source }, 0);
      this.logger.warn({
        msg: 'metrics source unavailable',
        source,
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
