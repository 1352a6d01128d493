import { express, type NextFunction, type Request, type Response, type Router } from '../express-typed';
import { escapeHtml, htmlPage } from '../sandbox.http';
import type { SandboxContext } from '../sandbox.types';
import { formatMajor } from './tap.amounts';
import type { TapChargeRecord, TapChargeStatus } from './tap.records';
import type { TapStore } from './tap.store';
import type { TapWebhookSender } from './tap.webhooks';

type Action = 'pay' | 'fail' | 'cancel';
const BUTTONS: ReadonlyArray<{ action: Action; label: string }> = [
  { action: 'pay', label: 'Pay' },
  { action: 'cancel', label: 'Cancel' },
  { action: 'fail', label: 'Fail' },
];

export function summary(c: TapChargeRecord): string {
  return `<table>
<tr><th>Amount</th><td><span id="amount">${escapeHtml(formatMajor(c.amountMinor, c.decimals))}</span> <span id="currency">${escapeHtml(c.currency)}</span></td></tr>
<tr><th>Order</th><td id="order">${escapeHtml(c.reference.order ?? '—')}</td></tr>
<tr><th>Description</th><td id="description">${escapeHtml(c.description ?? '—')}</td></tr>
<tr><th>${c.object === 'authorize' ? 'Authorization' : 'Charge'}</th><td><code id="charge">${escapeHtml(c.id)}</code></td></tr>
</table>`;
}

function checkoutPage(c: TapChargeRecord, actionBase: string): string {
  const forms = BUTTONS.map(
    ({ action, label }) =>
      `<form method="post" action="${escapeHtml(`${actionBase}/${action}`)}">` +
      `<button type="submit" id="${action}" name="${action}" value="1">${label}</button></form>`,
  ).join('\n');
  return htmlPage(
    'Tap checkout (sandbox)',
    `<h1>Tap — complete your payment</h1>
${summary(c)}
${forms}
<p><small>Sandbox: the last two digits of the amount in minor units pick the outcome of Pay (…51 declined, …52 in progress
then captured, …55 restricted, …56 abandoned, …58 timed out, …59 unknown).</small></p>`,
  );
}

export function sendPage(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
    .type('text/html; charset=utf-8')
    .send(html);
}

/** `<redirect.url>?tap_id=…` (or `&tap_id=…` when it already has a query); a fragment stays last. */
export function withTapId(url: string, id: string): string {
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}tap_id=${encodeURIComponent(id)}${fragment}`;
}

/** What Pay does, by the script of the amount: the status and, for pending-then-success, the retrieves left. */
function payOutcome(c: TapChargeRecord, pendingPolls: number): [TapChargeStatus, number | null] {
  const success: TapChargeStatus = c.object === 'authorize' ? 'AUTHORIZED' : 'CAPTURED';
  switch (c.script) {
    case 'decline':
      return ['DECLINED', null];
    case 'restricted':
      return ['RESTRICTED', null];
    case 'abandoned':
      return ['ABANDONED', null];
    case 'timedout':
      return ['TIMEDOUT', null];
    case 'unknown':
      return ['UNKNOWN', null];
    case 'pending_then_success':
      return ['IN_PROGRESS', pendingPolls];
    case 'normal':
    case 'create_timeout':
    case 'create_5xx':
    case 'malformed_body':
      return [success, null];
  }
}

/** The hosted page (`transaction.url`): GET shows it, POST `/pay|/fail|/cancel` acts and sends the shopper back. */
export function createTapCheckoutRouter(store: TapStore, ctx: SandboxContext, webhooks: TapWebhookSender): Router {
  const router = express.Router();

  const waiting = (req: Request, res: Response): TapChargeRecord | undefined => {
    const c = store.getCharge(req.params.id);
    // Card-token charges wait on the 3-D Secure page (tap.threeds.routes.ts), never on the hosted page.
    if (!c || !c.redirectUrl || !c.sourceId.startsWith('src_')) {
      sendPage(
        res,
        404,
        htmlPage('Payment not found', '<h1>Payment not found</h1><p>This payment link is unknown.</p>'),
      );
    } else if (c.status !== 'INITIATED') {
      sendPage(
        res,
        409,
        htmlPage(
          'Payment closed',
          `<h1>This payment can no longer be completed</h1><p>Status <strong id="status">${escapeHtml(c.status)}</strong></p>${summary(c)}`,
        ),
      );
    } else return c;
    return undefined;
  };

  router.get('/:id', (req: Request, res: Response) => {
    const c = waiting(req, res);
    if (c) sendPage(res, 200, checkoutPage(c, `${req.baseUrl}/${encodeURIComponent(c.id)}`));
  });

  router.post('/:id/:action', (req: Request, res: Response, next: NextFunction) => {
    const action = req.params.action;
    if (action !== 'pay' && action !== 'fail' && action !== 'cancel') return next();
    const c = waiting(req, res);
    if (!c?.redirectUrl) return;
    if (action === 'pay') store.settle(c, ...payOutcome(c, ctx.options.pendingPolls));
    else store.settle(c, action === 'fail' ? 'FAILED' : 'CANCELLED');
    webhooks.chargeSettled(c);
    res.redirect(303, withTapId(c.redirectUrl, c.id));
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    console.error('sandbox/tap checkout: unexpected error', err instanceof Error ? err.stack : err);
    sendPage(res, 500, htmlPage('Sandbox error', '<h1>Something went wrong</h1>'));
  });
  return router;
}
