import { errorEnvelope, RETURN_URL, BASE, sandbox, sleep, type GenericSandbox } from './generic.spec-harness';

describe('generic sandbox: access token', () => {
  it('issues an opaque token in the success envelope, on the sandbox and the live path', async () => {
    const s = sandbox();
    for (const base of [BASE, '/generic/pay/api/v1']) {
      const res = await s.http().post(`${base}/authentication/token`).send({ client_id: 'c1', secret_id: '12345678' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        message: { code: 200, success: ['SUCCESS'] },
        data: { access_token: expect.stringMatching(/^[0-9a-f]{40}$/), expire_time: 600 },
        type: 'success',
      });
    }
    expect(s.state.stats().generic).toMatchObject({ tokenRequests: 2, tokensIssued: 2 });
  });

  it.each([
    [{ client_id: 'c1', secret_id: 'short' }, 'Invalid secret ID'],
    [{ client_id: 'c1', secret_id: 'invalid-secret' }, 'Invalid secret ID'],
    [{ client_id: 'invalid-client', secret_id: 'sandbox-secret' }, 'Invalid client ID'],
    [{ secret_id: 'sandbox-secret' }, 'The client_id field is required.'],
    [{ client_id: 'c1' }, 'The secret_id field is required.'],
  ])('refuses %j with 400 %s', async (body, message) => {
    const s = sandbox();
    const res = await s.http().post(`${BASE}/authentication/token`).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorEnvelope(400, message));
    expect(s.state.stats().generic).toMatchObject({ tokenRequests: 1, tokensIssued: 0 });
  });

  it('answers 401 Unauthenticated without a token, with an unknown, an expired or a revoked one', async () => {
    const s = sandbox({ tokenTtlSeconds: 0.15 });
    const body = { amount: '10.00', currency: 'XAF', return_url: RETURN_URL };
    expect((await s.http().post(`${BASE}/payment/create`).send(body)).body).toEqual(
      errorEnvelope(401, 'Unauthenticated'),
    );
    expect((await s.create('f'.repeat(40), body)).status).toBe(401);

    const expiring = await s.tokenFor();
    expect((await s.create(expiring, body)).status).toBe(200);
    await sleep(200);
    expect((await s.create(expiring, body)).status).toBe(401);

    const revoked = await s.tokenFor();
    const expired = await s.http().post('/__sandbox/generic/expire-tokens');
    expect(expired.body).toEqual({ expired: 1 });
    const res = await s.status(revoked, 'gpt_whatever');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(errorEnvelope(401, 'Unauthenticated'));
    expect(s.state.stats().generic).toMatchObject({ unauthorizedRequests: 4, createRequests: 4, paymentsCreated: 1 });
  });
});

