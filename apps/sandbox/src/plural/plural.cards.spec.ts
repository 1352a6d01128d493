import { createHmac, randomUUID } from 'node:crypto';
import { API, CALLBACK_URL, formFields, sandbox, sleep, webhookReceiver } from './plural.spec-harness';

const FRICTIONLESS = '4111111111111111';
const CHALLENGE = '5555555555554444';
const DECLINED = '4000000000000002';
const SECRET_HEX = 'A1B2C3D4E5F60718';

type Body = Record<string, unknown>;

function expectedSignature(fields: Record<string, string>): string {
  const message = Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return createHmac('sha256', Buffer.from(SECRET_HEX, 'hex')).update(message).digest('hex').toUpperCase();
}

const cardDetails = (over: Body = {}): Body => ({
  name: 'Test Shopper',
  card_number: FRICTIONLESS,
  cvv: '123',
  expiry_month: '12',
  expiry_year: '2035',
  ...over,
});

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** A sandbox with a registered merchant (known callback secret, webhooks to a local receiver) and seamless helpers. */
async function seamless() {
  const s = sandbox();
  const hooks = await webhookReceiver();
  await s.register({ merchant_secret_hex: SECRET_HEX, webhook_url: hooks.url });
  const token = await s.tokenFor();
  const createSeamless = (over: Body = {}) =>
    s
      .traced(s.http().post(`${API}/pay/v1/orders`))
      .set('Authorization', `Bearer ${token}`)
      .send(s.orderBody(over));
  const order = async (over: Body = {}): Promise<string> => {
    const res = await createSeamless(over);
    expect(res.status).toBe(200);
    return res.body.data.order_id as string;
  };
  const pay = (orderId: string, card: Body = {}, payment: Body = {}) =>
    s
      .traced(s.http().post(`${API}/pay/v1/orders/${orderId}/payments`))
      .set('Authorization', `Bearer ${token}`)
      .send({
        payments: [
          {
            merchant_payment_reference: `pay_${randomUUID().slice(0, 8)}`,
            payment_method: 'CARD',
            payment_amount: { value: 1999, currency: 'INR' },
            payment_option: { card_details: cardDetails(card) },
            ...payment,
          },
        ],
      });
  const events = async (n: number): Promise<string[]> => {
    await until(() => hooks.received.length >= n);
    return hooks.received.map((r) => (JSON.parse(r.body) as { event_type: string }).event_type);
  };
  const inquire = async (orderId: string) => (await s.inquire(token, orderId)).body.data as Body;
  return { s, token, hooks, createSeamless, order, pay, events, inquire };
}

type Seamless = Awaited<ReturnType<typeof seamless>>;
const challengePath = (url: string): string => new URL(url).pathname + new URL(url).search;
const tokenOf = (url: string): string => new URL(url).searchParams.get('token') ?? '';

