import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isBodyParserError } from '../sandbox.http';
import { callbackPage, checkoutPage, closedPage, errorPage, notFoundPage } from './plural.checkout.page';
import type { CallbackOutcome, PluralFlows } from './plural.flows';
import type { PluralOrder, PluralStore } from './plural.store';
import { signCallback } from './plural.wire';

const BASE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

export function sendPage(res: Response, status: number, html: string, csp = BASE_CSP): void {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .set('Content-Security-Policy', csp)
    .type('text/html; charset=utf-8')
    .send(html);
}

/** The signed fields Pine Labs posts to callback_url: order_id, status, and error_code/error_message on failure. */
export function callbackFields(
  order: PluralOrder,
  outcome: CallbackOutcome,
  merchantSecretHex: string,
): Record<string, string> {
  const fields: Record<string, string> = { order_id: order.orderId, status: outcome.status };
  if (outcome.error) {
    fields.error_code = outcome.error.code;
    fields.error_message = outcome.error.message;
  }
  return { ...fields, signature: signCallback(fields, merchantSecretHex) };
}

/** Sends the shopper back to callback_url: the self-submitting signed form (hosted page and 3-D Secure page alike). */
export function sendCallback(res: Response, store: PluralStore, order: PluralOrder, outcome: CallbackOutcome): void {
  const secret = store.getMerchant(order.clientId)?.merchantSecretHex ?? '';
  const nonce = randomBytes(16).toString('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action 'self' ${new URL(order.callbackUrl).origin}`;
  sendPage(res, 200, callbackPage(order.callbackUrl, callbackFields(order, outcome, secret), nonce), csp);
}

/** `/plural/checkout?token=…` (GET: the page) and `/plural/checkout/pay|fail` (POST with the token: the shopper acts). */
export function createPluralCheckoutRouter(store: PluralStore, flows: PluralFlows): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '10kb' }));

  /** The order when the shopper can still act on it; otherwise answers the 404/409 page itself. */
  const actionable = (token: unknown, res: Response): PluralOrder | undefined => {
    const order = typeof token === 'string' ? store.findOrderByToken(token) : undefined;
    // Seamless orders are paid through the API: they have no hosted page.
    if (!order || order.seamless) sendPage(res, 404, notFoundPage());
    else if (!flows.awaitsShopper(order)) sendPage(res, 409, closedPage(order));
    else return order;
    return undefined;
  };

  router.get('/', (req: Request, res: Response) => {
    const order = actionable(req.query.token, res);
    if (order) sendPage(res, 200, checkoutPage(order, req.baseUrl, null));
  });

  router.post('/:action', (req: Request, res: Response, next: NextFunction) => {
    const action = req.params.action;
    if (action !== 'pay' && action !== 'fail') return next();
    const order = actionable((req.body as Record<string, unknown> | undefined)?.token, res);
    if (!order) return;
    const outcome = action === 'pay' ? flows.pay(order) : flows.fail(order);
    if (!outcome) {
      const notice = 'That payment attempt failed. You can try again.';
      return sendPage(res, 200, checkoutPage(order, req.baseUrl, notice));
    }
    sendCallback(res, store, order, outcome);
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (isBodyParserError(err) && err.status >= 400 && err.status < 500) return sendPage(res, 400, errorPage());
    console.error('sandbox/plural checkout: unexpected error', err instanceof Error ? err.stack : err);
    sendPage(res, 500, errorPage());
  });
  return router;
}
