import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConnectorTiming, DomainError, Errors, generateId, timed } from '@switchyard/common';
import {
  ConnectorOutcomeUnknownError,
  ConnectorRefundResult,
  ConnectorRegistry,
  ConnectorRequestError,
} from '@switchyard/connectors';
import { PaymentIntentEntity, RefundEntity } from '@switchyard/database';
import { ConnectorAccountsService } from '@switchyard/merchants';
import { OutboxService } from './outbox/outbox.service';
import { toRefundResponse } from './payment-response.mapper';
import { PaymentsRepository } from './payments.repository';
import { PaymentCaller } from './payments.types';
import { SyncScheduler } from './sync/sync-scheduler';

const MAX_REFUNDS = 10;
const REFUND_TRANSITIONS: Record<string, readonly string[]> = {
  pending: ['succeeded', 'failed', 'review'],
  review: ['succeeded', 'failed'],
  succeeded: [],
  failed: [],
};

@Injectable()
export class RefundsService {
  private readonly logger = new Logger('RefundsService');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PaymentsRepository,
    private readonly registry: ConnectorRegistry,
    private readonly accounts: ConnectorAccountsService,
    private readonly scheduler: SyncScheduler,
    private readonly outbox: OutboxService,
  ) {}

  async create(
    caller: PaymentCaller,
    input: {
      paymentId: string;
      refundId?: string;
      amount?: number;
      reason?: string;
      metadata?: Record<string, unknown>;
    },
  ): Promise<Record<string, unknown>> {
    if (!caller.mode) throw Errors.unauthorized();
    const refund = await this.dataSource.transaction(async (em) => {
      // Row lock on the intent serialises concurrent refunds so their sum can never pass the captured amount.
      const intent = await em.findOne(PaymentIntentEntity, {
        where: { merchantId: caller.merchantId, paymentId: input.paymentId, mode: caller.mode! },
        lock: { mode: 'pessimistic_write' },
      });
      if (!intent) throw Errors.paymentNotFound();
      if (intent.status !== 'succeeded' && intent.status !== 'partially_captured') {
        throw Errors.unexpectedState('refund', 'status', intent.status, ['succeeded', 'partially_captured']);
      }
      const existing = await em.find(RefundEntity, {
        where: { merchantId: caller.merchantId, paymentId: intent.paymentId },
      });
      if (existing.length >= MAX_REFUNDS)
        throw new DomainError('MaximumRefundCount', 'Reached maximum refund attempts');
      const captured = intent.amountReceived ?? 0;
      const amount = input.amount ?? captured;
      const alreadyRefunded = existing.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
      if (amount <= 0 || amount + alreadyRefunded > captured) {
        throw new DomainError('RefundAmountExceedsPaymentAmount', 'The refund amount exceeds the amount captured');
      }
      const attempt = intent.activeAttemptId
        ? await this.repo.findAttempt(caller.merchantId, intent.activeAttemptId)
        : null;
      if (!attempt?.connectorTransactionId) throw Errors.paymentNotFound();
      const entity = Object.assign(new RefundEntity(), {
        refundId: input.refundId ?? generateId('ref'),
        merchantId: caller.merchantId,
        paymentId: intent.paymentId,
        attemptId: attempt.attemptId,
        amount,
        currency: intent.currency,
        status: 'pending',
        reason: input.reason ?? null,
        connector: attempt.connector,
        merchantConnectorId: attempt.merchantConnectorId,
        connectorRefundId: null,
        errorCode: null,
        errorMessage: null,
        unifiedCode: null,
        unifiedMessage: null,
        metadata: input.metadata ?? null,
      });
      try {
        await em.insert(RefundEntity, entity);
      } catch (error: unknown) {
        if ((error as { code?: string }).code === '23505') {
          throw new DomainError(
            'DuplicateRefundRequest',
            'Duplicate refund request. Refund already attempted with the refund ID',
          );
        }
        throw error;
      }
      await this.repo.appendEvent(em, intent, {
        eventType: 'refund_created',
        fromStatus: null,
        toStatus: 'pending',
        source: 'api',
        refundId: entity.refundId,
        details: { amount },
      });
      return { entity, connectorTransactionId: attempt.connectorTransactionId, profileId: intent.profileId };
    });
    const connector = this.registry.get(refund.entity.connector);
    const result = await this.callConnector(
      refund.entity,
      (ctx) =>
        connector.refund(ctx, {
          refundId: refund.entity.refundId,
          attemptId: refund.entity.attemptId,
          connectorTransactionId: refund.connectorTransactionId,
          amount: refund.entity.amount,
          currency: refund.entity.currency,
          reason: refund.entity.reason,
        }),
      caller.timing,
    );
    const updated = await this.apply(refund.entity, result, 'api');
    return toRefundResponse(updated, refund.profileId);
  }

  async retrieve(caller: PaymentCaller, refundId: string, forceSync: boolean): Promise<Record<string, unknown>> {
    let refund = await this.find(caller.merchantId, refundId);
    const intent = await this.repo.findIntent(caller.merchantId, refund.paymentId, caller.mode ?? undefined);
    if (forceSync && refund.status === 'pending') refund = await this.sync(refund, 'sync', caller.timing);
    return toRefundResponse(refund, intent.profileId);
  }

  async list(caller: PaymentCaller, paymentId: string | undefined, limit: number): Promise<Record<string, unknown>> {
    const where: Record<string, unknown> = { merchantId: caller.merchantId };
    if (paymentId) where.paymentId = paymentId;
    const rows = await this.dataSource.manager
      .createQueryBuilder(RefundEntity, 'r')
      .innerJoin(PaymentIntentEntity, 'p', 'p.payment_id = r.payment_id AND p.mode = :mode', { mode: caller.mode })
      .where('r.merchant_id = :m', { m: caller.merchantId })
      .andWhere(paymentId ? 'r.payment_id = :pid' : '1=1', { pid: paymentId })
      .orderBy('r.created_at', 'DESC')
      .limit(limit)
      .getMany();
    const data = rows.map((r) => toRefundResponse(r, null));
    return { count: data.length, total_count: data.length, data };
  }

  async find(merchantId: string, refundId: string): Promise<RefundEntity> {
    const refund = await this.dataSource.manager.findOneBy(RefundEntity, { merchantId, refundId });
    if (!refund) throw Errors.refundNotFound();
    return refund;
  }

  async sync(refund: RefundEntity, source: 'sync' | 'worker', timing?: ConnectorTiming): Promise<RefundEntity> {
    const connector = this.registry.get(refund.connector);
    const result = await this.callConnector(
      refund,
      (ctx) =>
        connector.refundSync(ctx, {
          refundId: refund.refundId,
          connectorRefundId: refund.connectorRefundId,
          amount: refund.amount,
          currency: refund.currency,
        }),
      timing,
    );
    return this.apply(refund, result, source);
  }

  private async callConnector(
    refund: RefundEntity,
    call: (ctx: ReturnType<ConnectorAccountsService['context']>) => Promise<ConnectorRefundResult>,
    timing: ConnectorTiming | undefined,
  ): Promise<ConnectorRefundResult> {
    const account = await this.accounts.get(refund.merchantId, refund.merchantConnectorId);
    try {
      return await timed(timing, () => call(this.accounts.context(account)));
    } catch (error: unknown) {
      if (error instanceof ConnectorRequestError) return { status: 'failed', error: error.error };
      if (!(error instanceof ConnectorOutcomeUnknownError))
        this.logger.error({ msg: 'refund call crashed', refundId: refund.refundId, error: String(error) });
      return { status: 'pending' };
    }
  }

  /** Applies a connector answer about a refund (call, inquiry or verified webhook) through the refund transitions. */
  applyResult(refund: RefundEntity, result: ConnectorRefundResult, source: 'webhook' | 'sync'): Promise<RefundEntity> {
    return this.apply(refund, result, source);
  }

  private async apply(refund: RefundEntity, result: ConnectorRefundResult, source: string): Promise<RefundEntity> {
    const published: string[] = [];
    const updated = await this.dataSource.transaction(async (em) => {
      const fresh = await em.findOneByOrFail(RefundEntity, {
        refundId: refund.refundId,
        merchantId: refund.merchantId,
      });
      const patch: Partial<RefundEntity> = {};
      if (result.connectorRefundId && result.connectorRefundId !== fresh.connectorRefundId)
        patch.connectorRefundId = result.connectorRefundId;
      const moves = result.status !== fresh.status;
      if (moves && !REFUND_TRANSITIONS[fresh.status]?.includes(result.status)) {
        await this.repo.appendEvent(
          em,
          { merchantId: fresh.merchantId, paymentId: fresh.paymentId },
          {
            eventType: 'refund_transition_rejected',
            fromStatus: fresh.status,
            toStatus: result.status,
            source: source as 'api',
            refundId: fresh.refundId,
          },
        );
        return fresh;
      }
      if (moves) {
        patch.status = result.status;
        if (result.error)
          Object.assign(patch, {
            errorCode: result.error.code,
            errorMessage: result.error.message,
            unifiedCode: result.error.unifiedCode,
            unifiedMessage: result.error.unifiedMessage,
          });
      }
      if (!Object.keys(patch).length) return fresh;
      const res = await em
        .createQueryBuilder()
        .update(RefundEntity)
        .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' })
        .where('refund_id = :id AND version = :v', { id: fresh.refundId, v: fresh.version })
        .execute();
      if (!res.affected) return em.findOneByOrFail(RefundEntity, { refundId: fresh.refundId });
      if (moves) {
        await this.repo.appendEvent(
          em,
          { merchantId: fresh.merchantId, paymentId: fresh.paymentId },
          {
            eventType: 'refund_status_changed',
            fromStatus: fresh.status,
            toStatus: result.status,
            source: source as 'api',
            refundId: fresh.refundId,
          },
        );
      }
      const after = Object.assign(fresh, patch);
      const eventType = !moves
        ? null
        : after.status === 'succeeded'
          ? 'refund_succeeded'
          : after.status === 'failed'
            ? 'refund_failed'
            : null;
      if (eventType) {
        const intent = await em.findOneByOrFail(PaymentIntentEntity, {
          merchantId: after.merchantId,
          paymentId: after.paymentId,
        });
        const eventId = await this.outbox.write(em, {
          merchantId: after.merchantId,
          profileId: intent.profileId,
          eventType,
          paymentId: after.paymentId,
          refundId: after.refundId,
          contentType: 'refund_details',
          object: toRefundResponse(after, intent.profileId),
        });
        if (eventId) published.push(eventId);
      }
      return after;
    });
    await this.outbox.publish(updated.merchantId, published);
    if (updated.status === 'pending' && source !== 'worker') {
      await this.scheduler.scheduleRefund({ merchantId: updated.merchantId, refundId: updated.refundId, round: 0 });
    }
    return updated;
  }
}
