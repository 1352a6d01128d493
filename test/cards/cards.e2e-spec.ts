import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { Client } from 'pg';
import { registerPluralMerchant, pluralAccount } from '../plural/plural.support';
import { call, createMerchant, createMerchantWith, eventually, type Merchant } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { tapAccount } from '../tap/tap.support';
import { card, returnSignatureValid, threeDsShopper } from './cards.support';

/** Tap's published test cards (shared/connectors/tap.md). */
const TAP = {
  visaEnrolled: '4508750015741019',
  mastercardEnrolled: '5123450000000008',
  visaNotEnrolled: '4012000033330026',
  mastercardNotEnrolled: '5111111111111118',
  amexNotEnrolled: '371449635398431',
};
/** The Plural sandbox's test cards (apps/sandbox/README.md). */
const PLURAL = {
  frictionless: '4111111111111111',
  challenge: '5555555555554444',
  declined: '4000000000000002',
};
const EXPIRED = '4012888888881881';
const CVCS = ['100', '102', '1000', '123', '737'];

type Payment = Record<string, unknown> & {
  payment_id: string;
  status: string;
  next_action?: { type: string; redirect_to_url: string } | null;
};

/**
 * Cards sent server to server through the unified API (`payment_method: "card"` with `payment_method_data.card`), on
 * the Tap and Plural sandboxes: frictionless, 3-D Secure challenge, declines, validation before any processor call,
 * manual capture, void and refunds. The last test scans the database, the logs, Redis and every merchant webhook for
 * the card numbers and CVCs this suite used.
 */