describe('plural sandbox: seamless orders', () => {
  let t: Seamless;
  beforeEach(async () => (t = await seamless()));
  afterEach(() => t.hooks.close());

  it('creates a seamless order wrapped in data, CREATED, without a hosted page', async () => {
    const body = t.s.orderBody({ merchant_order_reference: 'seamless_1' });
    const res = await t.createSeamless(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: expect.objectContaining({
        order_id: expect.stringMatching(/^v1-/),
        merchant_order_reference: 'seamless_1',
        status: 'CREATED',
        order_amount: { value: 1999, currency: 'INR' },
        payments: [],
      }),
    });
    expect(res.body.data).not.toHaveProperty('redirect_url');
    expect((await t.createSeamless(body)).body.data.order_id).toBe(res.body.data.order_id);
    const [stored] = t.s.state.plural.listOrders({ reference: 'seamless_1' });
    expect((await t.s.http().get(`/plural/checkout?token=${encodeURIComponent(stored.token)}`)).status).toBe(404);
    expect((await t.s.byReference(t.token, 'seamless_1')).body.data).toMatchObject({ status: 'CREATED' });
  });

  it('pays a frictionless card at once: PROCESSED, the card masked, ORDER_PROCESSED webhook', async () => {
    const orderId = await t.order();
    const res = await t.pay(orderId, {}, { merchant_payment_reference: 'pay_f1' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      order_id: orderId,
      status: 'PROCESSED',
      payments: [
        {
          merchant_payment_reference: 'pay_f1',
          status: 'PROCESSED',
          payment_method: 'CARD',
          payment_amount: { value: 1999, currency: 'INR' },
          payment_option: { card_data: { network_name: 'VISA', last4_digit: '1111' } },
        },
      ],
    });
    expect(res.body.data).not.toHaveProperty('challenge_url');
    expect(res.text).not.toContain(FRICTIONLESS);
    expect(res.text).not.toContain('"cvv"');
    expect(await t.events(1)).toEqual(['ORDER_PROCESSED']);
    expect(t.hooks.received[0].body).not.toContain(FRICTIONLESS);
    // The same merchant_payment_reference again answers the order; a new payment on a paid order is refused.
    const again = await t.pay(orderId, {}, { merchant_payment_reference: 'pay_f1' });
    expect(again.body.data.payments).toHaveLength(1);
    const more = await t.pay(orderId);
    expect(more.status).toBe(400);
    expect(more.body).toEqual({ code: 'INVALID_REQUEST', message: 'Order is PROCESSED, not payable' });
  });

  it('challenges a 3-D Secure card; Pass → PROCESSED, signed callback, webhook', async () => {
    const orderId = await t.order();
    const res = await t.pay(orderId, { card_number: CHALLENGE });
    expect(res.body.data).toMatchObject({
      status: 'PENDING',
      payments: [{ status: 'PENDING', payment_option: { card_data: { network_name: 'MASTERCARD' } } }],
      challenge_url: expect.stringMatching(/^http:\/\/sandbox\.test:4010\/plural\/3ds\?token=/),
    });
    const url = res.body.data.challenge_url as string;
    const page = await t.s.http().get(challengePath(url));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<button type="submit" id="tds-pass" name="pass" value="1">Pass authentication');
    expect(page.text).toContain('<button type="submit" id="tds-fail" name="fail" value="1">Fail authentication');
    expect(page.text).toContain('action="/plural/3ds/pass"');
    expect(page.text).not.toContain(CHALLENGE);
    expect(t.hooks.received).toHaveLength(0);

    const passed = await t.s
      .http()
      .post('/plural/3ds/pass')
      .type('form')
      .send({ token: tokenOf(url) });
    expect(passed.status).toBe(200);
    expect(passed.text).toContain(`<form id="callback" method="post" action="${CALLBACK_URL}">`);
    const fields = formFields(passed.text);
    expect(fields).toEqual({ order_id: orderId, status: 'PROCESSED', signature: expectedSignature(fields) });
    const after = await t.inquire(orderId);
    expect(after).toMatchObject({ status: 'PROCESSED', payments: [{ status: 'PROCESSED' }] });
    expect(after).not.toHaveProperty('challenge_url');
    expect(await t.events(1)).toEqual(['ORDER_PROCESSED']);
    expect((await t.s.http().get(challengePath(url))).status).toBe(409);
    expect(
      (
        await t.s
          .http()
          .post('/plural/3ds/fail')
          .type('form')
          .send({ token: tokenOf(url) })
      ).status,
    ).toBe(409);
    expect((await t.s.http().get('/plural/3ds?token=nope')).status).toBe(404);
  });

  it('fails the order when the shopper fails 3-D Secure', async () => {
    const orderId = await t.order();
    const url = (await t.pay(orderId, { card_number: CHALLENGE })).body.data.challenge_url as string;
    const failed = await t.s
      .http()
      .post('/plural/3ds/fail')
      .type('form')
      .send({ token: tokenOf(url) });
    const fields = formFields(failed.text);
    expect(fields).toMatchObject({ order_id: orderId, status: 'FAILED', error_code: 'AUTHENTICATION_FAILED' });
    expect(fields.signature).toBe(expectedSignature(fields));
    expect(await t.inquire(orderId)).toMatchObject({
      status: 'FAILED',
      payments: [{ status: 'FAILED', error_detail: { code: 'AUTHENTICATION_FAILED', message: fields.error_message } }],
    });
    expect(await t.events(1)).toEqual(['ORDER_FAILED']);
  });

  it('declines the decline card, and the …51 amount script still applies to a good card', async () => {
    const declined = await t.pay(await t.order(), { card_number: DECLINED });
    expect(declined.body.data).toMatchObject({
      status: 'FAILED',
      payments: [{ status: 'FAILED', error_detail: { code: 'PAYMENT_DECLINED' } }],
    });
    const scripted = await t.order({ order_amount: { value: 10051, currency: 'INR' } });
    const res = await t.pay(scripted, {}, { payment_amount: { value: 10051, currency: 'INR' } });
    expect(res.body.data).toMatchObject({
      status: 'FAILED',
      payments: [{ error_detail: { code: 'PAYMENT_DECLINED' } }],
    });
    expect(await t.events(2)).toEqual(['ORDER_FAILED', 'ORDER_FAILED']);
  });

  it('authorizes a pre_auth order, captures and refunds it', async () => {
    const orderId = await t.order({ pre_auth: true });
    expect((await t.pay(orderId)).body.data).toMatchObject({
      status: 'AUTHORIZED',
      payments: [{ status: 'AUTHORIZED' }],
    });
    const captured = await t.s.capture(t.token, orderId, 1999);
    expect(captured.body.data).toMatchObject({ status: 'PROCESSED', payments: [{ capture_data: [{}] }] });
    const refund = await t.s.refund(t.token, orderId, {
      merchant_order_reference: 'rf_card_1',
      order_amount: { value: 1000, currency: 'INR' },
    });
    expect(refund.body.data).toMatchObject({ parent_order_id: orderId, status: 'PENDING' });
    expect((await t.s.byReference(t.token, 'rf_card_1')).body.data.status).toBe('PROCESSED');
    expect((await t.inquire(orderId)).status).toBe('PARTIALLY_REFUNDED');
  });

  it('authorizes a pre_auth order after a passed challenge, and cancels it', async () => {
    const orderId = await t.order({ pre_auth: true });
    const url = (await t.pay(orderId, { card_number: CHALLENGE })).body.data.challenge_url as string;
    const fields = formFields(
      (
        await t.s
          .http()
          .post('/plural/3ds/pass')
          .type('form')
          .send({ token: tokenOf(url) })
      ).text,
    );
    expect(fields.status).toBe('AUTHORIZED');
    expect((await t.s.cancel(t.token, orderId)).body.data).toMatchObject({ status: 'CANCELLED' });
    expect(await t.events(2)).toEqual(['ORDER_AUTHORIZED', 'ORDER_CANCELLED']);
  });

  it.each([
    ['a bad Luhn digit', { card_number: '4111111111111112' }, {}, 'card_details.card_number is invalid'],
    ['letters in the number', { card_number: '4111x11111111111' }, {}, 'card_details.card_number is invalid'],
    ['a 2-digit CVV', { cvv: '12' }, {}, 'card_details.cvv must be 3 or 4 digits'],
    ['month 13', { expiry_month: '13' }, {}, 'card_details.expiry_month must be 01 to 12'],
    ['a 3-digit year', { expiry_year: '203' }, {}, 'card_details.expiry_year must be 4 digits'],
    ['a past expiry', { expiry_month: '01', expiry_year: '2020' }, {}, 'card has expired'],
    [
      'another amount',
      {},
      { payment_amount: { value: 2000, currency: 'INR' } },
      'payment_amount must equal the order amount',
    ],
    ['another method', {}, { payment_method: 'UPI' }, 'payment_method must be CARD'],
    ['no card', {}, { payment_option: {} }, 'payment_option.card_details is required'],
  ])('refuses %s with 400 INVALID_REQUEST, never echoing the card number', async (_label, card, payment, message) => {
    const orderId = await t.order();
    const res = await t.pay(orderId, card, payment);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'INVALID_REQUEST', message });
    expect(res.text).not.toMatch(/4111[0-9x]{11,12}/);
    expect((await t.inquire(orderId)).status).toBe('CREATED');
  });

  it("keeps another merchant's order out of reach", async () => {
    const orderId = await t.order();
    const other = await t.s.tokenFor({ client_id: 'client_b', client_secret: 'client_secret_b' });
    const res = await t.s
      .traced(t.s.http().post(`${API}/pay/v1/orders/${orderId}/payments`))
      .set('Authorization', `Bearer ${other}`)
      .send({ payments: [] });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ORDER_NOT_FOUND');
  });
});
