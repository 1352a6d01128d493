import { call, createMerchant, createMerchantWith, Merchant } from '../support/client';
import { startStack, Stack } from '../support/stack';
import { pluralAccount, registerPluralMerchant } from '../plural/plural.support';
import { tapAccount } from '../tap/tap.support';

/**
 * Short version of `npm run verify` check 1, on all three connectors: concurrent create+confirm calls sharing an
 * Idempotency-Key make one payment and one charge at the processor (counted in the sandbox), and concurrent confirms of
 * one payment without any key make one charge too.
 */
describe('verify: double-charge safety on every connector', () => {
  let stack: Stack;
  const merchants: Record<string, Merchant> = {};
  const currency: Record<string, [string, number]> = {
    generic: ['USD', 1000],
    plural: ['INR', 100000],
    tap: ['KWD', 2000],
  };

  beforeAll(async () => {
    stack = await startStack('verify-double-charge');
    merchants.generic = await createMerchant(stack);
    merchants.plural = await createMerchantWith(stack, (id) => pluralAccount(stack, id));
    await registerPluralMerchant(stack, merchants.plural);
    merchants.tap = await createMerchantWith(stack, (id) => tapAccount(stack, id));
  });
  afterAll(() => stack.close());

  /** Objects the processor made for the attempts of `paymentId` (our attempt ids are `<payment_id>_<n>`). */
  const chargesAt = (connector: string, paymentId: string): number => {
    const mine = (reference: string | null | undefined) => !!reference && reference.startsWith(`${paymentId}_`);
    const state = stack.sandboxState;
    if (connector === 'generic') return state.generic.listPayments().filter((p) => mine(p.custom)).length;
    if (connector === 'plural') return state.plural.listOrders().filter((o) => mine(o.reference)).length;
    return state.tap.listCharges().filter((c) => mine(c.reference.transaction)).length;
  };

  it.each(['generic', 'plural', 'tap'])(
    '%s: 10 concurrent create+confirm with one key → 1 payment, 1 charge',
    async (c) => {
      const [cur, amount] = currency[c];
      const key = `dc-${c}-${Date.now()}`;
      const body = { amount, currency: cur, confirm: true, return_url: 'https://shop.example/r' };
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          call(stack.api, 'POST', '/payments', {
            key: merchants[c].key,
            body,
            headers: { 'idempotency-key': key },
          }),
        ),
      );
      answers.forEach((r) => expect([200, 409]).toContain(r.status));
      const again = await call(stack.api, 'POST', '/payments', {
        key: merchants[c].key,
        body,
        headers: { 'idempotency-key': key },
      });
      const ids = new Set([...answers, again].filter((r) => r.status === 200).map((r) => String(r.body.payment_id)));
      expect(ids.size).toBe(1);
      expect(chargesAt(c, [...ids][0])).toBe(1);
    },
  );

  it.each(['generic', 'plural', 'tap'])('%s: 10 concurrent confirms without a key → 1 charge', async (c) => {
    const [cur, amount] = currency[c];
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchants[c].key,
      body: { amount, currency: cur, return_url: 'https://shop.example/r' },
    });
    const paymentId = String(created.body.payment_id);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(stack.api, 'POST', `/payments/${paymentId}/confirm`, { key: merchants[c].key, body: {} }),
      ),
    );
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    answers.filter((r) => r.status !== 200).forEach((r) => expect(r.body.error?.code).toBe('IR_16'));
    expect(chargesAt(c, paymentId)).toBe(1);
  });
});
