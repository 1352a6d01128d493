import { call, createMerchantWith, eventually, Merchant } from '../support/client';
import { startStack, Stack } from '../support/stack';
import type { ContractDriver, PaymentView } from './contract-driver';

/**
 * THE shared connector contract: the same behaviour, through the unified API, for every connector against its sandbox.
 * Capabilities a connector does not declare are checked as refusals (the engine must not route them there), not skipped.
 */
export function connectorContract(driver: ContractDriver): void {
  describe(`Connector contract: ${driver.name}`, () => {
    let stack: Stack;
    let merchant: Merchant;

    beforeAll(async () => {
      stack = await startStack(`contract-${driver.name}`, { worker: true });
      merchant = await createMerchantWith(stack, (merchantId) => driver.connectorAccount(stack, merchantId));
      await driver.setup?.(stack, merchant);
    });
    afterAll(() => stack.close());

    const pay = async (amount: number, captureMethod: 'automatic' | 'manual' = 'automatic') => {
      const created = await call(stack.api, 'POST', '/payments', {
        key: merchant.key,
        body: {
          amount,
          currency: driver.currency,
          confirm: true,
          capture_method: captureMethod,
          return_url: 'https://shop.example/done',
        },
      });
      expect(created.status).toBe(200);
      expect(created.body.connector).toBe(driver.name);
      expect(created.body.status).toBe('requires_customer_action');
      return created.body as Record<string, unknown> & { payment_id: string; next_action: { redirect_to_url: string } };
    };
    const get = (paymentId: string, query = '') =>
      call(stack.api, 'GET', `/payments/${paymentId}${query}`, { key: merchant.key });
    const paidPayment = async (amount = driver.amounts.success) => {
      const p = await pay(amount);
      const { returnLocation } = await driver.shopper(stack, p.next_action.redirect_to_url, 'pay');
      expect(new URL(returnLocation!).searchParams.get('status')).toBe('succeeded');
      return p;
    };

    it('authorizes and captures automatically, proven server-side on return', async () => {
      const p = await paidPayment();
      const after = await get(p.payment_id);
      expect(after.body).toMatchObject({
        status: 'succeeded',
        amount_received: driver.amounts.success,
        currency: driver.currency,
      });
    });

    it('maps a decline to failed with a unified code', async () => {
      const p = await pay(driver.amounts.decline);
      const { returnLocation } = await driver.shopper(stack, p.next_action.redirect_to_url, 'pay');
      expect(new URL(returnLocation!).searchParams.get('status')).toBe('failed');
      const after = await get(p.payment_id);
      expect(after.body.status).toBe('failed');
      expect(after.body.unified_code).toMatch(/^UE_/);
      expect(after.body.error_code).toBeTruthy();
    });

    it('syncs a pending payment to its final state', async () => {
      const p = await pay(driver.amounts.pendingThenSuccess);
      await driver.shopper(stack, p.next_action.redirect_to_url, 'pay');
      const done = await eventually(
        () => get(p.payment_id, '?force_sync=true'),
        (r) => r.body.status === 'succeeded',
      );
      expect(done.body.amount_received).toBe(driver.amounts.pendingThenSuccess);
    });

    it('refunds in full, or in part where supported, and refuses a refund above the captured amount', async () => {
      const p = await paidPayment();
      const over = await call(stack.api, 'POST', '/refunds', {
        key: merchant.key,
        body: { payment_id: p.payment_id, amount: driver.amounts.success + 1 },
      });
      expect(over.status).toBe(400);
      expect(over.body.error?.code).toBe('IR_13');
      const first = driver.features.partialRefunds ? Math.floor(driver.amounts.success / 2) : driver.amounts.success;
      const refund = await call(stack.api, 'POST', '/refunds', {
        key: merchant.key,
        body: { payment_id: p.payment_id, amount: first },
      });
      expect(refund.status).toBe(200);
      expect(refund.body).toMatchObject({ amount: first, currency: driver.currency });
      const settled = await eventually(
        () => call(stack.api, 'GET', `/refunds/${refund.body.refund_id}?force_sync=true`, { key: merchant.key }),
        (r) => r.body.status !== 'pending',
      );
      expect(settled.body.status).toBe('succeeded');
      if (driver.features.partialRefunds) {
        const rest = await call(stack.api, 'POST', '/refunds', {
          key: merchant.key,
          body: { payment_id: p.payment_id, amount: driver.amounts.success - first },
        });
        expect(rest.status).toBe(200);
        const none = await call(stack.api, 'POST', '/refunds', {
          key: merchant.key,
          body: { payment_id: p.payment_id, amount: 1 },
        });
        expect(none.body.error?.code).toBe('IR_13');
      }
    });

    it('never succeeds on a forged return', async () => {
      const p = await pay(driver.amounts.success);
      const res = await driver.forgeReturn(stack, merchant, {
        payment_id: p.payment_id,
        connector_transaction_id: (p.connector_transaction_id as string) ?? null,
      });
      expect(res.status).toBe(303);
      expect(new URL(res.headers.get('location')!).searchParams.get('status')).not.toBe('succeeded');
      expect((await get(p.payment_id)).body.status).toBe('requires_customer_action');
    });

    if (driver.features.manualCapture) {
      it('authorizes only, then captures', async () => {
        const p = await pay(driver.amounts.success, 'manual');
        await driver.shopper(stack, p.next_action.redirect_to_url, 'pay');
        const authorized = await eventually(
          () => get(p.payment_id),
          (r) => r.body.status === 'requires_capture',
        );
        expect(authorized.body.amount_capturable).toBe(driver.amounts.success);
        const captured = await call(stack.api, 'POST', `/payments/${p.payment_id}/capture`, {
          key: merchant.key,
          body: {},
        });
        expect(captured.status).toBe(200);
        const done = await eventually(
          () => get(p.payment_id, '?force_sync=true'),
          (r) => r.body.status === 'succeeded',
        );
        expect(done.body.amount_received).toBe(driver.amounts.success);
      });

      it('voids an authorization', async () => {
        const p = await pay(driver.amounts.success, 'manual');
        await driver.shopper(stack, p.next_action.redirect_to_url, 'pay');
        await eventually(
          () => get(p.payment_id),
          (r) => r.body.status === 'requires_capture',
        );
        const voided = await call(stack.api, 'POST', `/payments/${p.payment_id}/cancel`, {
          key: merchant.key,
          body: { cancellation_reason: 'out of stock' },
        });
        expect(voided.status).toBe(200);
        const done = await eventually(
          () => get(p.payment_id, '?force_sync=true'),
          (r) => r.body.status === 'cancelled',
        );
        expect(done.body.amount_capturable).toBe(0);
      });

      it(
        driver.features.partialCapture ? 'captures part of an authorization' : 'refuses a partial capture it cannot do',
        async () => {
          const p = await pay(driver.amounts.success, 'manual');
          await driver.shopper(stack, p.next_action.redirect_to_url, 'pay');
          await eventually(
            () => get(p.payment_id),
            (r) => r.body.status === 'requires_capture',
          );
          const part = Math.floor(driver.amounts.success / 2);
          const res = await call(stack.api, 'POST', `/payments/${p.payment_id}/capture`, {
            key: merchant.key,
            body: { amount_to_capture: part },
          });
          if (driver.features.partialCapture) {
            expect(res.status).toBe(200);
            const done = await eventually(
              () => get(p.payment_id, '?force_sync=true'),
              (r) => ['succeeded', 'partially_captured'].includes(String(r.body.status)),
            );
            expect(done.body.amount_received).toBe(part);
          } else {
            expect(res.status).toBe(400);
            expect((await get(p.payment_id)).body.status).toBe('requires_capture');
          }
        },
      );
    } else {
      it('is not chosen for manual capture (no eligible connector)', async () => {
        const res = await call(stack.api, 'POST', '/payments', {
          key: merchant.key,
          body: { amount: driver.amounts.success, currency: driver.currency, confirm: true, capture_method: 'manual' },
        });
        expect(res.status).toBe(400);
        expect(res.body.error?.code).toBe('IR_39');
      });
    }

    const webhooks = driver.webhooks;
    if (driver.features.webhooks && webhooks) {
      const view = async (paymentId: string): Promise<PaymentView> => {
        const r = await get(paymentId, '?expand_attempts=true');
        const attempts = r.body.attempts as { attempt_id: string }[];
        return {
          payment_id: paymentId,
          amount: Number(r.body.amount),
          currency: String(r.body.currency),
          connector_transaction_id: (r.body.connector_transaction_id as string) ?? null,
          attempt_id: attempts[attempts.length - 1].attempt_id,
        };
      };
      const post = (delivery: { headers: Record<string, string>; body: string }) =>
        fetch(`${stack.api}/webhooks/${merchant.merchantId}/${merchant.connectorId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...delivery.headers },
          body: delivery.body,
        });

      it('applies a verified webhook once, and rejects forged, tampered and stale ones with 401 and no change', async () => {
        const p = await pay(driver.amounts.success);
        const payment = await view(p.payment_id);
        const forged = await webhooks.wrongKey(stack, merchant, payment);
        expect((await post(forged)).status).toBe(401);
        const valid = await webhooks.paid(stack, merchant, payment);
        expect((await post(webhooks.tampered(valid))).status).toBe(401);
        const stale = await webhooks.stale(stack, merchant, payment);
        if (stale) expect((await post(stale)).status).toBe(401);
        expect((await get(p.payment_id)).body.status).toBe('requires_customer_action');

        expect((await post(valid)).status).toBe(200);
        await eventually(
          () => get(p.payment_id),
          (r) => r.body.status === 'succeeded',
        );
        const replay = await post(valid);
        expect(replay.status).toBeLessThan(500);
        const after = await get(p.payment_id);
        expect(after.body).toMatchObject({ status: 'succeeded', amount_received: driver.amounts.success });
      });

      it('records a late webhook for a terminal payment without re-applying it', async () => {
        const p = await pay(driver.amounts.decline);
        await driver.shopper(stack, p.next_action.redirect_to_url, 'pay');
        expect((await get(p.payment_id)).body.status).toBe('failed');
        const late = await webhooks.paid(stack, merchant, await view(p.payment_id));
        expect((await post(late)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 1500));
        expect((await get(p.payment_id)).body.status).toBe('failed');
      });
    } else {
      it('refuses webhooks for a connector that sends none', async () => {
        const res = await fetch(`${stack.api}/webhooks/${merchant.merchantId}/${merchant.connectorId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"status":"SUCCESS"}',
        });
        expect(res.status).toBe(400);
      });
    }
  });
}
