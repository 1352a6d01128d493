import { createHmac } from 'node:crypto';
import { CALLBACK_URL, formFields, sandbox } from './plural.spec-harness';
import { signCallback } from './plural.wire';

/** Independent of the sandbox's helper: the plural.md recipe, written out again. */
function expectedSignature(fields: Record<string, string>, keyHex: string): string {
  const message = Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return createHmac('sha256', Buffer.from(keyHex, 'hex')).update(message).digest('hex').toUpperCase();
}

describe('plural sandbox: hosted checkout', () => {
  it('signs the callback like the plural.md test vector', () => {
    expect(signCallback({ order_id: 'v1-4405071524-aa-qlAtAf', status: 'PROCESSED' }, 'A1B2C3D4E5F60718')).toBe(
      '1CD07901E1BCB07C889AAE3426BC9071A4589DE0FC73F46042CCE9BD9937CC59',
    );
  });

  it('shows Pay and Fail, and answers Pay with a signed, self-submitting form to callback_url', async () => {
    const s = sandbox();
    await s.register({ merchant_secret_hex: 'a1b2c3d4e5f60718' });
    const token = await s.tokenFor();
    const order = await s.createOk(token);
    const page = await s.http().get(new URL(order.redirect_url).pathname + new URL(order.redirect_url).search);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="pay"');
    expect(page.text).toContain('id="fail"');
    expect(page.text).toContain('<span id="amount">19.99</span>');

    const paid = await s.act(order.token, 'pay');
    expect(paid.status).toBe(200);
    expect(paid.text).toContain(`<form id="callback" method="post" action="${CALLBACK_URL}">`);
    expect(paid.text).toContain('id="continue"');
    expect(paid.headers['content-security-policy']).toContain("form-action 'self' https://shop.example");
    const fields = formFields(paid.text);
    expect(fields).toEqual({ order_id: order.order_id, status: 'PROCESSED', signature: expect.any(String) });
    expect(fields.signature).toBe(expectedSignature(fields, 'A1B2C3D4E5F60718'));
    const after = await s.inquire(token, order.order_id);
    expect(after.body.data).toMatchObject({
      status: 'PROCESSED',
      payments: [{ status: 'PROCESSED', payment_amount: { value: 1999, currency: 'INR' }, payment_method: 'CARD' }],
    });
    expect((await s.act(order.token, 'pay')).status).toBe(409);
    expect((await s.http().get('/plural/checkout?token=nope')).status).toBe(404);
  });

  it('declines …51 and fails on Fail, with error fields in the signed callback', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const secret = (await s.http().get('/__sandbox/plural/merchants/client_a')).body.merchant_secret_hex as string;
    for (const [value, action, code] of [
      [100051, 'pay', 'PAYMENT_DECLINED'],
      [1000, 'fail', 'TRANSACTION_FAILED'],
    ] as const) {
      const order = await s.createOk(token, { order_amount: { value, currency: 'INR' } });
      const fields = formFields((await s.act(order.token, action)).text);
      expect(fields).toMatchObject({ status: 'FAILED', error_code: code, error_message: expect.any(String) });
      expect(fields.signature).toBe(expectedSignature(fields, secret));
      const after = await s.inquire(token, order.order_id);
      expect(after.body.data.status).toBe('FAILED');
      expect(after.body.data.payments[0].error_detail).toEqual({ code, message: fields.error_message });
    }
  });

  it('keeps the shopper on the page for …56 tries until they run out', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const order = await s.createOk(token, { order_amount: { value: 10056, currency: 'INR' } });
    for (const left of [2, 1]) {
      const res = await s.act(order.token, 'pay');
      expect(res.text).toContain('id="notice"');
      expect(res.text).toContain(`<span id="retries">${left}</span>`);
      expect((await s.inquire(token, order.order_id)).body.data).toMatchObject({
        status: 'ATTEMPTED',
        payment_retries_remaining: left,
      });
    }
    expect(formFields((await s.act(order.token, 'pay')).text).status).toBe('FAILED');
  });

  it('answers PENDING for …52 for `pendingPolls` inquiries, then PROCESSED', async () => {
    const s = sandbox({ pendingPolls: 2 });
    const token = await s.tokenFor();
    const order = await s.createOk(token, { order_amount: { value: 10052, currency: 'INR' } });
    expect(formFields((await s.act(order.token, 'pay')).text).status).toBe('PENDING');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await s.inquire(token, order.order_id)).body.data.status);
    expect(statuses).toEqual(['PENDING', 'PENDING', 'PROCESSED', 'PROCESSED']);
  });

  it('hangs inquiries of …55, then 504', async () => {
    const s = sandbox({ hangMs: 30 });
    const token = await s.tokenFor();
    const order = await s.createOk(token, { order_amount: { value: 10055, currency: 'INR' } });
    expect((await s.inquire(token, order.order_id)).status).toBe(504);
  });
});

