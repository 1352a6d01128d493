import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { DomainError, Errors } from '@switchyard/common';
import { eventTypeFor, IntentStatus } from './lifecycle/statuses';
import { OutboxService } from './outbox/outbox.service';
import { toPaymentResponse } from './payment-response.mapper';
import {
  KeyMode,
  PaymentAttemptEntity,
  PaymentEventEntity,
  PaymentIntentEntity,
  PreparedWrites,
} from '@switchyard/database';

export type EventSource = 'api' | 'sync' | 'return' | 'webhook' | 'worker';

export interface NewEvent {
  eventType: string;
  fromStatus: string | null;
  toStatus: string | null;
  source: EventSource;
  details?: Record<string, unknown>;
  attemptId?: string | null;
  refundId?: string | null;
}

export interface ListFilter {
  customerId?: string;
  createdGte?: Date;
  createdLte?: Date;
  limit: number;
}

const MAX_LOCK_RETRIES = 5;

/** The only place payments touch TypeORM. Every read of merchant data is scoped by merchantId in its signature. */
@Injectable()
export class PaymentsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  async insertIntent(intent: PaymentIntentEntity, event: NewEvent): Promise<void> {
    try {
      await this.dataSource.transaction(async (em) => {
        await PreparedWrites.insert(em, PaymentIntentEntity, intent);
        await this.appendEvent(em, intent, event);
      });
    } catch (error: unknown) {
      throw duplicateError(error, intent);
    }
  }

  async findIntent(merchantId: string, paymentId: string, mode?: KeyMode): Promise<PaymentIntentEntity> {
    const intent = await this.dataSource.manager.findOneBy(PaymentIntentEntity, {
      merchantId,
      paymentId,
      ...(mode ? { mode } : {}),
    });
    if (!intent) throw Errors.paymentNotFound();
    return intent;
  }

  async findAttempt(merchantId: string, attemptId: string): Promise<PaymentAttemptEntity | null> {
    return this.dataSource.manager.findOneBy(PaymentAttemptEntity, { merchantId, attemptId });
  }

  async attemptsOf(merchantId: string, paymentId: string): Promise<PaymentAttemptEntity[]> {
    return this.dataSource.manager.find(PaymentAttemptEntity, {
      where: { merchantId, paymentId },
      order: { createdAt: 'ASC' },
    });
  }

  async activeAttempts(merchantId: string, intents: PaymentIntentEntity[]): Promise<Map<string, PaymentAttemptEntity>> {
    const ids = intents.map((i) => i.activeAttemptId).filter((id): id is string => !!id);
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.manager.find(PaymentAttemptEntity, {
      where: { merchantId, attemptId: In(ids) },
    });
    return new Map(rows.map((a) => [a.attemptId, a]));
  }

  async list(merchantId: string, mode: KeyMode, filter: ListFilter): Promise<PaymentIntentEntity[]> {
    const where: Record<string, unknown> = { merchantId, mode };
    if (filter.customerId) where.customerId = filter.customerId;
    if (filter.createdGte && filter.createdLte) {
      const qb = this.dataSource.manager
        .createQueryBuilder(PaymentIntentEntity, 'p')
        .where('p.merchant_id = :merchantId AND p.mode = :mode', { merchantId, mode })
        .andWhere('p.created_at >= :gte AND p.created_at <= :lte', { gte: filter.createdGte, lte: filter.createdLte });
      if (filter.customerId) qb.andWhere('p.customer_id = :customerId', { customerId: filter.customerId });
      return qb.orderBy('p.created_at', 'DESC').limit(filter.limit).getMany();
    }
    if (filter.createdGte) where.createdAt = MoreThanOrEqual(filter.createdGte);
    if (filter.createdLte) where.createdAt = LessThanOrEqual(filter.createdLte);
    return this.dataSource.manager.find(PaymentIntentEntity, {
      where,
      order: { createdAt: 'DESC' },
      take: filter.limit,
    });
  }

  async events(merchantId: string, paymentId: string): Promise<PaymentEventEntity[]> {
    return this.dataSource.manager.find(PaymentEventEntity, { where: { merchantId, paymentId }, order: { id: 'ASC' } });
  }

  /**
   * Opens a new attempt and moves the intent to `processing` in one transaction, guarded by the intent's version so two
   * concurrent confirms cannot both start an attempt. With `created`, the intent is new: it is inserted in the same
   * transaction instead (one transaction for create+confirm). Returns the intent as it now is in the database.
   */
  async startAttempt(
    intent: PaymentIntentEntity,
    attempt: PaymentAttemptEntity,
    intentPatch: Partial<PaymentIntentEntity>,
    created?: NewEvent,
  ): Promise<PaymentIntentEntity> {
    const opened = Object.assign(new PaymentIntentEntity(), intent, intentPatch, {
      status: 'processing',
      activeAttemptId: attempt.attemptId,
      attemptCount: intent.attemptCount + 1,
    });
    if (created) {
      // A payment created with confirm=true: inserted already processing, with its attempt, in one transaction (both
      // events written as if it had been inserted first, then moved).
      try {
        await this.dataSource.transaction(async (em) => {
          await PreparedWrites.insert(em, PaymentIntentEntity, opened);
          await this.appendEvent(em, opened, created);
          await PreparedWrites.insert(em, PaymentAttemptEntity, attempt);
          await this.appendEvent(em, opened, attemptStarted(intent.status, attempt));
        });
      } catch (error: unknown) {
        throw duplicateError(error, intent);
      }
      return opened;
    }
    await this.dataSource.transaction(async (em) => {
      const affected = await PreparedWrites.update(
        em,
        PaymentIntentEntity,
        { ...intentPatch, status: 'processing', activeAttemptId: attempt.attemptId },
        { paymentId: intent.paymentId, merchantId: intent.merchantId, version: intent.version },
        { increment: ['attemptCount', 'version'], now: ['updatedAt'] },
      );
      if (!affected) {
        throw new DomainError(
          'PreconditionFailed',
          'The payment was changed by another request; retrieve it and try again',
        );
      }
      await PreparedWrites.insert(em, PaymentAttemptEntity, attempt);
      await this.appendEvent(em, intent, attemptStarted(intent.status, attempt));
    });
    return Object.assign(opened, { version: intent.version + 1, updatedAt: new Date() });
  }

  /**
   * Applies a change to an attempt and the intent it drives, with optimistic locking on both rows and an event row.
   * `decide` sees the freshest rows (it is re-run after a lost race) and returns the patches, or null to change nothing.
   */
  async mutate(
    merchantId: string,
    attemptId: string,
    decide: (attempt: PaymentAttemptEntity, intent: PaymentIntentEntity) => Mutation | null,
    known?: { attempt: PaymentAttemptEntity; intent: PaymentIntentEntity },
  ): Promise<{ attempt: PaymentAttemptEntity; intent: PaymentIntentEntity; applied: boolean }> {
    for (let round = 0; round < MAX_LOCK_RETRIES; round++) {
      const snapshot = round === 0 && known && isSnapshotOf(known, merchantId, attemptId) ? known : null;
      const outcome = await this.dataSource
        .transaction(async (em) => {
          let attempt: PaymentAttemptEntity;
          let intent: PaymentIntentEntity;
          if (snapshot) {
            // Rows this request just wrote: no re-read; the version-checked attempt update below proves they are current.
            attempt = Object.assign(new PaymentAttemptEntity(), snapshot.attempt);
            intent = Object.assign(new PaymentIntentEntity(), snapshot.intent);
          } else {
            const found = await em.findOneBy(PaymentAttemptEntity, { merchantId, attemptId });
            if (!found) throw Errors.paymentNotFound();
            attempt = found;
            intent = await em.findOneByOrFail(PaymentIntentEntity, { merchantId, paymentId: attempt.paymentId });
          }
          const mutation = decide(attempt, intent);
          // Without an attempt update nothing would check the snapshot's version: decide again on fresh rows.
          if (snapshot && !(mutation?.attempt && Object.keys(mutation.attempt).length))
            return { attempt, intent, applied: false, lost: true, published: [] as string[] };
          if (!mutation) return { attempt, intent, applied: false, lost: false, published: [] as string[] };
          const statusBefore = intent.status;
          if (mutation.attempt && Object.keys(mutation.attempt).length) {
            const affected = await PreparedWrites.update(
              em,
              PaymentAttemptEntity,
              mutation.attempt,
              { attemptId: attempt.attemptId, version: attempt.version },
              { increment: ['version'], now: ['modifiedAt'] },
            );
            if (!affected) return { attempt, intent, applied: false, lost: true, published: [] as string[] };
            Object.assign(attempt, mutation.attempt, { version: attempt.version + 1 });
          }
          // Only the active attempt drives the intent; news about an older attempt is recorded but does not move it.
          if (mutation.intent && intent.activeAttemptId === attempt.attemptId && Object.keys(mutation.intent).length) {
            const affected = await PreparedWrites.update(
              em,
              PaymentIntentEntity,
              mutation.intent,
              { paymentId: intent.paymentId, version: intent.version },
              { increment: ['version'], now: ['updatedAt'] },
            );
            if (!affected) throw new LockLost();
            Object.assign(intent, mutation.intent, { version: intent.version + 1 });
          }
          for (const event of mutation.events)
            await this.appendEvent(em, intent, { attemptId: attempt.attemptId, ...event });
          const published = await this.writeStatusEvent(em, intent, attempt, statusBefore);
          return { attempt, intent, applied: true, lost: false, published };
        })
        .catch((error: unknown) => {
          if (error instanceof LockLost)
            return { attempt: null, intent: null, applied: false, lost: true, published: [] };
          throw error;
        });
      if (!outcome.lost && outcome.attempt && outcome.intent) {
        await this.outbox.publish(merchantId, outcome.published);
        return { attempt: outcome.attempt, intent: outcome.intent, applied: outcome.applied };
      }
    }
    throw new DomainError('PreconditionFailed', 'The payment is being changed concurrently; retry shortly');
  }

  /** Intent-only change (cancel before any attempt), version-guarded. */
  async updateIntent(
    intent: PaymentIntentEntity,
    patch: Partial<PaymentIntentEntity>,
    event: NewEvent,
  ): Promise<PaymentIntentEntity> {
    const { updated, published } = await this.dataSource.transaction(async (em) => {
      const res = await em
        .createQueryBuilder()
        .update(PaymentIntentEntity)
        .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' })
        .where('payment_id = :id AND merchant_id = :m AND version = :v', {
          id: intent.paymentId,
          m: intent.merchantId,
          v: intent.version,
        })
        .execute();
      if (!res.affected)
        throw new DomainError(
          'PreconditionFailed',
          'The payment was changed by another request; retrieve it and try again',
        );
      await this.appendEvent(em, intent, event);
      const next = { ...intent, ...patch, version: intent.version + 1 } as PaymentIntentEntity;
      return { updated: next, published: await this.writeStatusEvent(em, next, null, intent.status) };
    });
    await this.outbox.publish(intent.merchantId, published);
    return updated;
  }

  /** The merchant event for a new intent status, in the same transaction as the change (outbox). */
  private async writeStatusEvent(
    em: EntityManager,
    intent: PaymentIntentEntity,
    attempt: PaymentAttemptEntity | null,
    statusBefore: string,
  ): Promise<string[]> {
    const eventType = intent.status === statusBefore ? null : eventTypeFor(intent.status as IntentStatus);
    if (!eventType) return [];
    const eventId = await this.outbox.write(em, {
      merchantId: intent.merchantId,
      profileId: intent.profileId,
      eventType,
      paymentId: intent.paymentId,
      refundId: null,
      contentType: 'payment_details',
      object: toPaymentResponse(intent, attempt),
    });
    return eventId ? [eventId] : [];
  }

  async appendEvent(
    em: EntityManager,
    intent: Pick<PaymentIntentEntity, 'merchantId' | 'paymentId'>,
    event: NewEvent,
  ): Promise<void> {
    await PreparedWrites.insert(em, PaymentEventEntity, {
      merchantId: intent.merchantId,
      paymentId: intent.paymentId,
      attemptId: event.attemptId ?? null,
      refundId: event.refundId ?? null,
      eventType: event.eventType,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      source: event.source,
      details: event.details ?? null,
    });
  }

  /** Counts an inquiry and touches modified_at, which the sweeper reads as "polling is alive". */
  async incrementSyncCount(merchantId: string, attemptId: string): Promise<void> {
    await this.dataSource.manager
      .createQueryBuilder()
      .update(PaymentAttemptEntity)
      .set({ syncCount: () => 'sync_count + 1', modifiedAt: () => 'now()' })
      .where('merchant_id = :merchantId AND attempt_id = :attemptId', { merchantId, attemptId })
      .execute();
  }

  /** Non-terminal attempts nobody has touched for `idleSeconds`: their inquiry chain was lost (crash, Redis outage). */
  async idleUnsyncedAttempts(idleSeconds: number, limit: number): Promise<PaymentAttemptEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(PaymentAttemptEntity, 'a')
      .where('a.status IN (:...statuses)', { statuses: SYNCABLE })
      .andWhere(`a.modified_at < now() - make_interval(secs => :idle)`, { idle: idleSeconds })
      .orderBy('a.modified_at', 'ASC')
      .limit(limit)
      .getMany();
  }
}

