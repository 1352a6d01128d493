import { express, type NextFunction, type Request, type Response, type Router } from '../express-typed';
import { escapeHtml, htmlPage } from '../sandbox.http';
import type { TapCardFlows } from './tap.card-flows';
import { sendPage, summary, withTapId } from './tap.checkout.routes';
import type { TapChargeRecord } from './tap.records';
import type { TapStore } from './tap.store';

function challengePage(c: TapChargeRecord, actionBase: string): string {
  const button = (action: 'pass' | 'fail', label: string) =>
    `<form method="post" action="${escapeHtml(`${actionBase}/${action}`)}">` +
    `<button type="submit" id="tds-${action}" name="${action}" value="1">${label}</button></form>`;
  return htmlPage(
    '3-D Secure (Tap sandbox)',
    `<h1>3-D Secure — confirm it is you</h1>
<p>Card <strong id="card-brand">${escapeHtml(c.card?.brand ?? '')}</strong> ending in
<code id="card-last-four">${escapeHtml(c.card?.last_four ?? '')}</code></p>
${summary(c)}
${button('pass', 'Pass authentication')}
${button('fail', 'Fail authentication')}
<p><small>Sandbox issuer page: Pass settles the charge by the card's expiry and CVC, Fail makes it FAILED.</small></p>`,
  );
}

/**
 * `/tap/3ds/{id}`: the 3-D Secure challenge of a card-token charge (its `transaction.url`). Pass or Fail settle it, send
 * its webhook, and send the shopper to `redirect.url?tap_id=…` like the hosted page does.
 */
export function createTapThreeDsRouter(store: TapStore, cards: TapCardFlows): Router {
  const router = express.Router();

  const waiting = (req: Request, res: Response): TapChargeRecord | undefined => {
    const c = store.getCharge(req.params.id);
    if (!c || !c.redirectUrl || !c.sourceId.startsWith('tok_') || c.transactionUrl === null) {
      sendPage(res, 404, htmlPage('Not found', '<h1>Authentication not found</h1><p>This link is unknown.</p>'));
    } else if (c.status !== 'INITIATED') {
      sendPage(
        res,
        409,
        htmlPage(
          'Authentication closed',
          `<h1>This authentication is over</h1><p>Status <strong id="status">${escapeHtml(c.status)}</strong></p>`,
        ),
      );
    } else return c;
    return undefined;
  };

  router.get('/:id', (req: Request, res: Response) => {
    const c = waiting(req, res);
    if (c) sendPage(res, 200, challengePage(c, `${req.baseUrl}/${encodeURIComponent(c.id)}`));
  });

  router.post('/:id/:action', (req: Request, res: Response, next: NextFunction) => {
    const action = req.params.action;
    if (action !== 'pass' && action !== 'fail') return next();
    const c = waiting(req, res);
    if (!c?.redirectUrl) return;
    cards.settleCard(c, action === 'pass');
    res.redirect(303, withTapId(c.redirectUrl, c.id));
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    console.error('sandbox/tap 3ds: unexpected error', err instanceof Error ? err.stack : err);
    sendPage(res, 500, htmlPage('Sandbox error', '<h1>Something went wrong</h1>'));
  });
  return router;
}
