import type { OutgoingRow } from '@switchyard/ops';
import { html, query, SafeHtml, time } from '../html';

export interface DeliveryView {
  attemptNo: number;
  trigger: string;
  url: string;
  success: boolean;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
  createdAt: Date;
}

const eventPath = (o: { merchantId: string; eventId: string }) =>
  `/dashboard/webhooks/${encodeURIComponent(o.merchantId)}/${encodeURIComponent(o.eventId)}`;

/** Outgoing merchant webhook events, each with a re-deliver button (a CSRF-protected POST that comes back to `back`). */
export function outgoingTable(rows: OutgoingRow[], csrf: string, back: string): SafeHtml {
  return html`<table id="webhooks">
    <caption>
      Merchant webhook events (${rows.length})
    </caption>
    <thead>
      <tr>
        <th scope="col">Event</th>
        <th scope="col">Merchant</th>
        <th scope="col">Type</th>
        <th scope="col">Payment</th>
        <th scope="col">Delivery</th>
        <th scope="col">Attempts</th>
        <th scope="col">Last answer</th>
        <th scope="col">Created</th>
        <th scope="col">Action</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (e) =>
          html`<tr>
            <td><a href="${eventPath(e)}">${e.eventId}</a></td>
            <td>${e.merchantId}</td>
            <td>${e.eventType}</td>
            <td>
              ${e.paymentId ? html`<a href="/dashboard/payments/${encodeURIComponent(e.merchantId)}/${encodeURIComponent(e.paymentId)}">${e.paymentId}</a>` : '—'}
            </td>
            <td class="status">${e.status}${e.deliveredAt ? html`<br />${time(e.deliveredAt)}` : ''}</td>
            <td>${e.attempts}</td>
            <td>${e.lastResponseStatus !== null ? `HTTP ${e.lastResponseStatus}` : (e.lastError ?? '—')}</td>
            <td>${time(e.createdAt)}</td>
            <td>
              <form method="post" action="${eventPath(e)}/redeliver">
                <input type="hidden" name="csrf" value="${csrf}" /><input type="hidden" name="back" value="${back}" />
                <button type="submit" aria-label="Re-deliver ${e.eventId}">Re-deliver</button>
              </form>
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function webhooksPage(merchantId: string | null, rows: OutgoingRow[], csrf: string): SafeHtml {
  return html`<h1>Webhook deliveries</h1>
    <form method="get" action="/dashboard/webhooks" class="filters" role="search">
      <label for="merchant_id"
        >Merchant id<input id="merchant_id" name="merchant_id" value="${merchantId ?? ''}"
      /></label>
      <button type="submit">Filter</button>
    </form>
    ${outgoingTable(rows, csrf, `/dashboard/webhooks${query({ merchant_id: merchantId ?? undefined })}`)}`;
}

export function deliveriesPage(
  merchantId: string,
  eventId: string,
  deliveries: DeliveryView[],
  csrf: string,
): SafeHtml {
  const back = eventPath({ merchantId, eventId });
  return html`<h1>Event ${eventId}</h1>
    <p>
      Merchant ${merchantId}.
      <a href="/dashboard/webhooks${query({ merchant_id: merchantId })}">All events of this merchant</a>
    </p>
    <form method="post" action="${back}/redeliver">
      <input type="hidden" name="csrf" value="${csrf}" /><input type="hidden" name="back" value="${back}" />
      <button type="submit">Re-deliver now</button>
    </form>
    <table id="deliveries">
      <caption>
        Delivery attempts (${deliveries.length})
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Trigger</th>
          <th scope="col">URL</th>
          <th scope="col">Result</th>
          <th scope="col">Answer (first 1 KB)</th>
          <th scope="col">Duration</th>
          <th scope="col">At</th>
        </tr>
      </thead>
      <tbody>
        ${deliveries.map(
          (d) =>
            html`<tr>
              <td>${d.attemptNo}</td>
              <td>${d.trigger}</td>
              <td>${d.url}</td>
              <td class="status">
                ${d.success ? 'delivered' : 'failed'}
                ${d.responseStatus !== null ? `HTTP ${d.responseStatus}` : (d.error ?? '')}
              </td>
              <td>${d.responseBody ? html`<pre>${d.responseBody}</pre>` : '—'}</td>
              <td>${d.durationMs} ms</td>
              <td>${time(d.createdAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