describe('generic sandbox: create payment', () => {
  it.each([
    [{ amount: 5000 }, 'The amount field must be a string with exactly two decimals, like "5000.00".'],
    [{ amount: '10.5' }, 'The amount field must be a string with exactly two decimals, like "5000.00".'],
    [{ amount: '0.00' }, 'The amount field must be greater than 0.'],
    [{ currency: 'xaf' }, 'The currency field must be a 3-letter upper-case ISO 4217 code.'],
    [{ return_url: undefined }, 'The return_url field is required.'],
    [{ return_url: 'http://shop.example/r' }, 'The return_url field must be an https URL (http only for localhost).'],
    [{ return_url: 'not a url' }, 'The return_url field must be a valid URL.'],
    [{ cancel_url: 'ftp://shop.example/c' }, 'The cancel_url field must be an https URL (http only for localhost).'],
    [{ custom: 'x'.repeat(256) }, 'The custom field must be a string of at most 255 characters.'],
  ])('refuses %j with a 400 naming the field', async (override, message) => {
    const s = sandbox();
    const token = await s.tokenFor();
    const res = await s.create(token, { amount: '10.00', currency: 'XAF', return_url: RETURN_URL, ...override });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorEnvelope(400, message));
    expect(s.state.stats().generic).toMatchObject({ createRequests: 1, paymentsCreated: 0 });
  });

  it('lists every invalid field at once and accepts http return URLs on loopback hosts', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const bad = await s.create(token, {});
    expect(bad.body.message.error).toEqual([
      'The amount field is required.',
      'The currency field is required.',
      'The return_url field is required.',
    ]);
    for (const url of ['http://localhost:3000/r', 'http://127.0.0.1/r', 'http://[::1]:8080/r']) {
      expect((await s.create(token, { amount: '1.00', currency: 'USD', return_url: url })).status).toBe(200);
    }
  });

  it('builds payment_url on publicUrl, or on the request Host when none is configured', async () => {
    const s = sandbox();
    const res = await s.create(await s.tokenFor(), { amount: '5000.00', currency: 'XAF', return_url: RETURN_URL });
    expect(res.body.data).toEqual({
      token: expect.stringMatching(/^gpt_[0-9a-f]{24}$/),
      payment_url: `http://sandbox.test:4010/generic/checkout/${res.body.data.token}`,
    });
    const derived = sandbox({ publicUrl: undefined });
    const res2 = await derived
      .create(await derived.tokenFor(), { amount: '1.00', currency: 'XAF', return_url: RETURN_URL })
      .set('Host', 'localhost:9999');
    expect(res2.body.data.payment_url).toBe(`http://localhost:9999/generic/checkout/${res2.body.data.token}`);
  });

  it('answers 400 Malformed JSON in the envelope, and 404 envelopes for unknown routes', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const res = await s
      .http()
      .post(`${BASE}/payment/create`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"amount": "1.00",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorEnvelope(400, 'Malformed JSON'));
    const tokenRes = await s
      .http()
      .post(`${BASE}/authentication/token`)
      .set('Content-Type', 'application/json')
      .send('{');
    expect(tokenRes.body).toEqual(errorEnvelope(400, 'Malformed JSON'));
    const unknown = await s.http().get('/generic/pay/sandbox/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(errorEnvelope(404, 'Not Found'));
  });
});

describe('generic sandbox: hosted page and status', () => {
  it('pays through the hosted page: page → Pay → 303 to return_url?token= → status SUCCESS', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const paymentToken = await s.createOk(token, { amount: '5000.00', custom: 'order <42> & "co"' });

    const before = await s.status(token, paymentToken);
    expect(before.body.data).toEqual({
      token: paymentToken,
      trx_id: null,
      status: 'PENDING',
      amount: '5000.00',
      currency: 'XAF',
      custom: 'order <42> & "co"',
      payer: { username: null, email: null },
    });

    const page = await s.http().get(`/generic/checkout/${paymentToken}`);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('5000.00');
    expect(page.text).toContain('XAF');
    expect(page.text).toContain('order &lt;42&gt; &amp; &quot;co&quot;');
    expect(page.text).not.toContain('<42>');
    for (const action of ['pay', 'cancel', 'fail']) {
      expect(page.text).toContain(`action="/generic/checkout/${paymentToken}/${action}"`);
      expect(page.text).toContain(`id="${action}"`);
    }

    const paid = await s.act(paymentToken, 'pay');
    expect(paid.status).toBe(303);
    expect(paid.headers.location).toBe(`${RETURN_URL}?token=${paymentToken}`);
    const after = await s.status(token, paymentToken);
    expect(after.body.data).toMatchObject({ status: 'SUCCESS', trx_id: expect.stringMatching(/^TRX\d{16}$/) });
    expect(after.body.data.payer).toEqual({ username: expect.any(String), email: expect.stringContaining('@') });

    const again = await s.act(paymentToken, 'pay');
    expect(again.status).toBe(409);
    expect(again.text).toContain('SUCCESS');
    expect((await s.act('gpt_unknown', 'pay')).status).toBe(404);
  });

  it('cancels back to cancel_url (or return_url) and fails back to return_url, appending to an existing query', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const withCancel = await s.createOk(token, { cancel_url: 'https://shop.example/cancel?o=1' });
    const cancelled = await s.act(withCancel, 'cancel');
    expect(cancelled.headers.location).toBe(`https://shop.example/cancel?o=1&token=${withCancel}`);
    expect((await s.status(token, withCancel)).body.data.status).toBe('CANCELLED');

    const noCancel = await s.createOk(token, { return_url: 'https://shop.example/r?x=y' });
    expect((await s.act(noCancel, 'cancel')).headers.location).toBe(`https://shop.example/r?x=y&token=${noCancel}`);

    const failing = await s.createOk(token);
    const failed = await s.act(failing, 'fail');
    expect(failed.status).toBe(303);
    expect(failed.headers.location).toBe(`${RETURN_URL}?token=${failing}`);
    expect((await s.status(token, failing)).body.data).toMatchObject({ status: 'FAILED', trx_id: null });
  });

  it("answers 404 Payment not found for an unknown token or another client's payment", async () => {
    const s = sandbox();
    const tokenA = await s.tokenFor('merchant_a');
    const tokenB = await s.tokenFor('merchant_b');
    const paymentToken = await s.createOk(tokenA);
    for (const res of [await s.status(tokenB, paymentToken), await s.status(tokenA, 'gpt_000000000000000000000000')]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual(errorEnvelope(404, 'Payment not found'));
    }
  });

  it('expires a payment the shopper never completed, and keeps it EXPIRED', async () => {
    const s = sandbox({ paymentTtlSeconds: 0.1 });
    const token = await s.tokenFor();
    const paymentToken = await s.createOk(token);
    await sleep(150);
    expect((await s.status(token, paymentToken)).body.data.status).toBe('EXPIRED');
    expect((await s.http().get(`/generic/checkout/${paymentToken}`)).status).toBe(409);
    expect((await s.act(paymentToken, 'pay')).status).toBe(409);
    expect((await s.status(token, paymentToken)).body.data.status).toBe('EXPIRED');
  });
});

