import { readFileSync } from 'node:fs';
import { call, createMerchant, createMerchantWith, shopperActs, type Merchant } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { pluralAccount } from '../plural/plural.support';
import { tapAccount } from '../tap/tap.support';
import { checkoutUrl, createPayment, expireSession, openPage, postForm } from './checkout.support';

/** Hosted checkout without a browser: access, expiry, CSRF, double submit, terminal pages, themes, links, preview. */
describe('Hosted checkout and payment links', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack('checkout');
    merchant = await createMerchant(stack);
  });
  afterAll(() => stack?.close());

  const attemptsOf = async (paymentId: string) => {
    const got = await call(stack.api, 'GET', `/payments/${paymentId}?expand_attempts=true`, { key: merchant.key });
    return { status: got.body.status, attempts: got.body.attempts as unknown[] };
  };

  it('renders the page for a client secret: amount in the currency format, merchant, servable methods, safe headers', async () => {
    const created = await createPayment(stack, merchant, { amount: 1230, currency: 'KWD', description: 'Order <42>' });
    expect(created.status).toBe(200);
    const page = await openPage(checkoutUrl(stack, created.body));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="en" dir="ltr">');
    expect(page.html).toContain('name="viewport"');
    expect(page.html).toMatch(/id="amount">KWD\s1\.230</);
    expect(page.html).toContain('Test shop');
    expect(page.html).toContain('Order &lt;42&gt;');
    const methods = [...page.html.matchAll(/name="payment_method"\s+value="([a-z_]+)"/g)].map((m) => m[1]);
    expect(methods).toEqual(['card', 'wallet', 'bank_redirect']);
    expect(page.html).toMatch(/<label class="method"/);
    expect(page.html).toContain('id="pay-button"');
    expect(page.html).not.toContain('<script');
    expect(page.html).not.toContain(merchant.key);
    expect(page.html).not.toContain(merchant.hashKey);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/style-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(page.cookie).toMatch(/^sy_checkout=[0-9a-f]{32}$/);
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(page.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
  });

  it('formats zero-decimal currencies without decimals and says so when no connector can serve the payment', async () => {
    const yen = await createPayment(stack, merchant, { amount: 1500, currency: 'JPY' });
    expect((await openPage(checkoutUrl(stack, yen.body))).html).toMatch(/id="amount">(¥|JP¥)1,500</);
    // 1.234 KWD cannot be expressed by the 2-decimal generic gateway: routing has nothing to offer
    const odd = await createPayment(stack, merchant, { amount: 1234, currency: 'KWD' });
    const page = await openPage(checkoutUrl(stack, odd.body));
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="no-methods"');
    expect(page.html).not.toContain('id="pay-button"');
  });

  it('offers only the methods the connector account enables', async () => {
    const cardOnly = await createMerchantWith(stack, (merchantId) => ({
      connector_type: 'payment_processor',
      connector_name: 'generic',
      test_mode: true,
      connector_account_details: { auth_type: 'BodyKey', api_key: `client_${merchantId}`, key1: 'sandbox_secret_123' },
      metadata: { base_url: `${stack.sandbox}/generic/pay/sandbox/api/v1` },
      payment_methods_enabled: [{ payment_method: 'card', payment_method_types: [{ payment_method_type: 'credit' }] }],
    }));
    const created = await createPayment(stack, cardOnly, {});
    const page = await openPage(checkoutUrl(stack, created.body));
    const methods = [...page.html.matchAll(/name="payment_method"\s+value="([a-z_]+)"/g)].map((m) => m[1]);
    expect(methods).toEqual(['card']);
    expect(page.html).toMatch(/value="card"\s+required\s+checked/);
  });

  it('offers, per payment, what the connectors that can take it support (Plural for INR, Tap for KWD)', async () => {
    const both = await createMerchantWith(stack, (merchantId) => pluralAccount(stack, merchantId));
    const tap = await call(stack.api, 'POST', `/account/${both.merchantId}/connectors`, {
      key: stack.adminKey,
      body: tapAccount(stack, both.merchantId),
    });
    expect(tap.status).toBe(200);
    const methodsOf = async (body: Record<string, unknown>) => {
      const page = await openPage(checkoutUrl(stack, (await createPayment(stack, both, body)).body));
      return [...page.html.matchAll(/name="payment_method"\s+value="([a-z_]+)"/g)].map((m) => m[1]);
    };
    expect(await methodsOf({ amount: 10000, currency: 'INR' })).toEqual([
      'card',
      'upi',
      'wallet',
      'bank_redirect',
      'pay_later',
      'reward',
    ]);
    expect(await methodsOf({ amount: 1234, currency: 'KWD' })).toEqual(['card', 'wallet', 'bank_redirect']);
  });

  it('refuses a missing or tampered client secret with one page that does not say whether the payment exists', async () => {
    const created = await createPayment(stack, merchant, {});
    const paymentId = String(created.body.payment_id);
    const missing = await openPage(`${stack.api}/checkout/${paymentId}`);
    const tampered = await openPage(checkoutUrl(stack, created.body, `${paymentId}_secret_AAAAAAAAAAAAAAAAAAAA`));
    const unknown = await openPage(
      checkoutUrl(stack, { payment_id: 'pay_doesnotexist0000000' }, 'pay_doesnotexist0000000_secret_AAAA'),
    );
    for (const page of [missing, tampered, unknown]) {
      expect(page.status).toBe(400);
      expect(page.html).toContain('This payment link is not valid');
      expect(page.html).not.toContain('pay-button');
      expect(page.cookie).toBeNull();
    }
    const withoutNonce = (html: string) => html.replace(/nonce="[^"]+"/, '');
    expect(withoutNonce(tampered.html)).toBe(withoutNonce(unknown.html));
    expect(tampered.html).not.toContain(paymentId);
    // an API client asking for JSON gets the usual envelope
    const json = await call(
      stack.api,
      'GET',
      `/checkout/${paymentId}?client_secret=${encodeURIComponent(`${paymentId}_secret_x`)}`,
      { headers: { accept: 'application/json' } },
    );
    expect(json.status).toBe(400);
    expect(json.body.error).toMatchObject({ type: 'invalid_request', code: 'IR_09' });
    const noSecret = await call(stack.api, 'GET', `/checkout/${paymentId}`, {
      headers: { accept: 'application/json' },
    });
    expect(noSecret.body.error?.code).toBe('IR_08');
    // a tampered secret in the form post confirms nothing
    const page = await openPage(checkoutUrl(stack, created.body));
    const post = await postForm(
      `${stack.api}/checkout/${paymentId}`,
      { csrf: page.csrf!, payment_method: 'card', client_secret: `${paymentId}_secret_AAAAAAAAAAAAAAAAAAAA` },
      { cookie: page.cookie },
    );
    expect(post.status).toBe(400);
    expect((await attemptsOf(paymentId)).attempts).toHaveLength(0);
  });

  it('creates payment links on create and for an existing payment; an expired link shows a 410 page', async () => {
    const created = await createPayment(stack, merchant, { payment_link: true, session_expiry: 3600 });
    expect(created.status).toBe(200);
    const link = created.body.payment_link as { link: string; payment_link_id: string; expires_at: string };
    expect(link.payment_link_id).toMatch(/^plink_[A-Za-z0-9]{32}$/);
    expect(link.link).toBe(`${stack.api}/payment_link/${merchant.merchantId}/${link.payment_link_id}`);
    const ttl = Date.parse(link.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(3500_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);
    expect(created.body.expires_on).toBe(link.expires_at);
    const page = await openPage(link.link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="pay-button"');
    expect(page.html).not.toContain(String(created.body.client_secret));

    const plain = await createPayment(stack, merchant, {});
    const made = await call(stack.api, 'POST', '/payment_links', {
      key: merchant.key,
      body: { payment_id: plain.body.payment_id },
    });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ payment_id: plain.body.payment_id, merchant_id: merchant.merchantId });
    const defaultTtl = Date.parse(String(made.body.expires_at)) - Date.now();
    expect(defaultTtl).toBeGreaterThan(850_000);
    expect(defaultTtl).toBeLessThanOrEqual(900_000);
    const retrieved = await call(stack.api, 'GET', `/payments/${String(plain.body.payment_id)}`, { key: merchant.key });
    expect((retrieved.body.payment_link as { payment_link_id: string }).payment_link_id).toBe(
      made.body.payment_link_id,
    );

    await expireSession(String(plain.body.payment_id));
    const expired = await openPage(String(made.body.link));
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('This payment link has expired');
    expect(expired.html).not.toMatch(/at \w+ \(|stack|Error:/);
    const expiredSecret = await openPage(checkoutUrl(stack, plain.body));
    expect(expiredSecret.status).toBe(410);
    const unknown = await openPage(`${stack.api}/payment_link/${merchant.merchantId}/plink_${'x'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('This payment link is not valid');

    const confirmed = await createPayment(stack, merchant, { confirm: true });
    const refused = await call(stack.api, 'POST', '/payment_links', {
      key: merchant.key,
      body: { payment_id: confirmed.body.payment_id },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe('IR_16');
    const both = await createPayment(stack, merchant, { confirm: true, payment_link: true });
    expect(both.status).toBe(422);
    const tooLong = await call(stack.api, 'POST', '/payment_links', {
      key: merchant.key,
      body: { payment_id: plain.body.payment_id, session_expiry: 8 * 86400 },
    });
    expect(tooLong.body.error?.message).toContain('session_expiry');
  });

  it('accepts a double submit as one attempt and shows the next step to the second post', async () => {
    const created = await createPayment(stack, merchant, { payment_link: true });
    const url = String((created.body.payment_link as { link: string }).link);
    const page = await openPage(url);
    const form = { csrf: page.csrf!, payment_method: 'card' };
    const [a, b] = await Promise.all([
      postForm(url, form, { cookie: page.cookie, headers: { 'sec-fetch-site': 'same-origin' } }),
      postForm(url, form, { cookie: page.cookie, headers: { 'sec-fetch-site': 'same-origin' } }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const locations = [a.location, b.location].sort();
    expect(locations.some((l) => l?.startsWith(stack.sandbox))).toBe(true);
    const { status, attempts } = await attemptsOf(String(created.body.payment_id));
    expect(attempts).toHaveLength(1);
    expect(status).toBe('requires_customer_action');
    const again = await openPage(url);
    expect(again.html).toContain('id="continue"');
    expect(again.html).toContain('data-status="requires_customer_action"');
    expect(again.html).not.toContain('id="pay-button"');
  });

  it('refuses form posts without the page cookie and token, from another site, or with an unknown method', async () => {
    const created = await createPayment(stack, merchant, { payment_link: true });
    const url = String((created.body.payment_link as { link: string }).link);
    const page = await openPage(url);
    const noCookie = await postForm(url, { csrf: page.csrf!, payment_method: 'card' });
    const badToken = await postForm(url, { csrf: 'x'.repeat(43), payment_method: 'card' }, { cookie: page.cookie });
    const crossSite = await postForm(
      url,
      { csrf: page.csrf!, payment_method: 'card' },
      { cookie: page.cookie, headers: { 'sec-fetch-site': 'cross-site' } },
    );
    const foreignOrigin = await postForm(
      url,
      { csrf: page.csrf!, payment_method: 'card' },
      { cookie: page.cookie, headers: { origin: 'https://evil.example' } },
    );
    for (const refused of [noCookie, badToken, crossSite, foreignOrigin]) {
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('This form could not be sent');
    }
    const unknownMethod = await postForm(url, { csrf: page.csrf!, payment_method: 'crypto' }, { cookie: page.cookie });
    expect(unknownMethod.status).toBe(400);
    expect(unknownMethod.html).toContain('id="form-error"');
    const noMethod = await postForm(url, { csrf: page.csrf! }, { cookie: page.cookie });
    expect(noMethod.status).toBe(400);
    expect((await attemptsOf(String(created.body.payment_id))).attempts).toHaveLength(0);
  });

  it('shows a terminal payment its final status instead of offering to pay again', async () => {
    const created = await createPayment(stack, merchant, { confirm: true });
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    const url = checkoutUrl(stack, created.body);
    const page = await openPage(url);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-status="succeeded"');
    expect(page.html).toContain('Payment successful');
    expect(page.html).not.toContain('id="pay-button"');
    expect(page.html).not.toContain('name="payment_method"');
    expect(page.html).toContain(`href="/payments/${String(created.body.payment_id)}/${merchant.merchantId}/redirect`);
    // a stale form posted again changes nothing
    const fresh = await openPage(checkoutUrl(stack, (await createPayment(stack, merchant, {})).body));
    const replay = await postForm(
      `${stack.api}/checkout/${String(created.body.payment_id)}`,
      { csrf: fresh.csrf!, payment_method: 'card', client_secret: String(created.body.client_secret) },
      { cookie: fresh.cookie },
    );
    expect(replay.status).toBe(403); // the token is bound to the other page
    const cancelled = await createPayment(stack, merchant, {});
    await call(stack.api, 'POST', `/payments/${String(cancelled.body.payment_id)}/cancel`, {
      key: merchant.key,
      body: {},
    });
    const cancelledPage = await openPage(checkoutUrl(stack, cancelled.body));
    expect(cancelledPage.html).toContain('data-status="cancelled"');
    expect(cancelledPage.html).not.toContain('id="pay-button"');
    expect((await attemptsOf(String(created.body.payment_id))).attempts).toHaveLength(1);
  });

  it('validates the theme on save, naming the field, and applies it to the page', async () => {
    const profiles = await call(stack.api, 'GET', `/account/${merchant.merchantId}/business_profile`, {
      key: merchant.key,
    });
    const profileId = String((profiles.body as unknown as { profile_id: string }[])[0].profile_id);
    const save = (theme: unknown) =>
      call(stack.api, 'POST', `/account/${merchant.merchantId}/business_profile/${profileId}`, {
        key: merchant.key,
        body: { theme },
      });
    const badColour = await save({ button_color: 'red' });
    expect(badColour.status).toBe(422);
    expect(badColour.body.error).toMatchObject({ code: 'IR_05' });
    expect(badColour.body.error?.message).toContain('theme.button_color');
    const httpLogo = await save({ logo_url: 'http://shop.example/logo.png' });
    expect(httpLogo.status).toBe(422);
    expect(httpLogo.body.error?.message).toContain('theme.logo_url');
    const cssInjection = await save({ font_family: 'x;}body{background:url(//evil)' });
    expect(cssInjection.body.error?.message).toContain('theme.font_family');
    const radius = await save({ border_radius: 500 });
    expect(radius.body.error?.message).toContain('theme.border_radius');
    const locale = await save({ locale: 'xx' });
    expect(locale.body.error?.message).toContain('theme.locale');
    const unknownField = await save({ button_colour: '#fff' });
    expect(unknownField.status).toBe(400);

    const theme = {
      primary_color: '#0a7d4f',
      button_color: '#c2185b',
      button_text_color: '#fff',
      button_label: 'Complete order',
      font_family: 'Georgia, serif',
      border_radius: 14,
      logo_url: 'https://cdn.shop.example/logo.svg',
      locale: 'fr',
    };
    const saved = await save(theme);
    expect(saved.status).toBe(200);
    expect(saved.body.theme).toEqual(theme);
    const created = await createPayment(stack, merchant, { amount: 123456, currency: 'EUR' });
    const page = await openPage(checkoutUrl(stack, created.body));
    expect(page.html).toContain('<html lang="fr" dir="ltr">');
    expect(page.html).toContain('--button:#c2185b');
    expect(page.html).toContain('font-family:Georgia, serif');
    expect(page.html).toContain('>Complete order</button>');
    expect(page.html).toContain('src="https://cdn.shop.example/logo.svg"');
    expect(page.html).toMatch(/1\s234,56\s€/);
    expect(page.headers.get('content-security-policy')).toContain('img-src https://cdn.shop.example');
    // a link can override the profile theme; Arabic pages are right-to-left
    const rtl = await createPayment(stack, merchant, { payment_link: true, payment_link_config: { locale: 'ar' } });
    const rtlPage = await openPage(String((rtl.body.payment_link as { link: string }).link));
    expect(rtlPage.html).toContain('<html lang="ar" dir="rtl">');
    const badLinkTheme = await createPayment(stack, merchant, {
      payment_link: true,
      payment_link_config: { button_color: '#12345' },
    });
    expect(badLinkTheme.body.error?.message).toContain('payment_link_config.button_color');
    expect((await save(null)).body.theme).toBeNull();
  });

  it('previews the checkout for ops with the right key only', async () => {
    const profiles = await call(stack.api, 'GET', `/account/${merchant.merchantId}/business_profile`, {
      key: merchant.key,
    });
    const profileId = String((profiles.body as unknown as { profile_id: string }[])[0].profile_id);
    const path = `/account/${merchant.merchantId}/business_profile/${profileId}/checkout/preview`;
    expect((await call(stack.api, 'GET', path)).status).toBe(401);
    expect((await call(stack.api, 'GET', path, { key: merchant.publishableKey })).status).toBe(401);
    const other = await createMerchant(stack);
    expect((await call(stack.api, 'GET', path, { key: other.key })).status).toBe(404);
    const res = await fetch(`${stack.api}${path}?amount=990&currency=KWD`, { headers: { 'api-key': merchant.key } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('Preview');
    expect(html).toMatch(/id="amount">KWD\s0\.990</);
    expect(html).toMatch(/id="pay-button"\s+disabled/);
    expect(html).not.toContain('name="csrf"');
    const admin = await fetch(`${stack.api}${path}`, { headers: { 'api-key': stack.adminKey } });
    expect(admin.status).toBe(200);
  });

  it('keeps client secrets and link ids out of the logs', async () => {
    const created = await createPayment(stack, merchant, { payment_link: true });
    const link = created.body.payment_link as { link: string; payment_link_id: string };
    await openPage(link.link);
    await openPage(checkoutUrl(stack, created.body));
    await new Promise((r) => setTimeout(r, 300));
    const log = readFileSync(stack.logFile, 'utf8');
    expect(log).toContain('/payment_link/');
    expect(log).not.toContain(link.payment_link_id);
    expect(log).not.toContain(String(created.body.client_secret));
  });
});
