import { escapeHtml, htmlPage } from '../sandbox.http';
import type { GenericPayment } from './generic.store';

export type CheckoutAction = 'pay' | 'cancel' | 'fail';

const BUTTONS: ReadonlyArray<{ action: CheckoutAction; label: string }> = [
  { action: 'pay', label: 'Pay' },
  { action: 'cancel', label: 'Cancel' },
  { action: 'fail', label: 'Fail' },
];

function summary(payment: GenericPayment): string {
  return `<table>
<tr><th>Amount</th><td><span id="amount">${escapeHtml(payment.amount)}</span> <span id="currency">${escapeHtml(payment.currency)}</span></td></tr>
<tr><th>Reference</th><td id="custom">${escapeHtml(payment.custom ?? '—')}</td></tr>
<tr><th>Payment token</th><td><code id="token">${escapeHtml(payment.token)}</code></td></tr>
</table>`;
}

/** The shopper's page: one plain form per button, so a browser test (or a human) can click without any script. */
export function checkoutPage(payment: GenericPayment, actionBase: string): string {
  const forms = BUTTONS.map(
    ({ action, label }) =>
      `<form method="post" action="${escapeHtml(`${actionBase}/${action}`)}">` +
      `<button type="submit" id="${action}" name="${action}" value="1">${label}</button></form>`,
  ).join('\n');
  return htmlPage(
    'Generic gateway checkout (sandbox)',
    `<h1>Complete your payment</h1>
${summary(payment)}
${forms}
<p><small>Sandbox amounts: cents .51 decline on Pay, .52 stay PENDING for a few status checks after Pay, then SUCCESS.</small></p>`,
  );
}

export function paymentClosedPage(payment: GenericPayment): string {
  return htmlPage(
    'Payment no longer pending',
    `<h1>This payment can no longer be completed</h1>
<p>Its status is <strong id="status">${escapeHtml(payment.status)}</strong>${
      payment.status === 'PENDING' ? ' (the shopper already paid; the gateway is still processing it)' : ''
    }.</p>
${summary(payment)}`,
  );
}

export function paymentNotFoundPage(): string {
  return htmlPage('Payment not found', '<h1>Payment not found</h1><p>This payment link is unknown to the sandbox.</p>');
}

export function checkoutErrorPage(): string {
  return htmlPage('Sandbox error', '<h1>Something went wrong</h1><p>The sandbox could not handle this request.</p>');
}
