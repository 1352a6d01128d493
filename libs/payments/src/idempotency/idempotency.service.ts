import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, DomainError } from '@switchyard/common';
import { IdempotencyKeyEntity } from '@switchyard/database';

/**
 * A request holds its key this long. A holder that never finished (crash) leaves its key refused (409) for good, never
 * re-run; after this time the refusal says so instead of "still being processed".
 */
const LOCK_MS = 10 * 60 * 1000;

export type IdempotencyStart = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

/**
 * `Idempotency-Key` on every POST: the first request claims the key (one INSERT … ON CONFLICT DO NOTHING, so concurrent
 * twins race on the primary key, not in memory); same key + same body afterwards → the stored response; other body → 422;
 * still in flight → 409.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async begin(merchantId: string, key: string, requestHash: string): Promise<IdempotencyStart> {
    const now = this.clock.now();
    const inserted = await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(IdempotencyKeyEntity)
      .values({
        merchantId,
        idempotencyKey: key,
        requestHash,
        state: 'in_flight',
        lockedUntil: new Date(now.getTime() + LOCK_MS),
      })
      .orIgnore()
      .returning(['merchant_id'])
      .execute();
    if (inserted.raw.length > 0) return { kind: 'new' };
    const row = await this.dataSource.manager.findOneBy(IdempotencyKeyEntity, { merchantId, idempotencyKey: key });
    if (!row) return this.begin(merchantId, key, requestHash);
    if (row.requestHash !== requestHash) {
      throw new DomainError(
        'IdempotencyKeyReused',
        'Idempotency-Key was already used with a different request body or path',
      );
    }
    if (row.state === 'completed' && row.responseStatus !== null) {
      return { kind: 'replay', status: row.responseStatus, body: row.responseBody };
    }
    if (row.lockedUntil.getTime() <= now.getTime()) {
      // The first request stopped mid-way (a crash or a deploy) and never recorded an answer. Re-running it could
      // charge twice, so the key stays refused, with what the merchant should do instead of "retry later" forever.
      throw new DomainError(
        'IdempotencyKeyInFlight',
        'The request with this Idempotency-Key never completed (the server stopped while handling it) and will not be re-run: look the payment up (GET /payments/list) before retrying with a new key',
      );
    }
    throw new DomainError(
      'IdempotencyKeyInFlight',
      'A request with this Idempotency-Key is still being processed; retry later',
    );
  }

  async complete(merchantId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.manager.update(
      IdempotencyKeyEntity,
      { merchantId, idempotencyKey: key },
      { state: 'completed', responseStatus: status, responseBody: body as object },
    );
  }

  /** Releases a key whose request failed before doing anything (validation, auth): the client may retry with it. */
  async release(merchantId: string, key: string): Promise<void> {
    await this.dataSource.manager.delete(IdempotencyKeyEntity, { merchantId, idempotencyKey: key, state: 'in_flight' });
  }
}
