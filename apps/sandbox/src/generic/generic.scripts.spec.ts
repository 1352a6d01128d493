import { errorEnvelope, RETURN_URL, sandbox } from './generic.spec-harness';

describe('generic sandbox: scripted outcomes', () => {
  it('.51 declines on Pay', async () => {
    const s = sandbox();
    const token = await s.tokenFor();
    const paymentToken = await s.createOk(token, { amount: '20.51' });
    expect((await s.act(paymentToken, 'pay')).headers.location).toBe(`${RETURN_URL}?token=${paymentToken}`);
    expect((await s.status(token, paymentToken)).body.data.status).toBe('FAILED');
  });

  it('.52 answers PENDING (with a trx_id) for pendingPolls status checks after Pay, then SUCCESS', async () => {
    const s = sandbox({ pendingPolls: 2 });
    const token = await s.tokenFor();
    const paymentToken = await s.createOk(token, { amount: '20.52' });
    expect((await s.status(token, paymentToken)).body.data).toMatchObject({ status: 'PENDING', trx_id: null });
    await s.act(paymentToken, 'pay');
    const seen = [];
    for (let i = 0; i < 4; i += 1) seen.push((await s.status(token, paymentToken)).body.data);
    expect(seen.map((d) => d.status)).toEqual(['PENDING', 'PENDING', 'SUCCESS', 'SUCCESS']);
    expect(seen[0].trx_id).toMatch(/^TRX/);
    expect((await s.act(paymentToken, 'pay')).status).toBe(409);
  });

  it('.53 hangs create for hangMs, then answers 504 and creates nothing', async () => {
    const s = sandbox({ hangMs: 200 });
    const token = await s.tokenFor();
    const started = Date.now();
    const res = await s.create(token, { amount: '20.53', currency: 'XAF', return_url: RETURN_URL, custom: 'hang' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(res.status).toBe(504);
    expect(res.body).toEqual(errorEnvelope(504, 'Gateway Timeout'));
    expect((await s.http().get('/__sandbox/generic/payments?custom=hang')).body).toEqual([]);
    expect(s.state.stats().generic).toMatchObject({ createRequests: 1, paymentsCreated: 0 });
  });

  it('.54 answers 500 in the error envelope and creates nothing', async () => {
    const s = sandbox();
    const res = await s.create(await s.tokenFor(), { amount: '20.54', currency: 'XAF', return_url: RETURN_URL });
    expect(res.status).toBe(500);
    expect(res.body).toEqual(errorEnvelope(500, 'Internal Server Error'));
    expect(s.state.generic.stats.paymentsCreated).toBe(0);
  });

  it('.55 creates normally but every status check hangs hangMs, then 504', async () => {
    const s = sandbox({ hangMs: 200 });
    const token = await s.tokenFor();
    const paymentToken = await s.createOk(token, { amount: '20.55' });
    const started = Date.now();
    const res = await s.status(token, paymentToken);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(res.status).toBe(504);
    expect(res.body).toEqual(errorEnvelope(504, 'Gateway Timeout'));
  });

  it('.57 answers 200 application/json with a truncated body and creates nothing', async () => {
    const s = sandbox();
    const res = await s
      .create(await s.tokenFor(), { amount: '20.57', currency: 'XAF', return_url: RETURN_URL })
      .buffer(true)
      .parse((response, callback) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => callback(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toBe('{"message":{"code":200,');
    expect(() => JSON.parse(res.body as string)).toThrow();
    expect(s.state.generic.stats.paymentsCreated).toBe(0);
  });
});
