import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Between, DataSource } from 'typeorm';
import { DomainError, generateId } from '@switchyard/common';
import {
  Connector,
  ConnectorAccountContext,
  ConnectorOutcomeUnknownError,
  ConnectorRegistry,
  ConnectorRequestError,
} from '@switchyard/connectors';
import {
  ConnectorAccountEntity,
  KeyMode,
  PaymentAttemptEntity,
  ReconItemEntity,
  ReconKind,
  ReconRunEntity,
  RefundEntity,
} from '@switchyard/database';
import { ConnectorAccountsService } from '@switchyard/merchants';
import { JobName, QueueName, ReconciliationJob } from '@switchyard/queue';
import { parseSettlementCsv, SettlementRow, toCsv } from './settlement-csv';

type ItemDraft = Omit<ReconItemEntity, 'id' | 'runId' | 'merchantId'>;

/**
 * Compares, for one merchant connector account and one UTC day, our payments and refunds with the connector's view
 * (an inquiry for each) and with an imported settlement file when one is given. Every local object yields one item
 * (matched or the mismatch found); settlement rows we do not know yield `missing_locally`.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Reconciliation) private readonly queue: Queue<ReconciliationJob>,
    private readonly accounts: ConnectorAccountsService,
    private readonly registry: ConnectorRegistry,
  ) {}

  async request(
    merchantId: string,
    input: {
      merchantConnectorId: string;
      day: string;
      settlementCsv?: string;
      trigger: 'manual' | 'scheduled';
      mode?: KeyMode | null;
    },
  ): Promise<ReconRunEntity> {
    const account = await this.accounts.get(merchantId, input.merchantConnectorId);
    if (input.mode && account.mode !== input.mode) {
      throw new DomainError(
        'MerchantConnectorAccountNotFound',
        'Merchant connector account does not exist in our records',
      );
    }
    if (input.settlementCsv) parseSettlementCsv(input.settlementCsv);
    const run = Object.assign(new ReconRunEntity(), {
      runId: generateId('rcn'),
      merchantId,
      merchantConnectorId: input.merchantConnectorId,
      day: input.day,
      status: 'queued',
      trigger: input.trigger,
      settlementCsv: input.settlementCsv ?? null,
      summary: null,
      error: null,
      completedAt: null,
    });
    await this.dataSource.manager.insert(ReconRunEntity, run);
    await this.queue.add(JobName.RunReconciliation, { merchantId, runId: run.runId }, { jobId: run.runId });
    return run;
  }

  async get(
    merchantId: string,
    runId: string,
    mode: KeyMode | null = null,
  ): Promise<{ run: ReconRunEntity; items: ReconItemEntity[] }> {
    const run = await this.dataSource.manager.findOneBy(ReconRunEntity, { merchantId, runId });
    if (!run || !(await this.accountInMode(merchantId, run.merchantConnectorId, mode)))
      throw new DomainError('InvalidRequestUrl', 'Reconciliation run does not exist in our records');
    const items = await this.dataSource.manager.find(ReconItemEntity, {
      where: { merchantId, runId },
      order: { id: 'ASC' },
    });
    return { run, items };
  }

  /** `mode` null = every mode (admin); a merchant key sees runs of its own mode's connector accounts only. */
  async list(merchantId: string, limit: number, mode: KeyMode | null = null): Promise<ReconRunEntity[]> {
    const qb = this.dataSource.manager
      .createQueryBuilder(ReconRunEntity, 'r')
      .where('r.merchant_id = :merchantId', { merchantId });
    if (mode) {
      qb.innerJoin(
        ConnectorAccountEntity,
        'ca',
        'ca.merchant_connector_id = r.merchant_connector_id AND ca.mode = :mode',
        {
          mode,
        },
      );
    }
    return qb.orderBy('r.createdAt', 'DESC').take(limit).getMany();
  }

  private async accountInMode(merchantId: string, merchantConnectorId: string, mode: KeyMode | null): Promise<boolean> {
    if (!mode) return true;
    return this.dataSource.manager.exists(ConnectorAccountEntity, { where: { merchantId, merchantConnectorId, mode } });
  }

  async csv(merchantId: string, runId: string, mode: KeyMode | null = null): Promise<string> {
    const { items } = await this.get(merchantId, runId, mode);
    const header = [
      'kind',
      'object',
      'payment_id',
      'refund_id',
      'connector_reference',
      'local_status',
      'connector_status',
      'local_amount',
      'connector_amount',
      'currency',
      'note',
    ];
    return toCsv([
      header,
      ...items.map((i) => [
        i.kind,
        i.object,
        i.paymentId,
        i.refundId,
        i.connectorReference,
        i.localStatus,
        i.connectorStatus,
        i.localAmount,
        i.connectorAmount,
        i.currency,
        i.note,
      ]),
    ]);
  }

  /** Worker side. A run is claimed once (queued → running), so a second worker or a retried job does nothing. */
  async execute(job: ReconciliationJob): Promise<string> {
    const claimed = await this.dataSource.manager.update(
      ReconRunEntity,
      { runId: job.runId, merchantId: job.merchantId, status: 'queued' },
      { status: 'running' },
    );
    if (!claimed.affected) return 'already taken';
    const run = await this.dataSource.manager.findOneByOrFail(ReconRunEntity, { runId: job.runId });
    try {
      const items = await this.compare(run);
      const summary: Record<string, number> = {};
      for (const item of items) summary[item.kind] = (summary[item.kind] ?? 0) + 1;
      await this.dataSource.transaction(async (em) => {
        if (items.length)
          await em.insert(
            ReconItemEntity,
            items.map((i) => ({ ...i, runId: run.runId, merchantId: run.merchantId })),
          );
        await em.update(
          ReconRunEntity,
          { runId: run.runId },
          { status: 'completed', summary, completedAt: new Date() },
        );
      });
      const mismatches = items.filter((i) => i.kind !== 'matched').length;
      if (mismatches) this.logger.warn({ msg: 'reconciliation found mismatches', runId: run.runId, summary });
      return `completed with ${mismatches} mismatch(es)`;
    } catch (error: unknown) {
      await this.dataSource.manager.update(
        ReconRunEntity,
        { runId: run.runId },
        { status: 'failed', error: String(error).slice(0, 255), completedAt: new Date() },
      );
      throw error;
    }
  }

  /** Nightly: yesterday for every enabled connector account. */
  async scheduleYesterday(): Promise<number> {
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const accounts = await this.accounts.allEnabled();
    for (const account of accounts) {
      await this.request(account.merchantId, {
        merchantConnectorId: account.merchantConnectorId,
        day,
        trigger: 'scheduled',
      });
    }
    return accounts.length;
  }

  async installSchedule(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'nightly-reconciliation',
      { pattern: '0 2 * * *', tz: 'UTC' },
      { name: JobName.ScheduleReconciliations },
    );
  }

  private async compare(run: ReconRunEntity): Promise<ItemDraft[]> {
    const account = await this.accounts.get(run.merchantId, run.merchantConnectorId);
    const connector = this.registry.get(account.connectorName);
    const ctx = this.accounts.context(account);
    const start = new Date(`${run.day}T00:00:00.000Z`);
    const end = new Date(start.getTime() + 86_400_000 - 1);
    const scope = {
      merchantId: run.merchantId,
      merchantConnectorId: run.merchantConnectorId,
      createdAt: Between(start, end),
    };
    const attempts = await this.dataSource.manager.find(PaymentAttemptEntity, {
      where: scope,
      order: { createdAt: 'ASC' },
    });
    const refunds = await this.dataSource.manager.find(RefundEntity, { where: scope, order: { createdAt: 'ASC' } });
    const settlement = run.settlementCsv ? parseSettlementCsv(run.settlementCsv) : [];
    const items: ItemDraft[] = [];
    for (const attempt of attempts) {
      if (!attempt.connectorTransactionId) continue; // never reached the connector: nothing to compare
      items.push(await this.comparePayment(connector, ctx, attempt, settlement));
    }
    for (const refund of refunds) items.push(await this.compareRefund(connector, ctx, refund));
    const known = new Set(attempts.map((a) => a.connectorTransactionId));
    for (const row of settlement) {
      if (!known.has(row.connectorTransactionId)) {
        items.push(
          draft('missing_locally', 'payment', {
            connectorReference: row.connectorTransactionId,
            connectorStatus: row.status,
            connectorAmount: String(row.amount),
            currency: row.currency,
            note: 'in the settlement file, not in Switchyard',
          }),
        );
      }
    }
    return items;
  }

  private async comparePayment(
    connector: Connector,
    ctx: ConnectorAccountContext,
    attempt: PaymentAttemptEntity,
    settlement: SettlementRow[],
  ): Promise<ItemDraft> {
    const base = {
      paymentId: attempt.paymentId,
      connectorReference: attempt.connectorTransactionId,
      localStatus: attempt.status,
      localAmount: String(attempt.amount),
      currency: attempt.currency,
    };
    const settled = settlement.find((r) => r.connectorTransactionId === attempt.connectorTransactionId);
    if (settled && (settled.amount !== attempt.amount || settled.currency !== attempt.currency)) {
      return draft('amount_mismatch', 'payment', {
        ...base,
        connectorStatus: settled.status,
        connectorAmount: String(settled.amount),
        note: 'settlement file amount differs',
      });
    }
    try {
      const result = await connector.sync(ctx, {
        attemptId: attempt.attemptId,
        connectorTransactionId: attempt.connectorTransactionId,
        amount: attempt.amount,
        currency: attempt.currency,
        captureMethod: attempt.captureMethod === 'manual' ? 'manual' : 'automatic',
      });
      const connectorAmount = result.amount ?? null;
      const extra = {
        ...base,
        connectorStatus: result.status,
        connectorAmount: connectorAmount === null ? null : String(connectorAmount),
      };
      if (result.status !== attempt.status)
        return draft('status_mismatch', 'payment', {
          ...extra,
          note: `connector says ${result.rawStatus ?? result.status}`,
        });
      if (connectorAmount !== null && connectorAmount !== attempt.amount)
        return draft('amount_mismatch', 'payment', { ...extra, note: 'connector amount differs' });
      return draft('matched', 'payment', extra);
    } catch (error: unknown) {
      return this.failedCheck(error, 'payment', base);
    }
  }

  private async compareRefund(
    connector: Connector,
    ctx: ConnectorAccountContext,
    refund: RefundEntity,
  ): Promise<ItemDraft> {
    const base = {
      paymentId: refund.paymentId,
      refundId: refund.refundId,
      connectorReference: refund.connectorRefundId,
      localStatus: refund.status,
      localAmount: String(refund.amount),
      currency: refund.currency,
    };
    try {
      const result = await connector.refundSync(ctx, {
        refundId: refund.refundId,
        connectorRefundId: refund.connectorRefundId,
        amount: refund.amount,
        currency: refund.currency,
      });
      const extra = { ...base, connectorStatus: result.status };
      return draft(result.status === refund.status ? 'matched' : 'status_mismatch', 'refund', extra);
    } catch (error: unknown) {
      return this.failedCheck(error, 'refund', base);
    }
  }

  private failedCheck(error: unknown, object: 'payment' | 'refund', base: Partial<ItemDraft>): ItemDraft {
    if (error instanceof ConnectorRequestError && error.httpStatus === 404) {
      return draft('missing_at_connector', object, { ...base, note: 'the connector does not know this reference' });
    }
    const reason =
      error instanceof ConnectorOutcomeUnknownError
        ? error.reason
        : error instanceof ConnectorRequestError
          ? error.error.code
          : 'unexpected error';
    return draft('unchecked', object, { ...base, note: `inquiry failed: ${reason}` });
  }
}

function draft(kind: ReconKind, object: 'payment' | 'refund', fields: Partial<ItemDraft>): ItemDraft {
  return {
    kind,
    object,
    paymentId: fields.paymentId ?? null,
    refundId: fields.refundId ?? null,
    connectorReference: fields.connectorReference ?? null,
    localStatus: fields.localStatus ?? null,
    connectorStatus: fields.connectorStatus ?? null,
    localAmount: fields.localAmount ?? null,
    connectorAmount: fields.connectorAmount ?? null,
    currency: fields.currency ?? null,
    note: fields.note ?? null,
  };
}
