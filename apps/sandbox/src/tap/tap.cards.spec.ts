import { createHmac } from 'node:crypto';
import { KEY, REDIRECT, receiver, sleep, tapErrors, tapSandbox, until } from './tap.spec-harness';

const ENROLLED_MC = '5123450000000008';
const PLAIN_MC = '5111111111111118';
const PLAIN_AMEX = '371449635398431';

type Sandbox = ReturnType<typeof tapSandbox>;
type Card = Record<string, unknown>;

const card = (over: Card = {}): Card => ({
  number: PLAIN_MC,
  exp_month: 1,
  exp_year: 39,
  cvc: '100',
  name: 'Test Shopper',
  ...over,
});

async function tokenize(s: Sandbox, over: Card = {}): Promise<string> {
  const res = await s.post('/tokens', { card: card(over) });
  expect(res.status).toBe(200);
  return res.body.id as string;
}

/** A charge (or authorization) on a fresh token of `over`'s card. */
async function cardCharge(s: Sandbox, over: Card = {}, body: Card = {}, path = '/charges') {
  const tokenId = await tokenize(s, over);
  return s.post(path, s.body({ source: { id: tokenId }, ...body }));
}

describe('tap sandbox: card tokens', () => {
  it('tokenizes a card into Tap token shape, keeping only what Tap shows of it', async () => {
    const s = tapSandbox();
    const res = await s.post('/tokens', { card: card({ number: ENROLLED_MC, exp_month: '05', exp_year: 2039 }) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^tok_/),
      status: 'ACTIVE',
      created: expect.any(Number),
      object: 'token',
      live_mode: false,
      type: 'CARD',
      used: false,
      card: {
        id: expect.stringMatching(/^card_/),
        object: 'card',
        funding: 'CREDIT',
        fingerprint: expect.any(String),
        brand: 'MASTERCARD',
        scheme: 'MASTERCARD',
        name: 'Test Shopper',
        exp_month: 5,
        exp_year: 39,
        last_four: '0008',
        first_six: '512345',
        first_eight: '51234500',
      },
    });
    expect(res.text).not.toContain(ENROLLED_MC);
    const again = await s.post('/tokens', { card: card({ number: ENROLLED_MC, exp_month: 5, exp_year: '39' }) });
    expect(again.body.card.fingerprint).toBe(res.body.card.fingerprint);
    expect(again.body.card).toMatchObject({ exp_month: 5, exp_year: 39 });
    expect((await s.get(`/tokens/${res.body.id}`)).body).toMatchObject({ id: res.body.id, used: false });
    expect(s.state.stats().tap).toMatchObject({ tokenRequests: 3, tokensCreated: 2 });
  });

  it.each([
    ['no card', undefined, '1108', 'card is required'],
    ['a bad Luhn digit', card({ number: '5111111111111119' }), '1201', 'Invalid card number'],
    ['letters in the number', card({ number: '5111a11111111118' }), '1201', 'Invalid card number'],
    ['month 13', card({ exp_month: 13 }), '1202', 'Invalid card expiry month'],
    ['month 0', card({ exp_month: '0' }), '1202', 'Invalid card expiry month'],
    ['a 3-digit year', card({ exp_year: 239 }), '1203', 'Invalid card expiry year'],
    ['a 2-digit CVC', card({ cvc: '10' }), '1204', 'Invalid card CVC'],
    ['a 3-digit Amex CVC', card({ number: PLAIN_AMEX, cvc: '100' }), '1204', 'Invalid card CVC'],
  ])('refuses %s with 400, never echoing the number', async (_label, payload, code, description) => {
    const s = tapSandbox();
    const res = await s.post('/tokens', { card: payload });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(tapErrors(code, description));
    expect(res.text).not.toMatch(/51111[0-9a]{10}/);
    expect(s.state.stats().tap).toMatchObject({ tokensCreated: 0 });
  });

  it('needs the secret key', async () => {
    const s = tapSandbox();
    const res = await s.post('/tokens', { card: card() }, 'pk_test_abcdef12');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(tapErrors('2104', 'Invalid API Key'));
  });

  it('refuses a used, unknown, foreign or expired token', async () => {
    const s = tapSandbox();
    const tokenId = await tokenize(s);
    expect((await s.post('/charges', s.body({ source: { id: tokenId } }))).status).toBe(200);
    const reuse = await s.post('/charges', s.body({ source: { id: tokenId } }));
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual(tapErrors('1127', 'Token already used'));
    expect((await s.get(`/tokens/${tokenId}`)).body).toMatchObject({ status: 'INACTIVE', used: true });
    expect((await s.post('/charges', s.body({ source: { id: 'tok_nope' } }))).body).toEqual(
      tapErrors('1126', 'Token not found'),
    );
    const foreign = await tokenize(s);
    expect((await s.post('/charges', s.body({ source: { id: foreign } }), 'sk_test_someone_else')).body).toEqual(
      tapErrors('1126', 'Token not found'),
    );
    s.state.tap.settings.tokenTtlMs = 20;
    const stale = await tokenize(s);
    await sleep(40);
    expect((await s.post('/charges', s.body({ source: { id: stale } }))).body).toEqual(
      tapErrors('1128', 'Token expired'),
    );
    expect(s.state.stats().tap).toMatchObject({ chargesCreated: 1 });
  });
});