describe('generic sandbox: refunds', () => {
  async function paidPayment(s: GenericSandbox, amount = '100.00') {
    const token = await s.tokenFor();
    const paymentToken = await s.createOk(token, { amount });
    await s.act(paymentToken, 'pay');
    return { token, paymentToken };
  }

  it('refuses refunds of a payment that is not SUCCESS', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const paymentToken = await s.createOk(token);
    const res = await s.refund(token, { token: paymentToken, amount: '1.00', reference: 'r1' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorEnvelope(400, 'Payment is not refundable'));
  });

  it('creates PENDING refunds that settle SUCCESS on the first status check, within the payment amount', async () => {
    const s = sandbox();
    const { token, paymentToken } = await paidPayment(s);
    const first = await s.refund(token, { token: paymentToken, amount: '60.00', reference: 'r1' });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ refund_id: expect.stringMatching(/^grf_/), status: 'PENDING' });

    const repeat = await s.refund(token, { token: paymentToken, amount: '60.00', reference: 'r1' });
    expect(repeat.body.data.refund_id).toBe(first.body.data.refund_id);

    const tooMuch = await s.refund(token, { token: paymentToken, amount: '40.01', reference: 'r2' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body).toEqual(errorEnvelope(400, 'Refund amount exceeds payment amount'));
    expect((await s.refund(token, { token: paymentToken, amount: '40.00', reference: 'r3' })).status).toBe(200);

    for (let i = 0; i < 2; i += 1) {
      const checked = await s.refundStatus(token, first.body.data.refund_id);
      expect(checked.body.data).toMatchObject({ refund_id: first.body.data.refund_id, status: 'SUCCESS' });
    }
    expect((await s.refundStatus(token, 'grf_unknown')).status).toBe(404);
    expect((await s.refundStatus(await s.tokenFor('merchant_b'), first.body.data.refund_id)).status).toBe(404);
  });

  it('settles a .51 refund as FAILED, which then no longer counts against the payment amount', async () => {
    const s = sandbox();
    const { token, paymentToken } = await paidPayment(s, '20.00');
    const failing = await s.refund(token, { token: paymentToken, amount: '10.51', reference: 'f1' });
    expect(failing.body.data.status).toBe('PENDING');
    expect((await s.refundStatus(token, failing.body.data.refund_id)).body.data.status).toBe('FAILED');
    expect((await s.refund(token, { token: paymentToken, amount: '20.00', reference: 'f2' })).status).toBe(200);
  });
});
