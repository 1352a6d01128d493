import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { escapeHtml, htmlPage } from '../sandbox.http';
import { errorPage, rupees } from './plural.checkout.page';
import { sendCallback, sendPage } from './plural.checkout.routes';
import type { PluralFlows } from './plural.flows';
import type { PaymentRecord, PluralOrder, PluralStore } from './plural.store';

function challengePage(order: PluralOrder, payment: PaymentRecord, actionBase: string): string {
  const button = (action: 'pass' | 'fail', label: string) =>
    `<form method="post" action="${escapeHtml(`${actionBase}/${action}`)}">` +
    `<input type="hidden" name="token" value="${escapeHtml(payment.challenge?.token ?? '')}">` +
    `<button type="submit" id="tds-${action}" name="${action}" value="1">${label}</button></form>`;
  const card = payment.draft?.card;
  return htmlPage(
    '3-D Secure (Plural sandbox)',
    `<h1>3-D Secure — confirm it is you</h1>
<p>Card <strong id="card-network">${escapeHtml(card?.network ?? '')}</strong> ending in
<code id="card-last-four">${escapeHtml(card?.lastFour ?? '')}</code></p>
<table>
<tr><th>Amount</th><td>₹<span id="amount">${escapeHtml(rupees(order.value))}</span></td></tr>
<tr><th>Order id</th><td><code id="order_id">${escapeHtml(order.orderId)}</code></td></tr>
</table>
${button('pass', 'Pass authentication')}
${button('fail', 'Fail authentication')}
<p><small>Sandbox issuer page: Pass completes the payment (amount scripts apply), Fail makes the order FAILED.</small></p>`,
  );
}

const notFound = (): string =>
  htmlPage('Not found', '<h1>Authentication not found</h1><p>This link is unknown to the sandbox.</p>');
const closed = (order: PluralOrder): string =>
  htmlPage(
    'Authentication closed',
    `<h1>This authentication is over</h1><p>Order status <strong id="status">${escapeHtml(order.status)}</strong></p>`,
  );

/**
 * `/plural/3ds?token=…`: the 3-D Secure challenge of a seamless card payment (its `challenge_url`). Pass or Fail settle
 * the order (with its webhook) and send the shopper back to callback_url with the signed form, as the hosted page does.
 */
export function createPluralThreeDsRouter(store: PluralStore, flows: PluralFlows): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '10kb' }));

  const open = (token: unknown, res: Response): { order: PluralOrder; payment: PaymentRecord } | undefined => {
    const found = typeof token === 'string' ? store.findChallenge(token) : undefined;
    if (!found) sendPage(res, 404, notFound());
    else if (!found.payment.challenge?.open) sendPage(res, 409, closed(found.order));
    else return found;
    return undefined;
  };

  router.get('/', (req: Request, res: Response) => {
    const found = open(req.query.token, res);
    if (found) sendPage(res, 200, challengePage(found.order, found.payment, req.baseUrl));
  });

  router.post('/:action', (req: Request, res: Response, next: NextFunction) => {
    const action = req.params.action;
    if (action !== 'pass' && action !== 'fail') return next();
    const found = open((req.body as Record<string, unknown> | undefined)?.token, res);
    if (!found) return;
    sendCallback(res, store, found.order, flows.finishChallenge(found.order, action === 'pass'));
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    console.error('sandbox/plural 3ds: unexpected error', err instanceof Error ? err.stack : err);
    sendPage(res, 500, errorPage());
  });
  return router;
}
