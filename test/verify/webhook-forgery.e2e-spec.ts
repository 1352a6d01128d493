import { createHmac } from 'node:crypto';
import { call, createMerchantWith, eventually, Merchant, shopperActs } from '../support/client';
import { startStack, Stack } from '../support/stack';
import {
  PLURAL_CLIENT_SECRET,
  PLURAL_MERCHANT_SECRET_HEX,
  pluralAccount,
  pluralClientId,
  pluralShopper,
  postToReturn,
  registerPluralMerchant,
  signedDelivery,
} from '../plural/plural.support';
import { chargeDelivery, tapAccount, tapKeyFor, tapShopper } from '../tap/tap.support';

const PLURAL_SECRET_B = 'plural_client_secret_of_b';

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/**
 * Short version of `npm run verify` check 5: forged, replayed, stale, cross-merchant and tampered webhooks (Plural and
 * Tap) and forged returns (all three connectors) are answered 4xx — or 200 `duplicate` for a byte-identical replay —
 * and move no payment.
 */
describe('verify: webhook and return forgery matrix', () => {
  let stack: Stack;
  const m: Record<'pluralA' | 'pluralB' | 'tapA' | 'tapB' | 'generic', Merchant> = {} as never;

  beforeAll(async () => {
    stack = await startStack('verify-webhooks', { worker: true, env: { PAYMENT_SYNC_SCHEDULE: '600' } });
    m.pluralA = await createMerchantWith(stack, (id) => pluralAccount(stack, id));
    await registerPluralMerchant(stack, m.pluralA);
    // B has its own client secret (the shared test helper gives every merchant the same one).
    m.pluralB = await createMerchantWith(stack, (id) => {
      const account = pluralAccount(stack, id);
      const details = account.connector_account_details as Record<string, string>;
      return { ...account, connector_account_details: { ...details, key1: PLURAL_SECRET_B } };
    });
    const registered = await fetch(`${stack.sandbox}/__sandbox/plural/merchants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: pluralClientId(m.pluralB.merchantId),
        client_secret: PLURAL_SECRET_B,
        webhook_url: `${stack.api}/webhooks/${m.pluralB.merchantId}/${m.pluralB.connectorId}`,
      }),
    });
    expect(registered.status).toBe(200);
    m.tapA = await createMerchantWith(stack, (id) => tapAccount(stack, id));
    m.tapB = await createMerchantWith(stack, (id) => tapAccount(stack, id));
    m.generic = await createMerchantWith(stack, (merchantId) => ({
      connector_type: 'payment_processor',
      connector_name: 'generic',
      test_mode: true,
      connector_account_details: { auth_type: 'BodyKey', api_key: `client_${merchantId}`, key1: 'sandbox_secret_123' },
      metadata: { base_url: `${stack.sandbox}/generic/pay/sandbox/api/v1` },
    }));
  });
  afterAll(() => stack.close());

  const amounts: Record<string, [number, string]> = {
    plural: [250000, 'INR'],
    tap: [12500, 'KWD'],
    generic: [4200, 'USD'],
  };
  interface Payment {
    paymentId: string;
    attemptId: string;
    transactionId: string;
    redirect: string;
    merchant: Merchant;
  }
  const open = async (merchant: Merchant, connector: string): Promise<Payment> => {
    const [amount, currency] = amounts[connector];
    const res = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount, currency, confirm: true, return_url: 'https://shop.example/r' },
    });
    expect(res.status).toBe(200);
    const view = await call(stack.api, 'GET', `/payments/${res.body.payment_id}?expand_attempts=true`, {
      key: merchant.key,
    });
    const attempts = view.body.attempts as { attempt_id: string }[];
    return {
      paymentId: String(res.body.payment_id),
      attemptId: attempts[attempts.length - 1].attempt_id,
      transactionId: String(view.body.connector_transaction_id),
      redirect: (res.body.next_action as { redirect_to_url: string }).redirect_to_url,
      merchant,
    };
  };
  const statusOf = async (p: Payment) =>
    String((await call(stack.api, 'GET', `/payments/${p.paymentId}`, { key: p.merchant.key })).body.status);
  const post = (merchant: Merchant, delivery: Delivery, connectorId = merchant.connectorId) =>
    fetch(`${stack.api}/webhooks/${merchant.merchantId}/${connectorId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...delivery.headers },
      body: delivery.body,
    });
  const orderBody = (p: Payment, status = 'PROCESSED') =>
    JSON.stringify({
      event_type: 'ORDER_PROCESSED',
      data: {
        order_id: p.transactionId,
        merchant_order_reference: p.attemptId,
        type: 'CHARGE',
        status,
        order_amount: { value: amounts.plural[0], currency: 'INR' },
      },
    });

  it('rejects forged, stale, tampered and cross-merchant Plural webhooks, and absorbs a replay', async () => {
    const target = await open(m.pluralA, 'plural');
    const other = await open(m.pluralB, 'plural');
    const paid = await open(m.pluralA, 'plural');
    await pluralShopper(paid.redirect, 'pay');
    await eventually(
      () => statusOf(paid),
      (s) => s === 'succeeded',
    );
    const genuine = await eventually(
      async () =>
        (await (await fetch(`${stack.sandbox}/__sandbox/plural/webhooks?order_id=${paid.transactionId}`)).json()) as {
          event_type: string;
          body: string;
          last_headers: Record<string, string> | null;
        }[],
      (list) => list.some((d) => d.event_type === 'ORDER_PROCESSED' && d.last_headers !== null),
    ).then((list) => list.find((d) => d.event_type === 'ORDER_PROCESSED')!);
    const genuineDelivery = { headers: genuine.last_headers!, body: genuine.body };
    const now = Math.floor(Date.now() / 1000);

    const refused: [string, Merchant, Delivery, string?][] = [
      ['wrong secret', m.pluralA, signedDelivery('not_the_secret', orderBody(target))],
      ['no signature', m.pluralA, { headers: {}, body: orderBody(target) }],
      ['signature of another message', m.pluralA, { headers: genuine.last_headers!, body: orderBody(target) }],
      [
        'genuine delivery pointed at another order',
        m.pluralA,
        {
          headers: genuine.last_headers!,
          body: genuine.body.replaceAll(paid.transactionId, target.transactionId),
        },
      ],
      ['stale timestamp', m.pluralA, signedDelivery(PLURAL_CLIENT_SECRET, orderBody(target), { timestamp: now - 600 })],
      [
        'future timestamp',
        m.pluralA,
        signedDelivery(PLURAL_CLIENT_SECRET, orderBody(target), { timestamp: now + 600 }),
      ],
      ["A's genuine delivery on B's URL", m.pluralB, genuineDelivery],
      ["B's merchant id with A's account", m.pluralB, genuineDelivery, m.pluralA.connectorId],
    ];
    for (const [name, merchant, delivery, connectorId] of refused) {
      const res = await post(merchant, delivery, connectorId);
      expect({ name, status: res.status >= 400 && res.status < 500 }).toEqual({ name, status: true });
    }
    const replay = await post(m.pluralA, genuineDelivery);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, outcome: 'duplicate' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await statusOf(target)).toBe('requires_customer_action');
    expect(await statusOf(other)).toBe('requires_customer_action');
  });

  it('rejects forged and tampered Tap webhooks and keeps a delivery for one charge off every other payment', async () => {
    const target = await open(m.tapA, 'tap');
    const other = await open(m.tapB, 'tap');
    const paid = await open(m.tapA, 'tap');
    await tapShopper(paid.redirect, 'pay');
    await eventually(
      () => statusOf(paid),
      (s) => s === 'succeeded',
    );
    const [minor, currency] = amounts.tap;
    const genuine = chargeDelivery(tapKeyFor(m.tapA.merchantId), {
      id: paid.transactionId,
      minor,
      currency,
      status: 'CAPTURED',
      attemptId: paid.attemptId,
    });
    const forTarget = (key: string) =>
      chargeDelivery(key, {
        id: target.transactionId,
        minor,
        currency,
        status: 'CAPTURED',
        attemptId: target.attemptId,
      });
    const refused: [string, Merchant, Delivery, string?][] = [
      ['wrong key', m.tapA, forTarget('sk_test_not_this_merchant')],
      ['no hashstring', m.tapA, { headers: {}, body: forTarget(tapKeyFor(m.tapA.merchantId)).body }],
      ['amount tampered', m.tapA, { ...genuine, body: genuine.body.replace(/"amount":[0-9.]+/, '"amount":0.001') }],
      [
        'charge id tampered',
        m.tapA,
        { ...genuine, body: genuine.body.replaceAll(paid.transactionId, target.transactionId) },
      ],
      ["A's delivery on B's URL", m.tapB, genuine],
      ["B's merchant id with A's account", m.tapB, genuine, m.tapA.connectorId],
    ];
    for (const [name, merchant, delivery, connectorId] of refused) {
      const res = await post(merchant, delivery, connectorId);
      expect({ name, status: res.status >= 400 && res.status < 500 }).toEqual({ name, status: true });
    }
    // Signed with A's real key, but naming our reference of another payment (a field outside the hashstring): the
    // engine matches by Tap's charge id, so only the paid payment is concerned.
    const retargeted = { ...genuine, body: genuine.body.replaceAll(paid.attemptId, target.attemptId) };
    expect((await post(m.tapA, retargeted)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await statusOf(target)).toBe('requires_customer_action');
    expect(await statusOf(other)).toBe('requires_customer_action');
    expect(await statusOf(paid)).toBe('succeeded');
  });

  it('never lets a forged return succeed a payment, whatever the connector', async () => {
    const generic = await open(m.generic, 'generic');
    const genericPaid = await open(m.generic, 'generic');
    await shopperActs(genericPaid.redirect, 'pay');
    const plural = await open(m.pluralA, 'plural');
    const pluralPaid = await open(m.pluralA, 'plural');
    const tap = await open(m.tapA, 'tap');
    const tapPaid = await open(m.tapA, 'tap');
    await tapShopper(tapPaid.redirect, 'pay');
    const signedCallback: Record<string, string> = { order_id: pluralPaid.transactionId, status: 'PROCESSED' };
    signedCallback.signature = createHmac('sha256', Buffer.from(PLURAL_MERCHANT_SECRET_HEX, 'hex'))
      .update(`order_id=${signedCallback.order_id}&status=${signedCallback.status}`)
      .digest('hex')
      .toUpperCase();
    const route = (p: Payment, connector: string, merchantId = p.merchant.merchantId) =>
      `${stack.api}/payments/${p.paymentId}/${merchantId}/redirect/response/${connector}`;
    const answers = [
      await fetch(`${route(generic, 'generic')}?status=SUCCESS&token=${genericPaid.transactionId}`, {
        redirect: 'manual',
      }),
      await postToReturn(stack, m.pluralA.merchantId, plural.paymentId, signedCallback),
      await postToReturn(stack, m.pluralA.merchantId, plural.paymentId, {
        order_id: plural.transactionId,
        status: 'PROCESSED',
        signature: 'AB'.repeat(32),
      }),
      await fetch(`${route(tap, 'tap')}?tap_id=${tapPaid.transactionId}`, { redirect: 'manual' }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(303);
      expect(new URL(res.headers.get('location')!).searchParams.get('status')).not.toBe('succeeded');
    }
    const crossMerchant = await fetch(`${route(tap, 'tap', m.tapB.merchantId)}?tap_id=${tapPaid.transactionId}`, {
      redirect: 'manual',
    });
    expect(crossMerchant.status).toBe(404);
    for (const p of [generic, plural, tap]) expect(await statusOf(p)).toBe('requires_customer_action');
  });
});
