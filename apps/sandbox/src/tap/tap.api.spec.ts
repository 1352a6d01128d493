import { KEY, REDIRECT, tapErrors, tapSandbox } from './tap.spec-harness';

describe('tap sandbox: authentication', () => {
  it.each([
    ['no header', undefined],
    ['a publishable key', 'pk_test_abcdef12'],
    ['a live key', 'sk_live_abcdef12'],
    ['a too short key', 'sk_test_ab'],
    ['an invalid key', 'sk_test_invalid_key'],
  ])('answers 401 2104 to %s', async (_label, key) => {
    const s = tapSandbox();
    const req = s.http().post('/tap/v2/charges');
    const res = await (key ? req.set('Authorization', `Bearer ${key}`) : req).send(s.body());
    expect(res.status).toBe(401);
    expect(res.body).toEqual(tapErrors('2104', 'Invalid API Key'));
    expect(s.state.stats().tap).toMatchObject({ createRequests: 1, unauthorizedRequests: 1, chargesCreated: 0 });
  });

  it('keeps each key to its own charges', async () => {
    const s = tapSandbox();
    const id = await s.createOk();
    const res = await s.get(`/charges/${id}`, 'sk_test_someone_else');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(tapErrors('1144', 'Charge not found'));
  });
});

describe('tap sandbox: create charge', () => {
  it('answers an INITIATED charge with the hosted page, amounts as Tap writes them', async () => {
    const s = tapSandbox();
    const res = await s.post(
      '/charges',
      s.body({ reference: { transaction: 'pay_1_1', order: 'o-1', idempotent: 'k1' } }),
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('"amount":1.005');
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^chg_/),
      object: 'charge',
      live_mode: false,
      api_version: 'V2',
      status: 'INITIATED',
      currency: 'KWD',
      transaction: {
        url: `http://sandbox.test:4010/tap/checkout/${res.body.id}`,
        created: expect.stringMatching(/^\d+$/),
      },
      reference: { transaction: 'pay_1_1', order: 'o-1', payment: null, gateway: null },
      response: { code: '100', message: 'Initiated' },
      source: { id: 'src_all' },
      redirect: { url: REDIRECT },
    });
    const whole = await s.post('/charges', s.body({ amount: 2, currency: 'BHD' }));
    expect(whole.text).toContain('"amount":2.0');
  });

  it.each([
    [{ amount: 1.0005 }, '1117', 'Invalid Amount'],
    [{ amount: '1.005' }, '1117', 'Invalid Amount'],
    [{ amount: 0 }, '1117', 'Invalid Amount'],
    [{ amount: 1.005, currency: 'AED' }, '1117', 'Invalid Amount'],
    [{ currency: undefined }, '1118', 'Currency is required'],
    [{ currency: 'XYZ' }, '1119', 'Invalid Currency'],
    [{ source: {} }, '1124', 'Source is required'],
    [{ source: { id: 'card_123' } }, '1125', 'Invalid Source Id'],
    [{ redirect: undefined }, '1110', 'Redirect URL is missing or invalid'],
    [{ redirect: { url: 'javascript:alert(1)' } }, '1110', 'Redirect URL is missing or invalid'],
    [{ post: { url: 'nope' } }, '1108', 'Invalid post URL'],
  ])('refuses %j with 400 %s', async (over, code, description) => {
    const s = tapSandbox();
    const res = await s.post('/charges', s.body(over));
    expect(res.status).toBe(400);
    expect(res.body).toEqual(tapErrors(code, description));
    expect(s.state.stats().tap).toMatchObject({ chargesCreated: 0 });
  });

  it('answers the same charge to a repeat with the same reference.idempotent, and counts it', async () => {
    const s = tapSandbox();
    const payload = s.body({ reference: { transaction: 'pay_1_1', idempotent: 'pay_1_1' } });
    const first = await s.post('/charges', payload);
    const again = await s.post('/charges', { ...payload, amount: 9 });
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.amount).toBe(1.005);
    expect((await s.post('/charges', s.body({ reference: { idempotent: 'other' } }))).body.id).not.toBe(first.body.id);
    expect(s.state.tap.listCharges({ idempotent: 'pay_1_1' })).toHaveLength(1);
    const idem = await s.http().get('/__sandbox/tap/idempotency');
    expect(idem.body).toContainEqual({
      idempotent: 'pay_1_1',
      object: 'charge',
      objects: 1,
      requests: 2,
      ids: [first.body.id],
    });
    expect(s.state.stats().tap).toMatchObject({ createRequests: 3, chargesCreated: 2, idempotentReplays: 1 });
  });

  it('answers malformed JSON and unknown routes with Tap errors', async () => {
    const s = tapSandbox();
    const bad = await s
      .http()
      .post('/tap/v2/charges')
      .set('Authorization', `Bearer ${KEY}`)
      .type('json')
      .send('{"amount":');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(tapErrors('1108', 'Malformed JSON'));
    expect((await s.http().get('/tap/v3/nothing')).body).toEqual(tapErrors('1108', 'Not Found'));
  });
});

describe('tap sandbox: hosted page', () => {
  it('shows the amount and three buttons, and Pay sends the shopper to redirect.url?tap_id=', async () => {
    const s = tapSandbox();
    const id = await s.createOk({ redirect: { url: `${REDIRECT}?cart=7#top` } });
    const page = await s.http().get(`/tap/checkout/${id}`);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    for (const text of [
      'id="pay"',
      'id="fail"',
      'id="cancel"',
      '<span id="amount">1.005</span>',
      `/tap/checkout/${id}/pay`,
    ]) {
      expect(page.text).toContain(text);
    }
    const paid = await s.act(id, 'pay');
    expect(paid.status).toBe(303);
    expect(paid.headers.location).toBe(`${REDIRECT}?cart=7&tap_id=${id}#top`);
    const charge = await s.get(`/charges/${id}`);
    expect(charge.body).toMatchObject({
      status: 'CAPTURED',
      response: { code: '000', message: 'Captured' },
      reference: { gateway: expect.stringMatching(/^\d{12}$/), payment: expect.stringMatching(/^\d{18}$/) },
      card: { last_four: '1019' },
    });
    expect((await s.http().get(`/tap/checkout/${id}`)).status).toBe(409);
    expect((await s.act(id, 'pay')).status).toBe(409);
    expect((await s.http().get('/tap/checkout/chg_nope')).status).toBe(404);
  });

  it.each([
    ['fail', 'FAILED', '401'],
    ['cancel', 'CANCELLED', '302'],
  ] as const)('%s → %s', async (action, status, code) => {
    const s = tapSandbox();
    const id = await s.createOk();
    expect((await s.act(id, action)).headers.location).toBe(`${REDIRECT}?tap_id=${id}`);
    expect((await s.get(`/charges/${id}`)).body).toMatchObject({ status, response: { code } });
  });
});
