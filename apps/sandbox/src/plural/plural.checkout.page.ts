import { escapeHtml, htmlPage } from '../sandbox.http';
import type { PluralOrder } from './plural.store';

/** 1999 paise → "19.99", with integer arithmetic only. */
export function rupees(paise: number): string {
  return `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

function summary(order: PluralOrder): string {
  return `<table>
<tr><th>Amount</th><td>₹<span id="amount">${escapeHtml(rupees(order.value))}</span> <span id="currency">${escapeHtml(order.currency)}</span></td></tr>
<tr><th>Merchant order reference</th><td id="reference">${escapeHtml(order.reference)}</td></tr>
<tr><th>Order id</th><td><code id="order_id">${escapeHtml(order.orderId)}</code></td></tr>
<tr><th>Type</th><td>${order.preAuth ? 'Pre-authorization (captured later by the merchant)' : 'Payment'}</td></tr>
</table>`;
}

const button = (actionBase: string, token: string, action: 'pay' | 'fail', label: string): string =>
  `<form method="post" action="${escapeHtml(`${actionBase}/${action}`)}">` +
  `<input type="hidden" name="token" value="${escapeHtml(token)}">` +
  `<button type="submit" id="${action}" name="${action}" value="1">${escapeHtml(label)}</button></form>`;

/** The shopper's page: one plain form per button, so a browser test (or a human) can click without any script. */
export function checkoutPage(order: PluralOrder, actionBase: string, notice: string | null): string {
  return htmlPage(
    'Plural checkout (sandbox)',
    `<h1>Pay with Pine Labs Plural</h1>
${notice ? `<p class="banner" id="notice">${escapeHtml(notice)}</p>` : ''}
${summary(order)}
<p>Tries left: <span id="retries">${order.retriesRemaining}</span></p>
${button(actionBase, order.token, 'pay', `Pay ₹${rupees(order.value)}`)}
${button(actionBase, order.token, 'fail', 'Fail')}
<p><small>Sandbox amounts (paise): …51 decline, …52 pending for a few inquiries, …56 each Pay fails one try.</small></p>`,
  );
}

/**
 * What Pine Labs does once the shopper is done: the browser POSTs a signed form to callback_url. A server cannot make the
 * browser POST, so this page carries the form and submits it by script (a visible button for browsers without script, and
 * for tests that read the fields and post them themselves).
 */
export function callbackPage(callbackUrl: string, fields: Record<string, string>, nonce: string): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return htmlPage(
    'Returning to the merchant',
    `<h1>Returning to the merchant…</h1>
<p>Order <code>${escapeHtml(fields.order_id)}</code>: <strong id="status">${escapeHtml(fields.status)}</strong></p>
<form id="callback" method="post" action="${escapeHtml(callbackUrl)}">
${inputs}
<button type="submit" id="continue">Continue to the merchant</button>
</form>
<script nonce="${escapeHtml(nonce)}">document.getElementById('callback').submit();</script>`,
  );
}

export function closedPage(order: PluralOrder): string {
  return htmlPage(
    'Order no longer payable',
    `<h1>This order can no longer be paid</h1>
<p>Its status is <strong id="status">${escapeHtml(order.status)}</strong>.</p>
${summary(order)}`,
  );
}

export const notFoundPage = (): string =>
  htmlPage('Order not found', '<h1>Order not found</h1><p>This checkout link is unknown to the sandbox.</p>');

export const errorPage = (): string =>
  htmlPage('Sandbox error', '<h1>Something went wrong</h1><p>The sandbox could not handle this request.</p>');
