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
  WriteBatch,
  WriteConflict,
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
    const batch = new WriteBatch(this.dataSource).insert(PaymentIntentEntity, intent);
    this.addEvent(batch, intent, event);
    try {
      await batch.run();
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
      // A payment created with confirm=true: inserted already processing, with its attempt, in one statement (both
      // events written as if it had been inserted first, then moved).
      const batch = new WriteBatch(this.dataSource).insert(PaymentIntentEntity, opened);
      this.addEvent(batch, opened, created);
      batch.insert(PaymentAttemptEntity, attempt);
      this.addEvent(batch, opened, attemptStarted(intent.status, attempt));
      try {
        await batch.run();
      } catch (error: unknown) {
        throw duplicateError(error, intent);
      }
      return opened;
    }
    const batch = new WriteBatch(this.dataSource).update(
      PaymentIntentEntity,
      { ...intentPatch, status: 'processing', activeAttemptId: attempt.attemptId },
      { paymentId: intent.paymentId, merchantId: intent.merchantId, version: intent.version },
      { increment: ['attemptCount', 'version'], now: ['updatedAt'] },
      { expectRow: true },
    );
    batch.insert(PaymentAttemptEntity, attempt);
    this.addEvent(batch, intent, attemptStarted(intent.status, attempt));
    await runOrPreconditionFailed(batch);
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
      let attempt: PaymentAttemptEntity;
      let intent: PaymentIntentEntity;
      if (snapshot) {
        // Rows this request just wrote: no re-read; the version-checked attempt update below proves they are current.
        attempt = Object.assign(new PaymentAttemptEntity(), snapshot.attempt);
        intent = Object.assign(new PaymentIntentEntity(), snapshot.intent);
      } else {
        // Read without a transaction: the version checks of the writes below are what makes the change safe.
        const found = await this.dataSource.manager.findOneBy(PaymentAttemptEntity, { merchantId, attemptId });
        if (!found) throw Errors.paymentNotFound();
        attempt = found;
        intent = await this.dataSource.manager.findOneByOrFail(PaymentIntentEntity, {
          merchantId,
          paymentId: attempt.paymentId,
        });
      }
      const mutation = decide(attempt, intent);
      const attemptPatch = mutation?.attempt && Object.keys(mutation.attempt).length ? mutation.attempt : null;
      // Without an attempt update nothing would check the snapshot's version: decide again on fresh rows.
      if (snapshot && !attemptPatch) continue;
      if (!mutation) return { attempt, intent, applied: false };
      // The attempt's update, the intent's, the events and the merchant's event: one statement, all or nothing.
      const batch = new WriteBatch(this.dataSource);
      const statusBefore = intent.status;
      if (attemptPatch) {
        batch.update(
          PaymentAttemptEntity,
          attemptPatch,
          { attemptId: attempt.attemptId, version: attempt.version },
          { increment: ['version'], now: ['modifiedAt'] },
          { expectRow: true },
        );
        attempt = Object.assign(attempt, attemptPatch, { version: attempt.version + 1 });
      }
      // Only the active attempt drives the intent; news about an older attempt is recorded but does not move it.
      if (mutation.intent && intent.activeAttemptId === attempt.attemptId && Object.keys(mutation.intent).length) {
        batch.update(
          PaymentIntentEntity,
          mutation.intent,
          { paymentId: intent.paymentId, version: intent.version },
          { increment: ['version'], now: ['updatedAt'] },
          { expectRow: true },
        );
        intent = Object.assign(intent, mutation.intent, { version: intent.version + 1 });
      }
      for (const event of mutation.events) this.addEvent(batch, intent, { attemptId: attempt.attemptId, ...event });
      const published = await this.writeStatusEvent(batch, intent, attempt, statusBefore);
      try {
        await batch.run();
      } catch (error: unknown) {
        if (error instanceof WriteConflict) continue; // lost a race: decide again on fresh rows
        throw error;
      }
      await this.outbox.publish(merchantId, published);
      return { attempt, intent, applied: true };
    }
    throw new DomainError('PreconditionFailed', 'The payment is being changed concurrently; retry shortly');
  }

  /** Intent-only change (cancel before any attempt), version-guarded. */
  async updateIntent(
    intent: PaymentIntentEntity,
    patch: Partial<PaymentIntentEntity>,
    event: NewEvent,
  ): Promise<PaymentIntentEntity> {
    const batch = new WriteBatch(this.dataSource).update(
      PaymentIntentEntity,
      patch,
      { paymentId: intent.paymentId, merchantId: intent.merchantId, version: intent.version },
      { increment: ['version'], now: ['updatedAt'] },
      { expectRow: true },
    );
    this.addEvent(batch, intent, event);
    const updated = Object.assign(new PaymentIntentEntity(), intent, patch, { version: intent.version + 1 });
    const published = await this.writeStatusEvent(batch, updated, null, intent.status);
    await runOrPreconditionFailed(batch);
    await this.outbox.publish(intent.merchantId, published);
    return updated;
  }

  /** The merchant event for a new intent status, written with the change (outbox). */
  private async writeStatusEvent(
    batch: WriteBatch,
    intent: PaymentIntentEntity,
    attempt: PaymentAttemptEntity | null,
    statusBefore: string,
  ): Promise<string[]> {
    const eventType = intent.status === statusBefore ? null : eventTypeFor(intent.status as IntentStatus);
    if (!eventType) return [];
    const eventId = await this.outbox.write(batch, {
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
    await PreparedWrites.insert(em, PaymentEventEntity, eventRow(intent, event));
  }

  private addEvent(
    batch: WriteBatch,
    intent: Pick<PaymentIntentEntity, 'merchantId' | 'paymentId'>,
    event: NewEvent,
  ): void {
    batch.insert(PaymentEventEntity, eventRow(intent, event));
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

/** Runs a batch whose checked update guards the caller's view of the intent: a lost race is the merchant's 412. */
async function runOrPreconditionFailed(batch: WriteBatch): Promise<void> {
  try {
    await batch.run();
  } catch (error: unknown) {
    if (error instanceof WriteConflict) {
      throw new DomainError(
        'PreconditionFailed',
        'The payment was changed by another request; retrieve it and try again',
      );
    }
    throw error;
  }
}

function eventRow(
  intent: Pick<PaymentIntentEntity, 'merchantId' | 'paymentId'>,
  event: NewEvent,
): Partial<PaymentEventEntity> {
  return {
    merchantId: intent.merchantId,
    paymentId: intent.paymentId,
    attemptId: event.attemptId ?? null,
    refundId: event.refundId ?? null,
    eventType: event.eventType,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    source: event.source,
    details: event.details ?? null,
  };
}

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