describe('tap sandbox: card charges', () => {
  it('settles a not-enrolled card at once: CAPTURED, with the card and the token source, and posts the webhook', async () => {
    const hook = await receiver();
    try {
      const s = tapSandbox();
      const res = await cardCharge(s, {}, { post: { url: hook.url } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^chg_/),
        status: 'CAPTURED',
        response: { code: '000', message: 'Captured' },
        threeDSecure: true,
        card_threeDSecure: false,
        transaction: { url: null },
        card: { first_six: '511111', scheme: 'MASTERCARD', brand: 'MASTERCARD', last_four: '1118' },
        source: { object: 'token', type: 'CARD_NOT_PRESENT', payment_method: 'MASTERCARD' },
      });
      expect(res.body.source.id).toMatch(/^tok_/);
      await until(
        () => hook.received.length,
        (n) => n === 1,
      );
      expect(JSON.parse(hook.received[0].body)).toMatchObject({ id: res.body.id, status: 'CAPTURED' });
    } finally {
      await hook.close();
    }
  });

  it('does not challenge an enrolled card when threeDSecure is false', async () => {
    const s = tapSandbox();
    const res = await cardCharge(s, { number: ENROLLED_MC }, { threeDSecure: false });
    expect(res.body).toMatchObject({ status: 'CAPTURED', threeDSecure: false, transaction: { url: null } });
  });

  it.each([
    ['01/39', {}, 'CAPTURED', '000'],
    ['05/22', { exp_month: 5, exp_year: 22 }, 'DECLINED', '501'],
    ['04/27', { exp_month: 4, exp_year: 27 }, 'DECLINED', '503'],
    ['08/28', { exp_month: 8, exp_year: 2028 }, 'TIMEDOUT', '801'],
    ['01/37', { exp_month: 1, exp_year: 37 }, 'FAILED', '402'],
    ['02/37', { exp_month: 2, exp_year: 37 }, 'FAILED', '401'],
    ['05/37', { exp_month: 5, exp_year: 37 }, 'UNKNOWN', '901'],
    ['another past expiry 03/24', { exp_month: 3, exp_year: 24 }, 'DECLINED', '503'],
    ['another future expiry 12/35', { exp_month: 12, exp_year: 35 }, 'CAPTURED', '000'],
    ['CVC 101 (not processed)', { cvc: '101' }, 'CAPTURED', '000'],
    ['CVC 102 (no match)', { cvc: '102' }, 'DECLINED', '504'],
    ['Amex CVC 1020', { number: PLAIN_AMEX, cvc: '1020' }, 'DECLINED', '504'],
    ['Amex CVC 1000', { number: PLAIN_AMEX, cvc: '1000' }, 'CAPTURED', '000'],
  ])('%s → %s %s', async (_label, over, status, code) => {
    const s = tapSandbox();
    const res = await cardCharge(s, over);
    expect(res.body).toMatchObject({ status, response: { code } });
    expect((await s.get(`/charges/${res.body.id}`)).body).toMatchObject({ status, response: { code } });
  });

  it('challenges an enrolled card: INITIATED, the 3-D Secure page, Pass → CAPTURED, redirect with tap_id, webhook', async () => {
    const hook = await receiver();
    try {
      const s = tapSandbox();
      const res = await cardCharge(
        s,
        { number: ENROLLED_MC },
        { redirect: { url: `${REDIRECT}?cart=7` }, post: { url: hook.url } },
      );
      const id = res.body.id as string;
      expect(res.body).toMatchObject({
        status: 'INITIATED',
        response: { code: '100' },
        card_threeDSecure: true,
        transaction: { url: `http://sandbox.test:4010/tap/3ds/${id}` },
        card: { last_four: '0008' },
      });
      const page = await s.http().get(`/tap/3ds/${id}`);
      expect(page.status).toBe(200);
      expect(page.type).toBe('text/html');
      expect(page.text).toContain('<button type="submit" id="tds-pass" name="pass" value="1">Pass authentication');
      expect(page.text).toContain('<button type="submit" id="tds-fail" name="fail" value="1">Fail authentication');
      expect(page.text).toContain(`action="/tap/3ds/${id}/pass"`);
      expect(page.text).not.toContain(ENROLLED_MC);
      expect(page.text).not.toContain('<script');
      expect((await s.http().get(`/tap/checkout/${id}`)).status).toBe(404);
      expect(hook.received).toHaveLength(0);

      const passed = await s.http().post(`/tap/3ds/${id}/pass`).type('form').send('');
      expect(passed.status).toBe(303);
      expect(passed.headers.location).toBe(`${REDIRECT}?cart=7&tap_id=${id}`);
      const charge = await s.get(`/charges/${id}`);
      expect(charge.body).toMatchObject({ status: 'CAPTURED', response: { code: '000' } });
      await until(
        () => hook.received.length,
        (n) => n === 1,
      );
      const sent = JSON.parse(hook.received[0].body) as typeof charge.body;
      expect(sent).toMatchObject({ id, status: 'CAPTURED' });
      const message = `x_id${id}x_amount1.005x_currencyKWDx_gateway_reference${sent.reference.gateway}x_payment_reference${sent.reference.payment}x_statusCAPTUREDx_created${sent.transaction.created}`;
      expect(hook.received[0].headers.hashstring).toBe(createHmac('sha256', KEY).update(message).digest('hex'));
      expect((await s.http().get(`/tap/3ds/${id}`)).status).toBe(409);
      expect((await s.http().post(`/tap/3ds/${id}/fail`).type('form').send('')).status).toBe(409);
    } finally {
      await hook.close();
    }
  });

  it('fails the charge when the shopper fails authentication', async () => {
    const s = tapSandbox();
    const id = (await cardCharge(s, { number: '4508750015741019' })).body.id as string;
    const failed = await s.http().post(`/tap/3ds/${id}/fail`).type('form').send('');
    expect(failed.headers.location).toBe(`${REDIRECT}?tap_id=${id}`);
    expect((await s.get(`/charges/${id}`)).body).toMatchObject({
      status: 'FAILED',
      response: { code: '403', message: 'Failed, 3D Secure authentication failed' },
    });
  });

  it('applies the expiry outcome after a passed challenge', async () => {
    const s = tapSandbox();
    const id = (await cardCharge(s, { number: ENROLLED_MC, exp_month: 5, exp_year: 22 })).body.id as string;
    await s.http().post(`/tap/3ds/${id}/pass`).type('form').send('');
    expect((await s.get(`/charges/${id}`)).body).toMatchObject({ status: 'DECLINED', response: { code: '501' } });
  });

  it('needs redirect.url for a challenge, and keeps the token usable when refused', async () => {
    const s = tapSandbox();
    const tokenId = await tokenize(s, { number: ENROLLED_MC });
    const refused = await s.post('/charges', s.body({ source: { id: tokenId }, redirect: undefined }));
    expect(refused.body).toEqual(tapErrors('1110', 'Redirect URL is missing or invalid'));
    expect((await s.post('/charges', s.body({ source: { id: tokenId } }))).body.status).toBe('INITIATED');
  });

  it('refunds a card charge', async () => {
    const s = tapSandbox();
    const chargeId = (await cardCharge(s)).body.id as string;
    const refund = await s.post('/refunds', { charge_id: chargeId, amount: 1, currency: 'KWD', reason: 'x' });
    expect(refund.body).toMatchObject({ status: 'PENDING', charge_id: chargeId });
  });
});

