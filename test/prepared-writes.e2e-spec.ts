import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  createDataSource,
  MAX_NAMED_STATEMENTS,
  PaymentAttemptEntity,
  PaymentEventEntity,
  PaymentIntentEntity,
  pgPool,
  PreparedWrites,
  WriteBatch,
  WriteConflict,
} from '@switchyard/database';
import { PaymentsRepository } from '@switchyard/payments';
import { call, createMerchant, Merchant } from './support/client';
import { startStack, Stack } from './support/stack';

/**
 * The hot path's prepared inserts and updates behave as TypeORM's did: defaults and versions, JSON and bigint columns,
 * version-checked updates, and the caller's transaction (rolled back means nothing written).
 */
describe('PreparedWrites', () => {
  let stack: Stack;
  let db: DataSource;
  let merchant: Merchant;
  let merchantId: string;
  let profileId: string;

  beforeAll(async () => {
    stack = await startStack('prepared-writes');
    merchant = await createMerchant(stack);
    merchantId = merchant.merchantId;
    db = await createDataSource(String(process.env.DATABASE_URL)).initialize();
    const rows = (await db.query('SELECT profile_id FROM business_profiles WHERE merchant_id = $1', [merchantId])) as {
      profile_id: string;
    }[];
    profileId = rows[0].profile_id;
  });
  afterAll(async () => {
    await db?.destroy();
    await stack.close();
  });

  function newIntent(): PaymentIntentEntity {
    return Object.assign(new PaymentIntentEntity(), {
      paymentId: `pay_${randomBytes(8).toString('hex')}`,
      merchantId,
      profileId,
      mode: 'test',
      status: 'requires_payment_method',
      amount: 9_007_199_254, // beyond int4: the bigint transformer round-trips it
      currency: 'USD',
      amountCapturable: 0,
      amountReceived: null,
      captureMethod: 'automatic',
      clientSecret: 'secret',
      clientSecretExpiresAt: new Date(Date.now() + 60_000),
      metadata: { order: 'A-1', nested: { quote: `it's "quoted"` } },
      attemptCount: 0,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
  }

  it('inserts with version 1 and the database timestamps written back; the row reads back equal', async () => {
    const intent = newIntent();
    await db.transaction((em) => PreparedWrites.insert(em, PaymentIntentEntity, intent));
    expect(intent.version).toBe(1);
    expect(intent.createdAt).toBeInstanceOf(Date);
    const stored = await db.manager.findOneByOrFail(PaymentIntentEntity, { paymentId: intent.paymentId });
    expect(stored.createdAt.getTime()).toBe(intent.createdAt.getTime());
    expect(stored).toMatchObject({
      version: 1,
      amount: 9_007_199_254,
      amountReceived: null,
      metadata: { order: 'A-1', nested: { quote: `it's "quoted"` } },
      description: null,
    });
  });

  it('updates only on the expected version, bumping it and the update time', async () => {
    const intent = newIntent();
    await db.transaction((em) => PreparedWrites.insert(em, PaymentIntentEntity, intent));
    const where = { paymentId: intent.paymentId, version: 1 };
    const extras = { increment: ['version' as const], now: ['updatedAt' as const] };
    const first = await db.transaction((em) =>
      PreparedWrites.update(em, PaymentIntentEntity, { status: 'processing', amountReceived: 5 }, where, extras),
    );
    const stale = await db.transaction((em) =>
      PreparedWrites.update(em, PaymentIntentEntity, { status: 'failed' }, where, extras),
    );
    expect([first, stale]).toEqual([1, 0]);
    const stored = await db.manager.findOneByOrFail(PaymentIntentEntity, { paymentId: intent.paymentId });
    expect(stored).toMatchObject({ status: 'processing', amountReceived: 5, version: 2 });
    expect(stored.updatedAt.getTime()).toBeGreaterThan(intent.updatedAt.getTime());
  });

  it('writes nothing when the transaction rolls back', async () => {
    const intent = newIntent();
    await expect(
      db.transaction(async (em) => {
        await PreparedWrites.insert(em, PaymentIntentEntity, intent);
        await PreparedWrites.insert(em, PaymentEventEntity, {
          merchantId,
          paymentId: intent.paymentId,
          eventType: 'payment_created',
          fromStatus: null,
          toStatus: intent.status,
          source: 'api',
        });
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await db.manager.countBy(PaymentIntentEntity, { paymentId: intent.paymentId })).toBe(0);
    expect(await db.manager.countBy(PaymentEventEntity, { paymentId: intent.paymentId })).toBe(0);
  });

  it('surfaces a unique violation with its Postgres code and constraint', async () => {
    const intent = newIntent();
    await db.transaction((em) => PreparedWrites.insert(em, PaymentIntentEntity, intent));
    const again = Object.assign(newIntent(), { paymentId: intent.paymentId });
    await expect(db.transaction((em) => PreparedWrites.insert(em, PaymentIntentEntity, again))).rejects.toMatchObject({
      code: '23505',
      constraint: 'payment_intents_pkey',
    });
  });

  it('refuses to run outside a transaction', async () => {
    await expect(PreparedWrites.insert(db.manager, PaymentIntentEntity, newIntent())).rejects.toThrow(
      /inside a transaction/,
    );
  });

  function createdEvent(intent: PaymentIntentEntity, eventType = 'payment_created'): Partial<PaymentEventEntity> {
    return {
      merchantId,
      paymentId: intent.paymentId,
      eventType,
      fromStatus: null,
      toStatus: intent.status,
      source: 'api',
      details: { note: `it's "quoted"` },
    };
  }

  describe('WriteBatch', () => {
    it('writes every row in one statement, without a transaction, and writes the database defaults back', async () => {
      const intent = newIntent();
      const pool = pgPool(db) as unknown as { query: (...args: unknown[]) => Promise<unknown> };
      const sent: string[] = [];
      const query = pool.query.bind(pool);
      pool.query = (...args: unknown[]) => {
        sent.push((args[0] as { text: string }).text);
        return query(...args);
      };
      try {
        await new WriteBatch(db)
          .insert(PaymentIntentEntity, intent)
          .insert(PaymentEventEntity, createdEvent(intent))
          .insert(PaymentEventEntity, createdEvent(intent, 'attempt_started'))
          .run();
      } finally {
        pool.query = query;
      }
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/^WITH w0 AS \(INSERT INTO "payment_intents"/);
      expect(intent.version).toBe(1);
      expect(intent.createdAt).toBeInstanceOf(Date);
      const stored = await db.manager.findOneByOrFail(PaymentIntentEntity, { paymentId: intent.paymentId });
      expect(stored.createdAt.getTime()).toBe(intent.createdAt.getTime());
      expect(stored).toMatchObject({ version: 1, amount: 9_007_199_254, metadata: intent.metadata });
      const events = await db.manager.find(PaymentEventEntity, {
        where: { paymentId: intent.paymentId },
        order: { id: 'ASC' },
      });
      expect(events.map((e) => [e.eventType, e.details])).toEqual([
        ['payment_created', { note: `it's "quoted"` }],
        ['attempt_started', { note: `it's "quoted"` }],
      ]);
    });

    it('applies a checked update on the expected version, and on a stale one writes nothing at all', async () => {
      const intent = newIntent();
      await new WriteBatch(db).insert(PaymentIntentEntity, intent).run();
      const checked = (version: number, status: string) =>
        new WriteBatch(db)
          .update(
            PaymentIntentEntity,
            { status },
            { paymentId: intent.paymentId, version },
            { increment: ['version'], now: ['updatedAt'] },
            { expectRow: true },
          )
          .insert(PaymentEventEntity, { ...createdEvent(intent, `moved_${status}`), toStatus: status })
          .run();
      await checked(1, 'processing');
      await expect(checked(1, 'failed')).rejects.toBeInstanceOf(WriteConflict);
      await expect(checked(1, 'failed')).rejects.toMatchObject({ tableName: 'payment_intents' });
      const stored = await db.manager.findOneByOrFail(PaymentIntentEntity, { paymentId: intent.paymentId });
      expect(stored).toMatchObject({ status: 'processing', version: 2 });
      const events = await db.manager.findBy(PaymentEventEntity, { paymentId: intent.paymentId });
      expect(events.map((e) => e.eventType)).toEqual(['moved_processing']); // the stale batch's event is not there
    });

    it('fails whole on a unique violation, with its Postgres code and constraint', async () => {
      const intent = newIntent();
      await new WriteBatch(db).insert(PaymentIntentEntity, intent).run();
      const again = Object.assign(newIntent(), { paymentId: intent.paymentId });
      const other = newIntent();
      await expect(
        new WriteBatch(db)
          .insert(PaymentIntentEntity, other)
          .insert(PaymentEventEntity, createdEvent(other))
          .insert(PaymentIntentEntity, again)
          .run(),
      ).rejects.toMatchObject({ code: '23505', constraint: 'payment_intents_pkey' });
      expect(await db.manager.countBy(PaymentIntentEntity, { paymentId: other.paymentId })).toBe(0);
      expect(await db.manager.countBy(PaymentEventEntity, { paymentId: other.paymentId })).toBe(0);
    });

    it('does nothing when empty', async () => {
      await expect(new WriteBatch(db).run()).resolves.toBeUndefined();
    });
  });

  describe('PaymentsRepository.mutate (one statement per change)', () => {
    it('lets one of two racing changes win; the other decides again on the fresh rows', async () => {
      const created = await call(stack.api, 'POST', '/payments', {
        key: merchant.key,
        body: { amount: 700, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
      });
      expect(created.body.status).toBe('requires_customer_action');
      const paymentId = String(created.body.payment_id);
      const intent = await db.manager.findOneByOrFail(PaymentIntentEntity, { merchantId, paymentId });
      const attempt = await db.manager.findOneByOrFail(PaymentAttemptEntity, {
        merchantId,
        attemptId: String(intent.activeAttemptId),
      });
      const published: string[][] = [];
      const outbox = {
        write: async () => null,
        publish: async (_m: string, ids: string[]) => void published.push(ids),
      } as unknown as ConstructorParameters<typeof PaymentsRepository>[1];
      const repo = new PaymentsRepository(db, outbox);
      const decisions: string[] = [];
      const settle = (who: string) =>
        repo.mutate(
          merchantId,
          attempt.attemptId,
          (a, i) => {
            decisions.push(`${who}:${a.status}`);
            if (a.status !== 'authentication_pending') return null;
            return {
              attempt: { status: 'charged' },
              intent: { status: 'succeeded', amountReceived: i.amount },
              events: [{ eventType: `settled_by_${who}`, fromStatus: i.status, toStatus: 'succeeded', source: 'sync' }],
            };
          },
          { attempt, intent }, // both start from the same versions
        );
      const [first, second] = await Promise.all([settle('a'), settle('b')]);
      expect([first.applied, second.applied].sort()).toEqual([false, true]);
      // The loser decided twice: once on the shared snapshot, once on the winner's rows (and changed nothing).
      expect(decisions.filter((d) => d.endsWith(':charged'))).toHaveLength(1);
      const after = await db.manager.findOneByOrFail(PaymentIntentEntity, { merchantId, paymentId });
      expect(after).toMatchObject({ status: 'succeeded', amountReceived: 700, version: intent.version + 1 });
      const storedAttempt = await db.manager.findOneByOrFail(PaymentAttemptEntity, { attemptId: attempt.attemptId });
      expect(storedAttempt).toMatchObject({ status: 'charged', version: attempt.version + 1 });
      const settled = await db.manager.findBy(PaymentEventEntity, { paymentId });
      expect(settled.filter((e) => e.eventType.startsWith('settled_by_'))).toHaveLength(1);
    });
  });

  // Last: it fills this process's table of named statements.
  it('names at most MAX_NAMED_STATEMENTS shapes; further ones run unnamed and still write', async () => {
    for (let i = 0; PreparedWrites.statement(`filler:${i}`, () => `SELECT ${i}`).name !== undefined; i++) {
      expect(i).toBeLessThan(MAX_NAMED_STATEMENTS);
    }
    expect(PreparedWrites.statement('filler:again', () => 'SELECT 1').name).toBeUndefined();
    const intent = Object.assign(newIntent(), { description: 'a shape not seen before' });
    await new WriteBatch(db).insert(PaymentIntentEntity, intent).insert(PaymentEventEntity, createdEvent(intent)).run();
    expect(await db.manager.countBy(PaymentEventEntity, { paymentId: intent.paymentId })).toBe(1);
    expect(intent.createdAt).toBeInstanceOf(Date);
  });
});
