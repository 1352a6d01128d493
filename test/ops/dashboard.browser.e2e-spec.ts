import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser, requireChromium, type Browser } from '../support/browser';
import { call, createMerchant, shopperActs, type Merchant } from '../support/client';
import { startStack, type Stack } from '../support/stack';

/**
 * The dashboard as an operator uses it: Debian's chromium (headless, driven by playwright-core, which never downloads
 * a browser) logs in, finds the payment this test made and opens its timeline, using the keyboard for search and
 * navigation. A screenshot of the timeline is saved in the test log folder.
 */
describe('ops dashboard in a real browser', () => {
  let stack: Stack;
  let context: BrowserContext;
  let browser: Browser | undefined;
  let merchant: Merchant;
  let paymentId: string;

  beforeAll(async () => {
    requireChromium();
    stack = await startStack('ops-dashboard-browser');
    merchant = await createMerchant(stack);
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: {
        amount: 4250,
        currency: 'USD',
        confirm: true,
        return_url: 'https://shop.example/r',
        description: 'Browser test order',
      },
    });
    paymentId = String(created.body.payment_id);
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    browser = await launchBrowser();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('logs in with the admin key, finds the payment and shows its timeline', async () => {
    const page = await context.newPage();
    await page.goto(`${stack.api}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');

    await page.getByLabel('Admin API key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/dashboard/payments');

    const merchantField = page.getByLabel('Merchant id');
    await merchantField.fill(merchant.merchantId);
    await merchantField.press('Enter');
    await page.waitForURL(/merchant_id=/);
    const link = page.getByRole('link', { name: paymentId });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/dashboard/payments/${merchant.merchantId}/${paymentId}`);

    expect(await page.locator('h1').textContent()).toBe(`Payment ${paymentId}`);
    expect(await page.locator('#payment-status').textContent()).toBe('succeeded');
    const summary = await page.locator('dl.summary').textContent();
    expect(summary).toContain('42.50 USD');
    expect(summary).toContain('Browser test order');
    const attempts = page.locator('#attempts tbody tr');
    expect(await attempts.count()).toBe(1);
    expect(await attempts.first().textContent()).toContain(`${paymentId}_1`);
    expect(await attempts.first().textContent()).toContain('charged');
    const timeline = await page.locator('ol.timeline').textContent();
    expect(timeline).toContain(`attempt ${paymentId}_1 started on generic`);
    expect(timeline).toContain('attempt_status_changed');
    await page.locator('#attempts summary').first().click();
    expect(await page.locator('#attempts pre').first().textContent()).toContain(merchant.connectorId);
    expect(await page.locator('#webhooks tbody tr').count()).toBeGreaterThan(0);

    const dir = process.env.TEST_LOG_DIR ?? join(process.cwd(), '.data', 'test-logs');
    mkdirSync(dir, { recursive: true });
    const screenshot = join(dir, `dashboard-timeline-${process.pid}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(5000);
    console.log(`dashboard timeline screenshot: ${screenshot}`);
  });
});