export interface Mutation {
  attempt?: Partial<PaymentAttemptEntity>;
  intent?: Partial<PaymentIntentEntity>;
  events: Omit<NewEvent, 'attemptId'>[];
}

class LockLost extends Error {}

function isSnapshotOf(
  known: { attempt: PaymentAttemptEntity; intent: PaymentIntentEntity },
  merchantId: string,
  attemptId: string,
): boolean {
  return (
    known.attempt.attemptId === attemptId &&
    known.attempt.merchantId === merchantId &&
    known.intent.merchantId === merchantId &&
    known.intent.paymentId === known.attempt.paymentId
  );
}

function attemptStarted(fromStatus: string, attempt: PaymentAttemptEntity): NewEvent {
  return {
    eventType: 'attempt_started',
    fromStatus,
    toStatus: 'processing',
    source: 'api',
    attemptId: attempt.attemptId,
    details: { connector: attempt.connector, merchant_connector_id: attempt.merchantConnectorId },
  };
}

/** A unique violation on inserting an intent, as the merchant's error; anything else unchanged. */
function duplicateError(error: unknown, intent: PaymentIntentEntity): unknown {
  const pg = error as { code?: string; constraint?: string };
  if (pg.code === '23505' && pg.constraint === 'payment_intents_order_ref_uq') {
    return new DomainError(
      'DuplicateMerchantOrderReference',
      'The payment with the specified merchant_order_reference_id already exists in our records',
    );
  }
  if (pg.code === '23505') {
    return new DomainError(
      'DuplicatePayment',
      'The payment with the specified payment_id already exists in our records',
      {
        payment_id: intent.paymentId,
      },
    );
  }
  return error;
}

// Must match the partial index payment_attempts_unsynced_idx (migration 1763700800000-perf).
const SYNCABLE = ['started', 'pending', 'authorizing', 'authentication_pending', 'capture_initiated', 'void_initiated'];