describe('plural sandbox: pre-auth, capture and cancel', () => {
  it('authorizes on Pay, captures in part once (idempotently by reference), and refuses a second capture', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const order = await s.createOk(token, { pre_auth: true, order_amount: { value: 10000, currency: 'INR' } });
    expect(formFields((await s.act(order.token, 'pay')).text).status).toBe('AUTHORIZED');
    expect((await s.capture(token, order.order_id, 10001)).body.message).toBe(
      'capture_amount cannot exceed the authorized amount',
    );
    const captured = await s.capture(token, order.order_id, 4000);
    expect(captured.body.data).toMatchObject({
      status: 'PROCESSED',
      pre_auth: true,
      payments: [
        {
          status: 'PROCESSED',
          capture_data: [{ merchant_capture_reference: 'cap_1', capture_amount: { value: 4000 } }],
        },
      ],
    });
    expect((await s.capture(token, order.order_id, 4000)).status).toBe(200);
    expect((await s.capture(token, order.order_id, 100, 'cap_2')).body).toEqual({
      code: 'INVALID_REQUEST',
      message: 'Order is not in AUTHORIZED state',
    });
    expect((await s.cancel(token, order.order_id)).status).toBe(400);
  });

  it('cancels an authorization, and refuses to capture or cancel an order that is not pre-authorized', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const order = await s.createOk(token, { pre_auth: true });
    await s.act(order.token, 'pay');
    expect((await s.cancel(token, order.order_id)).body.data).toMatchObject({
      status: 'CANCELLED',
      payments: [{ status: 'CANCELLED' }],
    });
    const paid = await s.paidOrder(token);
    expect((await s.capture(token, paid.order_id, 1999)).status).toBe(400);
    expect((await s.cancel(token, paid.order_id)).status).toBe(400);
  });
});

describe('plural sandbox: refunds', () => {
  it('refunds in part up to the captured amount, idempotently by reference, settling on inquiry', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const order = await s.paidOrder(token, 10000);
    const first = await s.refund(token, order.order_id, {
      merchant_order_reference: 'rf_1',
      order_amount: { value: 4000, currency: 'INR' },
    });
    expect(first.body.data).toEqual(
      expect.objectContaining({
        parent_order_id: order.order_id,
        type: 'REFUND',
        status: 'PENDING',
        merchant_order_reference: 'rf_1',
      }),
    );
    const again = await s.refund(token, order.order_id, {
      merchant_order_reference: 'rf_1',
      order_amount: { value: 9999, currency: 'INR' },
    });
    expect(again.body.data.order_id).toBe(first.body.data.order_id);
    expect((await s.byReference(token, 'rf_1')).body.data).toMatchObject({ status: 'PROCESSED', type: 'REFUND' });
    expect((await s.inquire(token, order.order_id)).body.data.status).toBe('PARTIALLY_REFUNDED');

    const over = await s.refund(token, order.order_id, {
      merchant_order_reference: 'rf_2',
      refund_amount: { value: 6001, currency: 'INR' },
    });
    expect(over.body).toEqual({ code: 'INVALID_REQUEST', message: 'Refund amount exceeds the captured amount' });
    const small = await s.refund(token, order.order_id, {
      merchant_order_reference: 'rf_2',
      order_amount: { value: 99, currency: 'INR' },
    });
    expect(small.body.message).toBe('order_amount.value must be at least 100 paise');
    const rest = await s.refund(token, order.order_id, {
      merchant_order_reference: 'rf_2',
      refund_amount: { value: 6000, currency: 'INR' },
    });
    expect(rest.status).toBe(200);
    await s.byReference(token, 'rf_2');
    expect((await s.inquire(token, order.order_id)).body.data.status).toBe('FULLY_REFUNDED');
  });

  it('fails refunds of …57 paise, refuses unpaid orders and reused references', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const order = await s.paidOrder(token, 10000);
    await s.refund(token, order.order_id, {
      merchant_order_reference: 'rf_f',
      order_amount: { value: 157, currency: 'INR' },
    });
    expect((await s.byReference(token, 'rf_f')).body.data.status).toBe('FAILED');
    expect((await s.inquire(token, order.order_id)).body.data.status).toBe('PROCESSED');
    const unpaid = await s.createOk(token);
    const refused = await s.refund(token, unpaid.order_id, {
      merchant_order_reference: 'rf_u',
      order_amount: { value: 100, currency: 'INR' },
    });
    expect(refused.body).toEqual({ code: 'INVALID_REQUEST', message: 'Order is not refundable' });
    const reused = await s.refund(token, order.order_id, {
      merchant_order_reference: (await s.inquire(token, unpaid.order_id)).body.data.merchant_order_reference,
      order_amount: { value: 100, currency: 'INR' },
    });
    expect(reused.body.code).toBe('DUPLICATE_REQUEST');
  });
});
