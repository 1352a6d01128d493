import { API, CLIENT, sandbox, sleep } from './plural.spec-harness';

describe('plural sandbox: access token', () => {
  it('issues a JWT-shaped token with expires_at, and provisions the merchant on first use', async () => {
    const s = sandbox();
    const res = await s
      .traced(s.http().post(`${API}/auth/v1/token`))
      .send({ ...CLIENT, grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
    const merchant = await s.http().get(`/__sandbox/plural/merchants/${CLIENT.client_id}`);
    expect(merchant.body).toMatchObject({
      client_id: 'client_a',
      merchant_secret_hex: expect.stringMatching(/^[0-9A-F]{64}$/),
    });
    expect(s.state.stats().plural).toMatchObject({ tokenRequests: 1, tokensIssued: 1 });
  });

  it.each([
    [{ client_id: 'c1', client_secret: 'short', grant_type: 'client_credentials' }, 401],
    [{ client_id: 'invalid-c', client_secret: 'long-enough', grant_type: 'client_credentials' }, 401],
    [{ client_id: 'c1', client_secret: 'long-enough', grant_type: 'password' }, 400],
    [{ client_secret: 'long-enough', grant_type: 'client_credentials' }, 400],
  ])('refuses %j with %i', async (body, status) => {
    const s = sandbox();
    const res = await s.traced(s.http().post(`${API}/auth/v1/token`)).send(body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(
      status === 401
        ? { error: 'invalid_client', error_description: 'Client authentication failed' }
        : { code: 'INVALID_REQUEST', message: expect.any(String) },
    );
  });

  it('needs the registered client_secret for a registered client_id', async () => {
    const s = sandbox();
    await s.register({ client_secret: 'registered_secret' });
    const wrong = await s
      .traced(s.http().post(`${API}/auth/v1/token`))
      .send({ ...CLIENT, grant_type: 'client_credentials' });
    expect(wrong.status).toBe(401);
    await s.tokenFor({ client_id: CLIENT.client_id, client_secret: 'registered_secret' });
  });

  it('answers 401 without a token, with an unknown, an expired or a revoked one, and 400 without tracing headers', async () => {
    const s = sandbox({ tokenTtlSeconds: 0.15 });
    const body = s.orderBody();
    const anonymous = await s.traced(s.http().post(`${API}/checkout/v1/orders`)).send(body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ code: 'USER_AUTHENTICATION_FAILED', message: 'Invalid or expired access token' });
    expect((await s.create('a.b.c', body)).status).toBe(401);
    const expiring = await s.tokenFor();
    expect((await s.create(expiring, s.orderBody())).status).toBe(200);
    await sleep(200);
    expect((await s.create(expiring, s.orderBody())).status).toBe(401);
    const revoked = await s.tokenFor();
    expect((await s.http().post('/__sandbox/plural/expire-tokens')).body).toEqual({ expired: 1 });
    expect((await s.inquire(revoked, 'v1-x')).status).toBe(401);
    const untraced = await s.http().get(`${API}/pay/v1/orders/v1-x`).set('Authorization', `Bearer ${revoked}`);
    expect(untraced.body).toEqual({ code: 'INVALID_REQUEST', message: 'Request-ID header is required' });
    expect(s.state.stats().plural).toMatchObject({ unauthorizedRequests: 4 });
  });
});

describe('plural sandbox: create order', () => {
  it.each([
    [
      { merchant_order_reference: 'has space' },
      'merchant_order_reference must be 1 to 50 characters of A-Z, a-z, 0-9, _ and -',
    ],
    [
      { merchant_order_reference: 'x'.repeat(51) },
      'merchant_order_reference must be 1 to 50 characters of A-Z, a-z, 0-9, _ and -',
    ],
    [{ order_amount: { value: 99, currency: 'INR' } }, 'order_amount.value must be between 100 and 100000000 paise'],
    [
      { order_amount: { value: 100000001, currency: 'INR' } },
      'order_amount.value must be between 100 and 100000000 paise',
    ],
    [
      { order_amount: { value: 19.99, currency: 'INR' } },
      'order_amount.value must be a positive integer amount in paise',
    ],
    [{ order_amount: { value: 1999, currency: 'USD' } }, 'order_amount.currency must be INR'],
    [{ callback_url: 'http://shop.example/cb' }, 'callback_url must be an https URL (http only for localhost)'],
    [{ callback_url: undefined }, 'callback_url is required'],
    [{ pre_auth: 'yes' }, 'pre_auth must be a boolean'],
    [{ allowed_payment_methods: ['CASH'] }, expect.stringMatching(/^allowed_payment_methods must be a list of/)],
  ])('refuses %j with 400 INVALID_REQUEST', async (override, message) => {
    const s = sandbox();
    const res = await s.create(await s.tokenFor(), s.orderBody(override));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'INVALID_REQUEST', message });
    expect(s.state.stats().plural).toMatchObject({ createRequests: 1, ordersCreated: 0 });
  });

  it('takes 100, 100000000 and 1999 paise exactly, and answers the hosted checkout link', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    for (const value of [100, 100000000, 1999]) {
      const res = await s.create(token, s.orderBody({ order_amount: { value, currency: 'INR' } }));
      expect(res.body).toEqual({
        token: expect.any(String),
        order_id: expect.stringMatching(/^v1-\d{10}-aa-\w{6}$/),
        redirect_url: `http://sandbox.test:4010/plural/checkout?token=${res.body.token}`,
        response_code: 200,
        response_message: 'Order Creation Successful.',
      });
      const order = await s.inquire(token, res.body.order_id);
      expect(order.body.data).toMatchObject({
        status: 'CREATED',
        type: 'CHARGE',
        order_amount: { value, currency: 'INR' },
      });
    }
  });

  it('answers the existing order for a repeated merchant_order_reference', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const body = s.orderBody();
    const first = await s.create(token, body);
    const again = await s.create(token, { ...body, order_amount: { value: 5000, currency: 'INR' } });
    expect(again.body).toEqual(first.body);
    expect(s.state.stats().plural).toMatchObject({ createRequests: 2, ordersCreated: 1 });
  });

  it('scripts a create timeout (…53), a 5xx (…54) and a malformed body (…58), creating nothing', async () => {
    const s = sandbox({ hangMs: 50 });
    const token = await s.tokenFor();
    const value = (v: number) => s.orderBody({ order_amount: { value: v, currency: 'INR' } });
    const timeout = await s.create(token, value(10053));
    expect(timeout.status).toBe(504);
    expect(timeout.body).toEqual({ code: 'GATEWAY_TIMEOUT', message: 'Upstream timed out' });
    expect((await s.create(token, value(10054))).body).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Something went wrong',
    });
    const malformed = await s
      .create(token, value(10058))
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => cb(null, text));
      });
    expect(malformed.status).toBe(200);
    expect(malformed.body).toBe('{"token":"');
    expect(s.state.stats().plural).toMatchObject({ createRequests: 3, ordersCreated: 0 });
  });

  it('answers Plural errors for malformed JSON, other merchants and unknown routes', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const bad = await s
      .traced(s.http().post(`${API}/checkout/v1/orders`))
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"order_amount":');
    expect(bad.body).toEqual({ code: 'INVALID_REQUEST', message: 'Malformed JSON' });
    const order = await s.createOk(token);
    const other = await s.tokenFor({ client_id: 'client_b', client_secret: 'client_secret_b' });
    expect((await s.inquire(other, order.order_id)).body).toEqual({
      code: 'ORDER_NOT_FOUND',
      message: 'Order not found',
    });
    expect((await s.http().get('/plural/nothing')).body).toEqual({ code: 'NOT_FOUND', message: 'Not Found' });
  });
});
