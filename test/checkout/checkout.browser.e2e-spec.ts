/// <reference lib="dom" />
import { mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, requireChromium, type Browser } from '../support/browser';
import { call, createMerchant, type Merchant } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { expectedSignature } from './checkout.support';

const THEME = {
  primary_color: '#0a7d4f',
  background_color: '#fbf7f2',
  text_color: '#2b2118',
  button_color: '#c2185b',
  button_text_color: '#ffffff',
  button_label: 'Complete order',
  font_family: 'Georgia, serif',
  border_radius: 14,
  locale: 'en',
};

/**
 * The shopper's whole journey in Debian's chromium (headless, driven by playwright-core): a payment link opens
 * Switchyard's checkout in the merchant's theme, the shopper picks a method with the keyboard and pays, the sandbox's
 * hosted page takes the payment, and the browser lands on the merchant's return_url with a valid signature. Screenshots
 * of the styled page at desktop and phone widths go to the test log folder (SCREENSHOT_DIR to keep them elsewhere).
 */
describe('hosted checkout in a real browser', () => {
  let stack: Stack;
  let context: BrowserContext;
  let browser: Browser | undefined;
  let merchant: Merchant;
  let shop: Server;
  let shopUrl: string;
  const shopVisits: string[] = [];

  beforeAll(async () => {
    requireChromium();
    // The merchant's site: its return page records where the shopper arrived.
    shop = createServer((req, res) => {
      shopVisits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="en"><title>Thanks</title><h1>Thank you for your order</h1></html>');
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    stack = await startStack('checkout-browser');
    merchant = await createMerchant(stack, { returnUrl: `${shopUrl}/return` });
    const profiles = await call(stack.api, 'GET', `/account/${merchant.merchantId}/business_profile`, {
      key: merchant.key,
    });
    const profileId = (profiles.body as unknown as { profile_id: string }[])[0].profile_id;
    const themed = await call(stack.api, 'POST', `/account/${merchant.merchantId}/business_profile/${profileId}`, {
      key: merchant.key,
      body: { theme: THEME },
    });
    if (themed.status !== 200) throw new Error(`theme: ${JSON.stringify(themed.body)}`);
    browser = await launchBrowser();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await new Promise((resolve) => shop?.close(resolve));
  });

  const screenshot = async (page: Page, name: string) => {
    const dir = process.env.SCREENSHOT_DIR ?? process.env.TEST_LOG_DIR ?? join(process.cwd(), '.data', 'test-logs');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `checkout-${name}-${process.pid}.png`);
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(5000);
    console.log(`checkout ${name} screenshot: ${path}`);
  };

  it('opens a payment link in the merchant theme, pays on the processor page and lands on the signed return_url', async () => {
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: {
        amount: 4999,
        currency: 'EUR',
        description: 'Linen shirt, size M',
        return_url: `${shopUrl}/return`,
        payment_link: true,
      },
    });
    expect(created.status).toBe(200);
    const paymentId = String(created.body.payment_id);
    const link = (created.body.payment_link as { link: string }).link;

    // the phone first: everything needed to pay fits one screen
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(link);
    const phoneButton = await phone.locator('#pay-button').boundingBox();
    expect(phoneButton).not.toBeNull();
    expect(phoneButton!.y + phoneButton!.height).toBeLessThanOrEqual(844);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'phone');
    await phone.close();

    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(link);
    expect(await page.title()).toBe('Pay Test shop');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#amount').textContent()).toBe('€49.99');
    const button = page.getByRole('button', { name: 'Complete order' });
    const style = await button.evaluate((el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, color: s.color, radius: s.borderRadius };
    });
    expect(style).toEqual({ background: 'rgb(194, 24, 91)', color: 'rgb(255, 255, 255)', radius: '14px' });
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toBe('Georgia, serif');
    await screenshot(page, 'desktop');

    // keyboard only: tab to the methods, pick one with the arrow keys, tab to the button, Enter
    await page.getByRole('radio', { name: 'Card' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    expect(await page.getByRole('radio', { name: 'Card' }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    while (!(await button.evaluate((el) => el === document.activeElement))) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    // the processor's hosted page (the 303 after the form post is not blocked by the page's CSP)
    await page.waitForURL(`${stack.sandbox}/**`);
    await page.locator('#pay').click();
    await page.waitForURL(`${shopUrl}/return**`);
    expect(await page.locator('h1').textContent()).toBe('Thank you for your order');

    const landed = new URL(page.url());
    expect(landed.searchParams.get('status')).toBe('succeeded');
    expect(landed.searchParams.get('payment_id')).toBe(paymentId);
    expect(landed.searchParams.get('signature_algorithm')).toBe('HMAC-SHA512');
    expect(landed.searchParams.get('signature')).toBe(expectedSignature(landed, merchant.hashKey));
    expect(shopVisits.filter((v) => v.startsWith('/return'))).toHaveLength(1);

    const after = await call(stack.api, 'GET', `/payments/${paymentId}?expand_attempts=true`, { key: merchant.key });
    expect(after.body.status).toBe('succeeded');
    expect(after.body.payment_method).toBe('card');
    expect(after.body.amount_received).toBe(4999);
    expect(after.body.attempts as unknown[]).toHaveLength(1);

    // back on the link afterwards: the final status, no second payment offered
    await page.goto(link);
    expect(await page.locator('#payment-status').getAttribute('data-status')).toBe('succeeded');
    expect(await page.locator('#pay-button').count()).toBe(0);
  });
});
