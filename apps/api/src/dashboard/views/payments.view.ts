import type { PaymentRow, PaymentSearch, PaymentTimeline } from '@switchyard/ops';
import { html, money, prettyJson, query, SafeHtml, time } from '../html';
import { outgoingTable } from './webhooks.view';

const STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'processing',
  'requires_customer_action',
  'requires_capture',
  'requires_merchant_action',
  'succeeded',
  'partially_captured',
  'failed',
  'cancelled',
  'expired',
];

export const paymentLink = (merchantId: string, paymentId: string): SafeHtml =>
  html`<a href="/dashboard/payments/${encodeURIComponent(merchantId)}/${encodeURIComponent(paymentId)}"
    >${paymentId}</a
  >`;

export function paymentsPage(search: PaymentSearch, rows: PaymentRow[]): SafeHtml {
  const options = STATUSES.map(
    (s) => html`<option value="${s}" ${s === search.status ? html` selected` : ''}>${s}</option>`,
  );
  return html`<h1>Payments</h1>
    <form method="get" action="/dashboard/payments" class="filters" role="search">
      <label for="payment_id"
        >Payment id<input id="payment_id" name="payment_id" value="${search.paymentId ?? ''}"
      /></label>
      <label for="merchant_id"
        >Merchant id<input id="merchant_id" name="merchant_id" value="${search.merchantId ?? ''}"
      /></label>
      <label for="status"
        >Status<select id="status" name="status">
          <option value="">any</option>
          ${options}
        </select></label
      >
      <button type="submit">Search</button>
    </form>
    <table>
      <caption>
        ${rows.length ? `${rows.length} payment(s), newest first (at most 50)` : 'No payment matches'}
      </caption>
      <thead>
        <tr>
          <th scope="col">Payment</th>
          <th scope="col">Merchant</th>
          <th scope="col">Status</th>
          <th scope="col">Amount</th>
          <th scope="col">Connector</th>
          <th scope="col">Mode</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (p) =>
            html`<tr>
              <td>${paymentLink(p.merchantId, p.paymentId)}</td>
              <td><a href="/dashboard/payments${query({ merchant_id: p.merchantId })}">${p.merchantId}</a></td>
              <td class="status">${p.status}</td>
              <td>${money(p.amount, p.currency)}</td>
              <td>${p.connector ?? '—'}</td>
              <td>${p.mode}</td>
              <td>${time(p.createdAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** Every attempt and every payment_events row, in order, then the details of each attempt (routing decision included). */
export function timelinePage(t: PaymentTimeline, csrf: string): SafeHtml {
  const p = t.payment;
  const entries = [
    ...t.attempts.map((a) => ({
      at: a.createdAt,
      order: 0,
      item: html`<li>
        ${time(a.createdAt)} <strong>attempt ${a.attemptId}</strong> started on ${a.connector}
        (${a.merchantConnectorId}); now <span class="status">${a.status}</span>
      </li>`,
    })),
    ...t.events.map((e) => ({
      at: e.createdAt,
      order: 1,
      item: html`<li>
        ${time(e.createdAt)}
        <strong>${e.eventType}</strong>
        ${e.fromStatus || e.toStatus ? html`<span class="status">${e.fromStatus ?? '∅'} → ${e.toStatus ?? '∅'}</span>` : ''}
        (source:
        ${e.source}${e.attemptId ? html`, attempt ${e.attemptId}` : ''}${e.refundId ? html`, refund ${e.refundId}` : ''})
        ${
          e.details
            ? html`<details>
                <summary>details</summary>
                <pre>${prettyJson(e.details)}</pre>
              </details>`
            : ''
        }
      </li>`,
    })),
  ].sort((x, y) => x.at.getTime() - y.at.getTime() || x.order - y.order);
  return html`<h1>Payment ${p.paymentId}</h1>
    <dl class="summary">
      <dt>Merchant</dt>
      <dd>${p.merchantId}</dd>
      <dt>Status</dt>
      <dd class="status" id="payment-status">${p.status}</dd>
      <dt>Amount</dt>
      <dd>${money(p.amount, p.currency)}</dd>
      <dt>Received</dt>
      <dd>${p.amountReceived === null ? '—' : money(p.amountReceived, p.currency)}</dd>
      <dt>Capture</dt>
      <dd>${p.captureMethod}</dd>
      <dt>Mode</dt>
      <dd>${p.mode}</dd>
      <dt>Connector</dt>
      <dd>${p.connector ?? '—'}</dd>
      <dt>Created</dt>
      <dd>${time(p.createdAt)}</dd>
      ${
        p.description
          ? html`<dt>Description</dt>
              <dd>${p.description}</dd>`
          : ''
      }
    </dl>
    <h2 id="timeline">Timeline</h2>
    <ol class="timeline" aria-labelledby="timeline">
      ${entries.map((e) => e.item)}
    </ol>
    <table id="attempts">
      <caption>
        Attempts (${t.attempts.length})
      </caption>
      <thead>
        <tr>
          <th scope="col">Attempt</th>
          <th scope="col">Connector</th>
          <th scope="col">Status</th>
          <th scope="col">Connector reference</th>
          <th scope="col">Error</th>
          <th scope="col">Inquiries</th>
          <th scope="col">Created / modified</th>
          <th scope="col">Routing decision</th>
        </tr>
      </thead>
      <tbody>
        ${t.attempts.map(
          (a) =>
            html`<tr>
              <td>${a.attemptId}</td>
              <td>${a.connector}<br />${a.merchantConnectorId}</td>
              <td class="status">${a.status}</td>
              <td>${a.connectorTransactionId ?? '—'}</td>
              <td>${a.errorCode ? html`${a.errorCode}: ${a.errorMessage ?? ''}` : '—'}</td>
              <td>${a.syncCount}</td>
              <td>${time(a.createdAt)}<br />${time(a.modifiedAt)}</td>
              <td>
                ${
                  a.routingDecision
                    ? html`<details>
                        <summary>decision</summary>
                        <pre>${prettyJson(a.routingDecision)}</pre>
                      </details>`
                    : '—'
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <table id="refunds">
      <caption>
        Refunds (${t.refunds.length})
      </caption>
      <thead>
        <tr>
          <th scope="col">Refund</th>
          <th scope="col">Status</th>
          <th scope="col">Amount</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        ${t.refunds.map(
          (r) =>
            html`<tr>
              <td>${r.refundId}</td>
              <td class="status">${r.status}</td>
              <td>${money(r.amount, r.currency)}</td>
              <td>${time(r.createdAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${outgoingTable(t.outgoing, csrf, `/dashboard/payments/${encodeURIComponent(p.merchantId)}/${encodeURIComponent(p.paymentId)}`)}`;
}
