import type { AccountHealthRow, ReconRow } from '@switchyard/ops';
import { html, prettyJson, SafeHtml, time } from '../html';
import { paymentLink } from './payments.view';

const merchantFilter = (action: string, merchantId: string | null) =>
  html`<form method="get" action="${action}" class="filters" role="search">
    <label for="merchant_id"
      >Merchant id<input id="merchant_id" name="merchant_id" value="${merchantId ?? ''}"
    /></label>
    <button type="submit">Filter</button>
  </form>`;

/** Connector accounts with their recent outcomes: what a health check can say without calling the processor. */
export function connectorsPage(merchantId: string | null, rows: AccountHealthRow[], windowLabel: string): SafeHtml {
  return html`<h1>Connector accounts</h1>
    ${merchantFilter('/dashboard/connectors', merchantId)}
    <table id="connectors">
      <caption>
        ${rows.length} account(s) (at most 50); outcomes of attempts in the last ${windowLabel}
      </caption>
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Merchant</th>
          <th scope="col">Connector / label</th>
          <th scope="col">Mode</th>
          <th scope="col">State</th>
          <th scope="col">Circuit</th>
          <th scope="col">Recent outcomes</th>
          <th scope="col">Last attempts</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (a) =>
            html`<tr>
              <td>${a.id}</td>
              <td>${a.merchantId}</td>
              <td>${a.connectorName}<br />${a.label}</td>
              <td>${a.mode}</td>
              <td>${a.disabled ? 'disabled' : 'enabled'}</td>
              <td>${a.circuit ?? 'n/a'}</td>
              <td>
                ${
                  a.recent.length
                    ? html`<ul>
                        ${a.recent.map((r) => html`<li><span class="status">${r.status}</span>: ${r.n}</li>`)}
                      </ul>`
                    : 'none'
                }
              </td>
              <td>
                ${
                  a.last.length
                    ? html`<ul>
                        ${a.last.map((l) => html`<li>${paymentLink(a.merchantId, l.paymentId)} <span class="status">${l.status}</span>${l.errorCode ? ` (${l.errorCode})` : ''} ${time(l.createdAt)}</li>`)}
                      </ul>`
                    : 'none'
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

export function reconPage(merchantId: string | null, rows: ReconRow[]): SafeHtml {
  return html`<h1>Reconciliation runs</h1>
    ${merchantFilter('/dashboard/recon', merchantId)}
    <table id="recon">
      <caption>
        ${rows.length} run(s), newest first (at most 50)
      </caption>
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Merchant</th>
          <th scope="col">Account</th>
          <th scope="col">Day</th>
          <th scope="col">Status</th>
          <th scope="col">Trigger</th>
          <th scope="col">Summary</th>
          <th scope="col">Created / completed</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>${r.runId}</td>
              <td>${r.merchantId}</td>
              <td>${r.merchantConnectorId}</td>
              <td>${r.day}</td>
              <td class="status">${r.status}${r.error ? html`<br />${r.error}` : ''}</td>
              <td>${r.trigger}</td>
              <td>${r.summary ? html`<pre>${prettyJson(r.summary)}</pre>` : '—'}</td>
              <td>${time(r.createdAt)}<br />${time(r.completedAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
