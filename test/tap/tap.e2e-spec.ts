import { call, createMerchantWith, eventually, type Merchant } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { tapAccount, tapShopper } from './tap.support';

interface SandboxCharge {
  id: string;
  status: string;
  amount: string;
  amount_minor: number;
  currency: string;
  reference: { transaction: string | null; idempotent: string | null };
}

/**
 * Tap end to end through the engine against the Tap sandbox. Polling is slowed to 10 minutes so that whatever settles
 * a payment here is the return, an explicit force_sync, or Tap's signed webhook — never a background inquiry by luck.
 */
describe('Tap through Switchyard', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack('tap', { worker: true, env: { PAYMENT_SYNC_SCHEDULE: '600' } });
    merchant = await createMerchantWith(stack, (merchantId) => tapAccount(stack, merchantId));
  });
  afterAll(() => stack.close());

  const api = (method: string, path: string, body?: unknown) =>
    call(stack.api, method, path, { key: merchant.key, body });
  const pay = async (amount: number, currency: string) => {
    const res = await api('POST', '/payments', {
      amount,
      currency,
      confirm: true,
      capture_method: 'automatic',
      return_url: 'https://shop.example/done',
    });
    expect(res.status).toBe(200);
    expect(res.body.connector).toBe('tap');
    return res.body as Record<string, unknown> & { payment_id: string; next_action?: { redirect_to_url: string } };
  };
  const attemptIdOf = async (paymentId: string): Promise<string> => {
    const res = await api('GET', `/payments/${paymentId}?expand_attempts=true`);
    const attempts = res.body.attempts as { attempt_id: string }[];
    return attempts[attempts.length - 1].attempt_id;
  };
  const sandbox = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${stack.sandbox}/__sandbox/tap${path}`)).json()) as T;
  const chargesFor = (attemptId: string) =>
    sandbox<SandboxCharge[]>(`/charges?transaction=${encodeURIComponent(attemptId)}`);
  const deliveries = () =>
    sandbox<{ object_id: string; object_status: string; http_status: number | null }[]>('/webhooks');

  it('charges 1.005 KWD, settles it from the signed webhook alone, and refunds exactly 1.005', async () => {
    const p = await pay(1005, 'KWD');
    expect(p.status).toBe('requires_customer_action');
    const attemptId = await attemptIdOf(p.payment_id);
    const [charge] = await chargesFor(attemptId);
    expect(charge).toMatchObject({
      id: p.connector_transaction_id,
      amount: '1.005',
      amount_minor: 1005,
      currency: 'KWD',
    });
    expect(charge.reference).toMatchObject({ transaction: attemptId, idempotent: attemptId });

    // The shopper pays but never comes back: only Tap's webhook can tell Switchyard.
    const { tapLocation } = await tapShopper(p.next_action!.redirect_to_url, 'pay', { followReturn: false });
    expect(new URL(tapLocation).searchParams.get('tap_id')).toBe(charge.id);
    const paid = await eventually(
      () => api('GET', `/payments/${p.payment_id}`),
      (r) => r.body.status === 'succeeded',
    );
    expect(paid.body).toMatchObject({ amount_received: 1005, currency: 'KWD', connector_transaction_id: charge.id });
    expect(await deliveries()).toContainEqual(
      expect.objectContaining({ object_id: charge.id, object_status: 'CAPTURED', http_status: 200 }),
    );

    const refund = await api('POST', '/refunds', {
      payment_id: p.payment_id,
      amount: 1005,
      reason: 'customer returned it',
    });
    expect(refund.status).toBe(200);
    expect(refund.body).toMatchObject({ amount: 1005, currency: 'KWD' });
    const refunds = await sandbox<
      { id: string; amount: string; amount_minor: number; reason: string; reference: { merchant: string } }[]
    >(`/refunds?charge_id=${charge.id}`);
    expect(refunds).toEqual([
      expect.objectContaining({
        amount: '1.005',
        amount_minor: 1005,
        reason: 'customer returned it',
        reference: { merchant: refund.body.refund_id },
      }),
    ]);
    // Settled by Tap's refund webhook (the sandbox settles PENDING refunds on its own after 500 ms), not by an inquiry.
    const settled = await eventually(
      () => api('GET', `/refunds/${refund.body.refund_id}`),
      (r) => r.body.status !== 'pending',
    );
    expect(settled.body.status).toBe('succeeded');
    expect(await deliveries()).toContainEqual(
      expect.objectContaining({ object_id: refunds[0].id, object_status: 'REFUNDED', http_status: 200 }),
    );
  });

  it('charges an AED payment with two decimals', async () => {
    const p = await pay(2550, 'AED');
    const { returnLocation } = await tapShopper(p.next_action!.redirect_to_url, 'pay');
    expect(new URL(returnLocation!).searchParams.get('status')).toBe('succeeded');
    const [charge] = await chargesFor(await attemptIdOf(p.payment_id));
    expect(charge).toMatchObject({ amount: '25.50', amount_minor: 2550, currency: 'AED', status: 'CAPTURED' });
    expect((await api('GET', `/payments/${p.payment_id}`)).body).toMatchObject({
      status: 'succeeded',
      amount_received: 2550,
    });
  });

  it('fails a declined payment with Tap response code and a unified code', async () => {
    const p = await pay(1051, 'KWD');
    const { returnLocation } = await tapShopper(p.next_action!.redirect_to_url, 'pay');
    expect(new URL(returnLocation!).searchParams.get('status')).toBe('failed');
    expect((await api('GET', `/payments/${p.payment_id}`)).body).toMatchObject({
      status: 'failed',
      error_code: '507',
      error_message: 'Declined, Insufficient Funds',
      unified_code: 'UE_1000',
    });
  });

  it('resolves a create that timed out through its idempotent reference, without a second charge', async () => {
    // …53: Tap makes the charge, then the answer outlives the connector timeout (sandbox hangs 3 s, client gives up at 1.5 s).
    const p = await pay(1053, 'KWD');
    expect(p).toMatchObject({ status: 'processing', connector_transaction_id: null });
    const attemptId = await attemptIdOf(p.payment_id);
    expect(await chargesFor(attemptId)).toHaveLength(1);

    const synced = await api('GET', `/payments/${p.payment_id}?force_sync=true`);
    expect(synced.body.status).toBe('requires_customer_action');
    const [charge] = await chargesFor(attemptId);
    expect(synced.body).toMatchObject({
      connector_transaction_id: charge.id,
      next_action: { redirect_to_url: expect.stringContaining(charge.id) },
    });
    const idempotency = await sandbox<{ idempotent: string; objects: number; requests: number }[]>('/idempotency');
    expect(idempotency.find((row) => row.idempotent === attemptId)).toMatchObject({ objects: 1, requests: 2 });

    const { returnLocation } = await tapShopper(
      (synced.body.next_action as { redirect_to_url: string }).redirect_to_url,
      'pay',
    );
    expect(new URL(returnLocation!).searchParams.get('status')).toBe('succeeded');
    expect(await chargesFor(attemptId)).toEqual([expect.objectContaining({ id: charge.id, status: 'CAPTURED' })]);
    expect((await api('GET', `/payments/${p.payment_id}`)).body).toMatchObject({
      status: 'succeeded',
      amount_received: 1053,
    });
  });
});
