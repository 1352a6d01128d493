import { call, shopperActs } from '../support/client';
import { startStack, Stack } from '../support/stack';
import { activateRouting, choice, decisionOf, merchantWithAccounts, pay, redirectOf } from './routing.support';

interface AttemptView {
  attempt_id: string;
  status: string;
  merchant_connector_id: string;
  error_code: string | null;
  unified_code: string | null;
  routing_decision: {
    retry_of: string | null;
    retry_reason: string | null;
    candidates: { merchant_connector_id: string; skipped_reason: string | null }[];
  };
}

/**
 * Cascading retry: a definite refusal the retryable-error table lists moves to the next eligible connector, within the
 * profile's budget; an issuer decline on the hosted page, and a pinned payment with nowhere else to go, do not.
 * Accounts with a client id starting with `invalid` get the sandbox's token refusal (generic HTTP_400, UE_3000).
 */
describe('Cascading retry', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('routing-cascade');
  });
  afterAll(() => stack.close());

  const attempts = async (key: string, paymentId: string) => {
    const res = await call(stack.api, 'GET', `/payments/${paymentId}?expand_attempts=true`, { key });
    return { payment: res.body, attempts: res.body.attempts as AttemptView[] };
  };

  it('moves a retryable refusal to the next connector, recording which attempt it retries', async () => {
    const m = await merchantWithAccounts(stack, [{ label: 'broken', clientId: 'invalid_client' }, { label: 'good' }]);
    await activateRouting(stack, m, { type: 'priority', data: [choice(m, 'broken'), choice(m, 'good')] });
    const created = await pay(stack, m, 1000);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 'requires_customer_action', connector: 'generic' });
    expect(decisionOf(created).selected.merchant_connector_id).toBe(m.accounts.good);

    const { attempts: tried } = await attempts(m.key, String(created.body.payment_id));
    expect(tried.map((a) => [a.merchant_connector_id, a.status])).toEqual([
      [m.accounts.broken, 'failure'],
      [m.accounts.good, 'authentication_pending'],
    ]);
    expect(tried[0]).toMatchObject({ error_code: 'HTTP_400', unified_code: 'UE_3000' });
    expect(tried[1].routing_decision.retry_of).toBe(tried[0].attempt_id);
    expect(tried[1].routing_decision.retry_reason).toMatch(/^HTTP_400: gateway refused the account credentials/);
    expect(
      tried[1].routing_decision.candidates.find((c) => c.merchant_connector_id === m.accounts.broken)?.skipped_reason,
    ).toBe(`already tried for this payment (attempt ${tried[0].attempt_id})`);

    // The next attempt was opened before the failure was recorded: the merchant is never told payment_failed.
    await shopperActs(redirectOf(created), 'pay');
    const done = await attempts(m.key, String(created.body.payment_id));
    expect(done.payment.status).toBe('succeeded');
    const events = await call(
      stack.api,
      'GET',
      `/events/${m.merchantId}?payment_id=${String(created.body.payment_id)}`,
      {
        key: m.key,
      },
    );
    const types = (events.body as unknown as { event_type: string }[]).map((e) => e.event_type);
    expect(types).toContain('payment_succeeded');
    expect(types).not.toContain('payment_failed');
  });

  it('stops at the profile budget, and a larger budget reaches further', async () => {
    const m = await merchantWithAccounts(stack, [
      { label: 'broken1', clientId: 'invalid_one' },
      { label: 'broken2', clientId: 'invalid_two' },
      { label: 'good' },
    ]);
    await activateRouting(stack, m, {
      type: 'priority',
      data: [choice(m, 'broken1'), choice(m, 'broken2'), choice(m, 'good')],
    });
    const stopped = await pay(stack, m, 1000);
    expect(stopped.body).toMatchObject({ status: 'failed', error_code: 'HTTP_400', unified_code: 'UE_3000' });
    expect((await attempts(m.key, String(stopped.body.payment_id))).attempts).toHaveLength(2);

    await call(stack.api, 'POST', `/routing/settings/profile/${m.profileId}`, {
      key: m.key,
      body: { max_cascade_retries: 2 },
    });
    const reached = await pay(stack, m, 1000);
    expect(reached.body.status).toBe('requires_customer_action');
    const { attempts: three } = await attempts(m.key, String(reached.body.payment_id));
    expect(three.map((a) => a.status)).toEqual(['failure', 'failure', 'authentication_pending']);

    await call(stack.api, 'POST', `/routing/settings/profile/${m.profileId}`, {
      key: m.key,
      body: { max_cascade_retries: 0 },
    });
    const none = await pay(stack, m, 1000);
    expect(none.body.status).toBe('failed');
    expect((await attempts(m.key, String(none.body.payment_id))).attempts).toHaveLength(1);
  });

  it('does not cascade an issuer decline on the hosted page', async () => {
    const m = await merchantWithAccounts(stack, [{ label: 'first' }, { label: 'second' }]);
    await activateRouting(stack, m, { type: 'priority', data: [choice(m, 'first'), choice(m, 'second')] });
    const created = await pay(stack, m, 1051);
    const { returnLocation } = await shopperActs(redirectOf(created), 'pay');
    expect(new URL(returnLocation!).searchParams.get('status')).toBe('failed');
    const { payment, attempts: one } = await attempts(m.key, String(created.body.payment_id));
    expect(payment).toMatchObject({ status: 'failed', unified_code: 'UE_1000' });
    expect(one).toHaveLength(1);
  });

  it('keeps a pinned payment on the pin: nowhere else to cascade, the failure stands', async () => {
    const m = await merchantWithAccounts(stack, [{ label: 'broken', clientId: 'invalid_pin' }, { label: 'good' }]);
    const created = await pay(stack, m, 1000, { routing: { type: 'single', data: choice(m, 'broken') } });
    expect(created.body).toMatchObject({ status: 'failed', unified_code: 'UE_3000' });
    expect((await attempts(m.key, String(created.body.payment_id))).attempts).toHaveLength(1);
  });

  it('never cascades an unknown outcome: the attempt stays pending for the inquiry worker', async () => {
    const m = await merchantWithAccounts(stack, [{ label: 'first' }, { label: 'second' }]);
    await activateRouting(stack, m, { type: 'priority', data: [choice(m, 'first'), choice(m, 'second')] });
    const created = await pay(stack, m, 1054);
    expect(created.body.status).toBe('processing');
    const { attempts: one } = await attempts(m.key, String(created.body.payment_id));
    expect(one.map((a) => [a.merchant_connector_id, a.status])).toEqual([[m.accounts.first, 'pending']]);
  });
});