describe('card payments server to server', () => {
  let stack: Stack;
  let tap: Merchant;
  let plural: Merchant;
  let generic: Merchant;
  let hooks: Server;
  const received: string[] = [];
  const pansUsed = new Set<string>();

  beforeAll(async () => {
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    stack = await startStack('cards', { worker: true, env: { PAYMENT_SYNC_SCHEDULE: '1,1,2' } });
    tap = await createMerchantWith(stack, (merchantId) => tapAccount(stack, merchantId));
    plural = await createMerchantWith(stack, (merchantId) => pluralAccount(stack, merchantId));
    await registerPluralMerchant(stack, plural);
    generic = await createMerchant(stack);
    const endpoint = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`;
    for (const m of [tap, plural]) {
      const profiles = await call(stack.api, 'GET', `/account/${m.merchantId}/business_profile`, { key: m.key });
      const profileId = (profiles.body as unknown as { profile_id: string }[])[0].profile_id;
      const updated = await call(stack.api, 'POST', `/account/${m.merchantId}/business_profile/${profileId}`, {
        key: m.key,
        body: { webhook_details: { webhook_url: endpoint } },
      });
      expect(updated.status).toBe(200);
    }
  });
  afterAll(async () => {
    await stack.close();
    await new Promise((resolve) => hooks.close(resolve));
  });

  const pay = async (
    merchant: Merchant,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Payment }> => {
    const data = body.payment_method_data as { card?: { card_number?: string } } | undefined;
    if (data?.card?.card_number) pansUsed.add(data.card.card_number.replace(/[ -]/g, ''));
    const res = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { confirm: true, return_url: 'https://shop.example/done', ...body },
      headers,
    });
    return { status: res.status, body: res.body as Payment };
  };
  const retrieve = async (merchant: Merchant, paymentId: string) =>
    (await call(stack.api, 'GET', `/payments/${paymentId}?expand_attempts=true`, { key: merchant.key }))
      .body as Payment;
  const settled = (merchant: Merchant, paymentId: string, status: string) =>
    eventually(
      () => retrieve(merchant, paymentId),
      (p) => p.status === status,
    );

  describe('Tap', () => {
    it('pays a card that is not enrolled in 3-D Secure frictionlessly: succeeded, with only the summary returned', async () => {
      const res = await pay(
        tap,
        {
          amount: 1500,
          currency: 'KWD',
          payment_method: 'card',
          authentication_type: 'three_ds',
          payment_method_data: { card: card(TAP.visaNotEnrolled, '01/39', '100', 'Ada Lovelace') },
        },
        { 'idempotency-key': 'card-tap-frictionless' },
      );
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('succeeded');
      expect(res.body.connector).toBe('tap');
      expect(res.body.amount_received).toBe(1500);
      expect(res.body.payment_method).toBe('card');
      expect(res.body.payment_method_data).toEqual({
        billing: null,
        card: {
          last4: '0026',
          card_network: 'Visa',
          card_isin: '401200',
          card_exp_month: '01',
          card_exp_year: '2039',
          card_holder_name: 'Ada Lovelace',
          card_type: null,
          card_issuer: null,
          card_issuing_country: null,
        },
      });
      expect(JSON.stringify(res.body)).not.toContain(TAP.visaNotEnrolled);
      const charges = (await (
        await fetch(`${stack.sandbox}/__sandbox/tap/charges?transaction=${res.body.payment_id}_1`)
      ).json()) as { source?: { id?: string } }[];
      expect(charges).toHaveLength(1);
    });

    it('sends an enrolled card through the 3-D Secure challenge and proves the result server-side', async () => {
      const res = await pay(tap, {
        amount: 2000,
        currency: 'USD',
        payment_method: 'card',
        authentication_type: 'three_ds',
        payment_method_data: { card: card(TAP.visaEnrolled, '01/39', '100') },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('requires_customer_action');
      expect(res.body.next_action?.type).toBe('redirect_to_url');
      const challenge = res.body.next_action!.redirect_to_url;
      expect(challenge.startsWith(stack.sandbox)).toBe(true);

      const location = await threeDsShopper(challenge, 'pass');
      expect(location).toBeTruthy();
      const back = new URL(location!);
      expect(back.origin + back.pathname).toBe('https://shop.example/done');
      expect(back.searchParams.get('status')).toBe('succeeded');
      expect(returnSignatureValid(location!, tap)).toBe(true);
      const after = await retrieve(tap, res.body.payment_id);
      expect(after.status).toBe('succeeded');
      expect(after.amount_received).toBe(2000);
    });

    it('fails the payment when the shopper fails the 3-D Secure challenge', async () => {
      const res = await pay(tap, {
        amount: 2100,
        currency: 'USD',
        payment_method_data: { card: card(TAP.mastercardEnrolled, '01/39', '100') },
      });
      expect(res.body.status).toBe('requires_customer_action');
      const location = await threeDsShopper(res.body.next_action!.redirect_to_url, 'fail');
      expect(new URL(location!).searchParams.get('status')).toBe('failed');
      const after = await retrieve(tap, res.body.payment_id);
      expect(after.status).toBe('failed');
      expect(after.unified_code).toBeTruthy();
    });

    it('skips the challenge with no_three_ds even for an enrolled card', async () => {
      const res = await pay(tap, {
        amount: 2200,
        currency: 'USD',
        authentication_type: 'no_three_ds',
        payment_method_data: { card: card(TAP.visaEnrolled, '01/39', '100') },
      });
      expect(res.body.status).toBe('succeeded');
    });

    it('reports a declined card with the processor error and a unified code', async () => {
      const res = await pay(tap, {
        amount: 2300,
        currency: 'USD',
        payment_method_data: { card: card(TAP.visaNotEnrolled, '01/39', '102') },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('failed');
      expect(res.body.error_code).toBeTruthy();
      expect(res.body.error_message).toBeTruthy();
      expect(res.body.unified_code).toBe('UE_1000');
      expect(res.body.unified_message).toBeTruthy();
    });

    it('rejects an expired card before any processor call', async () => {
      const paymentId = `pay_expired_${Date.now()}`;
      const res = await pay(tap, {
        payment_id: paymentId,
        amount: 2400,
        currency: 'USD',
        payment_method_data: { card: card(EXPIRED, '10/26', '123') },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { type: 'invalid_request', code: 'IR_16' } });
      expect(JSON.stringify(res.body)).toMatch(/Card Expired: payment_method_data\.card\.card_exp_month/);
      expect(JSON.stringify(res.body)).not.toContain(EXPIRED);
      expect((await call(stack.api, 'GET', `/payments/${paymentId}`, { key: tap.key })).status).toBe(404);
      const charges = (await (
        await fetch(`${stack.sandbox}/__sandbox/tap/charges?transaction=${paymentId}_1`)
      ).json()) as unknown[];
      expect(charges).toHaveLength(0);
    });

    it('refuses a bad card number, a wrong CVC length and a card with another payment_method, naming the field', async () => {
      const luhn = await pay(tap, {
        amount: 100,
        currency: 'USD',
        payment_method_data: { card: card('4012000033330027', '01/39', '100') },
      });
      expect(luhn.status).toBe(422);
      expect(luhn.body).toMatchObject({ error: { code: 'IR_05' } });
      expect(JSON.stringify(luhn.body)).toContain('payment_method_data.card.card_number');
      const cvc = await pay(tap, {
        amount: 100,
        currency: 'USD',
        payment_method_data: { card: card(TAP.amexNotEnrolled, '01/39', '100') },
      });
      expect(cvc.status).toBe(400);
      expect(JSON.stringify(cvc.body)).toContain('payment_method_data.card.card_cvc must have 4 digits');
      const other = await pay(tap, {
        amount: 100,
        currency: 'USD',
        payment_method: 'wallet',
        payment_method_data: { card: card(TAP.visaNotEnrolled, '01/39', '100') },
      });
      expect(other.status).toBe(422);
      expect(JSON.stringify(other.body)).toContain('payment_method');
      const typed = await pay(tap, {
        amount: 100,
        currency: 'USD',
        payment_method_data: { card: { ...card(TAP.visaNotEnrolled, '01/39', '100'), card_exp_month: 1 } },
      });
      expect(typed.status).toBe(422);
      expect(JSON.stringify(typed.body)).toContain('payment_method_data.card.card_exp_month');
    });

    it('authorizes a card for manual capture, captures part of it and refunds', async () => {
      const res = await pay(tap, {
        amount: 5000,
        currency: 'USD',
        capture_method: 'manual',
        payment_method_data: { card: card(TAP.mastercardNotEnrolled, '01/39', '100') },
      });
      expect(res.body.status).toBe('requires_capture');
      expect(res.body.amount_capturable).toBe(5000);
      const captured = await call(stack.api, 'POST', `/payments/${res.body.payment_id}/capture`, {
        key: tap.key,
        body: { amount_to_capture: 3000 },
      });
      expect(captured.status).toBe(200);
      expect(['partially_captured', 'succeeded']).toContain(captured.body.status);
      expect(captured.body.amount_received).toBe(3000);
      const refund = await call(stack.api, 'POST', '/refunds', {
        key: tap.key,
        body: { payment_id: res.body.payment_id, amount: 1000 },
      });
      expect(refund.status).toBe(200);
      expect(['pending', 'succeeded']).toContain(refund.body.status);
    });

    it('voids a card authorization', async () => {
      const res = await pay(tap, {
        amount: 5100,
        currency: 'USD',
        capture_method: 'manual',
        payment_method_data: { card: card(TAP.visaNotEnrolled, '01/39', '100') },
      });
      expect(res.body.status).toBe('requires_capture');
      const voided = await call(stack.api, 'POST', `/payments/${res.body.payment_id}/cancel`, {
        key: tap.key,
        body: { cancellation_reason: 'customer changed their mind' },
      });
      expect(voided.status).toBe(200);
      expect(voided.body.status).toBe('cancelled');
    });

    it('keeps no card between create and confirm: the confirm must bring it again', async () => {
      const created = await pay(tap, {
        confirm: false,
        amount: 5200,
        currency: 'USD',
        payment_method_data: { card: card(TAP.visaNotEnrolled, '01/39', '100') },
      });
      expect(created.status).toBe(200);
      expect(created.body.status).toBe('requires_confirmation');
      expect((created.body.payment_method_data as { card: { last4: string } }).card.last4).toBe('0026');
      const bare = await call(stack.api, 'POST', `/payments/${created.body.payment_id}/confirm`, {
        key: tap.key,
        body: {},
      });
      expect(bare.status).toBe(400);
      expect(bare.body).toMatchObject({ error: { code: 'IR_04' } });
      expect(JSON.stringify(bare.body)).toContain('payment_method_data.card');
      const confirmed = await call(stack.api, 'POST', `/payments/${created.body.payment_id}/confirm`, {
        key: tap.key,
        body: { payment_method_data: { card: card(TAP.visaNotEnrolled, '01/39', '100') } },
      });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.status).toBe('succeeded');
    });
  });

  describe('Plural', () => {
    it('pays a frictionless card on a seamless order', async () => {
      const res = await pay(plural, {
        amount: 25000,
        currency: 'INR',
        payment_method_data: { card: card(PLURAL.frictionless, '12/30', '123') },
      });
      expect(res.status).toBe(200);
      expect(res.body.connector).toBe('plural');
      const done = await settled(plural, res.body.payment_id, 'succeeded');
      expect(done.amount_received).toBe(25000);
      expect((done.payment_method_data as { card: { card_network: string } }).card.card_network).toBe('Visa');
    });

    it('sends a challenge card through 3-D Secure to succeeded', async () => {
      const res = await pay(plural, {
        amount: 26000,
        currency: 'INR',
        payment_method_data: { card: card(PLURAL.challenge, '12/30', '123') },
      });
      expect(res.body.status).toBe('requires_customer_action');
      const location = await threeDsShopper(res.body.next_action!.redirect_to_url, 'pass');
      expect(new URL(location!).searchParams.get('status')).toBe('succeeded');
      expect(returnSignatureValid(location!, plural)).toBe(true);
      expect((await retrieve(plural, res.body.payment_id)).status).toBe('succeeded');
    });

    it('fails a declined card', async () => {
      const res = await pay(plural, {
        amount: 27000,
        currency: 'INR',
        payment_method_data: { card: card(PLURAL.declined, '12/30', '123') },
      });
      const done = await settled(plural, res.body.payment_id, 'failed');
      expect(done.unified_code).toBeTruthy();
    });

    it('authorizes with pre_auth and captures', async () => {
      const res = await pay(plural, {
        amount: 28000,
        currency: 'INR',
        capture_method: 'manual',
        payment_method_data: { card: card(PLURAL.frictionless, '12/30', '123') },
      });
      await settled(plural, res.body.payment_id, 'requires_capture');
      const captured = await call(stack.api, 'POST', `/payments/${res.body.payment_id}/capture`, {
        key: plural.key,
        body: {},
      });
      expect(captured.status).toBe(200);
      const done = await settled(plural, res.body.payment_id, 'succeeded');
      expect(done.amount_received).toBe(28000);
    });
  });

  it('never routes a raw card to a connector that cannot take one', async () => {
    const res = await pay(generic, {
      amount: 1000,
      currency: 'USD',
      payment_method_data: { card: card(TAP.visaNotEnrolled, '01/39', '100') },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).not.toContain(TAP.visaNotEnrolled);
    // The refusal lists every candidate with its reason.
    expect(JSON.stringify(res.body)).toContain('raw card data not accepted');
    const hosted = await pay(generic, { amount: 1000, currency: 'USD', payment_method: 'card' });
    expect(hosted.body.status).toBe('requires_customer_action');
  });

  it('leaves no card number or CVC in the database, the logs, Redis or the merchant webhooks', async () => {
    // Let the worker deliver what it owes first, so the outbox and the deliveries are part of the scan.
    await eventually(
      async () => received.length,
      (n) => n > 5,
    );
    expect(pansUsed.size).toBeGreaterThanOrEqual(8);
    // A canary the scan must find: a card number a merchant put in metadata (stored as sent, like any metadata).
    const canary = '4242424242424242';
    const planted = await call(stack.api, 'POST', '/payments', {
      key: generic.key,
      body: { amount: 100, currency: 'USD', metadata: { note: canary } },
    });
    expect(planted.status).toBe(200);
    const pans = [...pansUsed, canary];
    const cvcPattern = new RegExp(`"(card_cvc|cvc|cvv)"\\s*:\\s*"?(${CVCS.join('|')})`);
    const findings: string[] = [];
    const scan = (where: string, text: string) => {
      for (const pan of pans) if (text.includes(pan)) findings.push(`${where}: card number ${pan.slice(-4)}`);
      if (cvcPattern.test(text)) findings.push(`${where}: a CVC`);
    };

    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const tables = await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      expect(tables.rows.length).toBeGreaterThan(10);
      for (const { table_name: table } of tables.rows) {
        const rows = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
        for (const { row } of rows.rows) scan(`table ${table}`, row);
      }
      const summaries = await db.query(
        `SELECT count(*)::int AS n FROM payment_intents WHERE payment_method_data ? 'card'`,
      );
      expect(summaries.rows[0].n).toBeGreaterThanOrEqual(8);
    } finally {
      await db.end();
    }

    const log = readFileSync(stack.logFile, 'utf8');
    expect(log).toContain('connector call');
    scan('log file', log);

    const redis = new Redis(process.env.REDIS_URL!);
    try {
      let cursor = '0';
      let keys = 0;
      do {
        const [next, batch] = await redis.scan(cursor, 'COUNT', 500);
        cursor = next;
        for (const key of batch) {
          keys += 1;
          const type = await redis.type(key);
          const value =
            type === 'string'
              ? await redis.get(key)
              : type === 'hash'
                ? JSON.stringify(await redis.hgetall(key))
                : type === 'list'
                  ? JSON.stringify(await redis.lrange(key, 0, -1))
                  : type === 'set'
                    ? JSON.stringify(await redis.smembers(key))
                    : type === 'zset'
                      ? JSON.stringify(await redis.zrange(key, 0, -1))
                      : type === 'stream'
                        ? JSON.stringify(await redis.xrange(key, '-', '+'))
                        : '';
          scan(`redis ${key}`, value ?? '');
        }
      } while (cursor !== '0');
      expect(keys).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }

    for (const body of received) scan('merchant webhook', body);
    expect(received.join('\n')).toContain('"card_network"');
    expect(findings).toContain('table payment_intents: card number 4242');
    expect(findings.filter((f) => !f.endsWith(' 4242'))).toEqual([]);
  });
});
