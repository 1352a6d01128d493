import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, PaymentEventEntity, PaymentIntentEntity, PreparedWrites } from '@switchyard/database';
import { createMerchant } from './support/client';
import { startStack, Stack } from './support/stack';

/**
 * The hot path's prepared inserts and updates behave as TypeORM's did: defaults and versions, JSON and bigint columns,
 * version-checked updates, and the caller's transaction (rolled back means nothing written).
 */
describe('PreparedWrites', () => {
  let stack: Stack;
  let db: DataSource;
  let merchantId: string;
  let profileId: string;

  beforeAll(async () => {
    stack = await startStack('prepared-writes');
    merchantId = (await createMerchant(stack)).merchantId;
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
});
