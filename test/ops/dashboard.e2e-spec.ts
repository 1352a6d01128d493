import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, createMerchant, shopperActs, type Merchant } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { csrfOf, DashboardClient } from './support/dashboard-client';
import { updateProfile } from './support/ops';

/** The dashboard over plain HTTP: the session, CSRF, escaping, and the one write it allows (re-deliver). */
describe('ops dashboard', () => {
  let stack: Stack;
  let merchant: Merchant;
  let paymentId: string;
  let hooks: Server;
  let hooksReceived = 0;

  beforeAll(async () => {
    stack = await startStack('ops-dashboard');
    hooks = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hooksReceived += 1;
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    merchant = await createMerchant(stack);
    await updateProfile(stack, merchant.merchantId, {
      webhook_details: { webhook_url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks` },
    });
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: {
        amount: 1999,
        currency: 'USD',
        confirm: true,
        return_url: 'https://shop.example/r',
        description: '<script>alert("pwned")</script> & "quotes"',
      },
    });
    paymentId = String(created.body.payment_id);
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
  });
  afterAll(async () => {
    await stack?.close();
    await new Promise((resolve) => hooks?.close(resolve));
  });

  it('sends anonymous visitors to the login page, and refuses a wrong key, a missing form token and JSON API keys', async () => {
    const anonymous = new DashboardClient(stack.api);
    expect(await anonymous.get('/dashboard/payments')).toMatchObject({ status: 303, location: '/dashboard/login' });
    const viaHeader = await fetch(`${stack.api}/dashboard/payments`, {
      headers: { 'api-key': stack.adminKey },
      redirect: 'manual',
    });
    expect(viaHeader.status).toBe(303);
    const page = await anonymous.get('/dashboard/login');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.html).toContain('<label for="admin_key">');
    const wrong = await anonymous.post('/dashboard/login', {
      csrf: csrfOf(page.html),
      admin_key: 'adm_not_the_key_at_all_000000',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('not the admin key');
    const forged = new DashboardClient(stack.api);
    expect((await forged.post('/dashboard/login', { csrf: 'made-up', admin_key: stack.adminKey })).status).toBe(403);
    expect(forged.cookies.has('sy_dash')).toBe(false);
  });

  it('logs in with the admin key into an HttpOnly, SameSite=Strict cookie holding a random session id', async () => {
    const client = new DashboardClient(stack.api);
    await client.login(stack.adminKey);
    const cookie = client.lastSetCookies.find((c) => c.startsWith('sy_dash='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/dashboard/);
    expect(cookie).not.toMatch(/Secure/); // plain http in tests; Secure whenever PUBLIC_BASE_URL is https
    const id = client.cookies.get('sy_dash')!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(id).not.toContain(stack.adminKey);
    expect((await client.get('/dashboard/payments')).status).toBe(200);
  });

  it('finds the payment and shows its timeline with every output escaped', async () => {
    const client = new DashboardClient(stack.api);
    await client.login(stack.adminKey);
    const list = await client.get(`/dashboard/payments?merchant_id=${merchant.merchantId}&status=succeeded`);
    expect(list.html).toContain(`/dashboard/payments/${merchant.merchantId}/${paymentId}`);
    const byId = await client.get(`/dashboard/payments?payment_id=${paymentId}`);
    expect(byId.html).toContain('1 payment(s)');
    const timeline = await client.get(`/dashboard/payments/${merchant.merchantId}/${paymentId}`);
    expect(timeline.status).toBe(200);
    expect(timeline.html).toContain('<dd class="status" id="payment-status">succeeded</dd>');
    expect(timeline.html).toContain(`${paymentId}_1`);
    expect(timeline.html).toContain('attempt_status_changed');
    expect(timeline.html).toContain('&quot;algorithm&quot;');
    expect(timeline.html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(timeline.html).not.toContain('<script>');
    const other = await client.get(`/dashboard/payments/${merchant.merchantId}/pay_doesnotexist`);
    expect(other.status).toBe(404);
    const badFilter = await client.get('/dashboard/payments?merchant_id=%3Cscript%3E');
    expect(badFilter.status).toBe(422);
    expect(badFilter.html).not.toContain('<script>');
  });

  it('lists connector accounts, webhook deliveries and recon runs', async () => {
    const client = new DashboardClient(stack.api);
    await client.login(stack.adminKey);
    const accounts = await client.get(`/dashboard/connectors?merchant_id=${merchant.merchantId}`);
    expect(accounts.html).toContain(merchant.connectorId);
    expect(accounts.html).toMatch(/<span class="status">charged<\/span>: 1/);
    expect(accounts.html).toContain('<td>closed</td>');
    const recon = await call(stack.api, 'POST', `/recon/${merchant.merchantId}/runs`, {
      key: stack.adminKey,
      body: { merchant_connector_id: merchant.connectorId, date: new Date().toISOString().slice(0, 10) },
    });
    expect((await client.get(`/dashboard/recon?merchant_id=${merchant.merchantId}`)).html).toContain(
      String(recon.body.run_id),
    );
    const hooksPage = await client.get(`/dashboard/webhooks?merchant_id=${merchant.merchantId}`);
    expect(hooksPage.html).toContain('payment_succeeded');
  });

  it('re-delivers a webhook only with the session CSRF token, then logs out for good', async () => {
    const client = new DashboardClient(stack.api);
    await client.login(stack.adminKey);
    const page = await client.get(`/dashboard/webhooks?merchant_id=${merchant.merchantId}`);
    const action = /<form method="post" action="([^"]+\/redeliver)">/.exec(page.html)![1];
    const before = hooksReceived;
    const forged = await client.post(action, { csrf: 'not-the-token', back: '/dashboard/webhooks' });
    expect(forged.status).toBe(403);
    const anonymous = await new DashboardClient(stack.api).post(action, { csrf: csrfOf(page.html) });
    expect(anonymous).toMatchObject({ status: 303, location: '/dashboard/login' });
    expect(hooksReceived).toBe(before);

    const back = `/dashboard/webhooks?merchant_id=${merchant.merchantId}`;
    const res = await client.post(action, { csrf: csrfOf(page.html), back });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(new RegExp(`^${back.replace('?', '\\?')}&redelivered=evt_\\w+&outcome=delivered$`));
    expect(hooksReceived).toBe(before + 1);
    expect((await client.get(res.location!)).html).toContain('was re-delivered');
    const offsite = await client.post(action, { csrf: csrfOf(page.html), back: 'https://evil.example/' });
    expect(offsite.location).toMatch(/^\/dashboard\/webhooks\?redelivered=/);

    const sessionId = client.cookies.get('sy_dash')!;
    const logout = await client.post('/dashboard/logout', { csrf: csrfOf(page.html) });
    expect(logout).toMatchObject({ status: 303, location: '/dashboard/login' });
    expect(client.cookies.has('sy_dash')).toBe(false);
    const replay = new DashboardClient(stack.api);
    replay.cookies.set('sy_dash', sessionId);
    expect((await replay.get('/dashboard/payments')).status).toBe(303);
    const log = readFileSync(stack.logFile, 'utf8');
    for (const secret of [stack.adminKey, sessionId, csrfOf(page.html)]) expect(log).not.toContain(secret);
  });
});