describe('tap sandbox: card authorizations', () => {
  it('authorizes a card at once, then captures it through a charge carrying the card', async () => {
    const s = tapSandbox();
    const auth = await cardCharge(s, {}, { amount: 2, auto: { type: 'VOID', time: 24 } }, '/authorize');
    expect(auth.body).toMatchObject({
      id: expect.stringMatching(/^auth_/),
      object: 'authorize',
      status: 'AUTHORIZED',
      response: { code: '001' },
      source: { object: 'token' },
    });
    const captured = await s.post('/charges', { amount: 1.5, currency: 'KWD', source: { id: auth.body.id } });
    expect(captured.body).toMatchObject({
      status: 'CAPTURED',
      source: { object: 'authorize', id: auth.body.id },
      card: { last_four: '1118', brand: 'MASTERCARD' },
    });
    expect((await s.get(`/authorize/${auth.body.id}`)).body.status).toBe('CAPTURED');
  });

  it('authorizes an enrolled card after the challenge (redirect with the auth_ id), and voids it', async () => {
    const s = tapSandbox();
    const id = (await cardCharge(s, { number: '4464040000000007' }, {}, '/authorize')).body.id as string;
    expect(id).toMatch(/^auth_/);
    expect((await s.get(`/authorize/${id}`)).body).toMatchObject({
      status: 'INITIATED',
      card: { brand: 'MADA' },
      transaction: { url: `http://sandbox.test:4010/tap/3ds/${id}` },
    });
    const passed = await s.http().post(`/tap/3ds/${id}/pass`).type('form').send('');
    expect(passed.headers.location).toBe(`${REDIRECT}?tap_id=${id}`);
    expect((await s.get(`/authorize/${id}`)).body).toMatchObject({ status: 'AUTHORIZED', response: { code: '001' } });
    expect((await s.post(`/authorize/${id}/void`, {})).body).toMatchObject({
      status: 'VOID',
      response: { code: '601' },
    });
  });

  it('declines an authorization by the card expiry', async () => {
    const s = tapSandbox();
    const res = await cardCharge(s, { exp_month: 8, exp_year: 28 }, {}, '/authorize');
    expect(res.body).toMatchObject({ status: 'TIMEDOUT', response: { code: '801' } });
  });
});
