import { express, type NextFunction, type Request, type Response, type Router } from '../express-typed';
import type { SandboxContext } from '../sandbox.types';
import {
  type CheckoutAction,
  checkoutErrorPage,
  checkoutPage,
  paymentClosedPage,
  paymentNotFoundPage,
} from './generic.checkout.page';
import { paymentScriptFor } from './generic.scripts';
import type { GenericPayment, GenericStore } from './generic.store';

const ACTIONS: ReadonlySet<string> = new Set<CheckoutAction>(['pay', 'cancel', 'fail']);

function sendPage(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
    .type('text/html; charset=utf-8')
    .send(html);
}

/** `<url>?token=…`, or `&token=…` when the URL already has a query; a fragment stays last. */
export function withToken(url: string, token: string): string {
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}token=${encodeURIComponent(token)}${fragment}`;
}

/** Only a payment still waiting for the shopper can be acted on (a paid pending-then-success one is not waiting any more). */
const awaitsShopper = (payment: GenericPayment): boolean =>
  payment.status === 'PENDING' && payment.pendingPollsLeft === null;

/** The hosted payment page under `/generic/checkout`: GET shows it, POST `/pay|/cancel|/fail` acts and sends the shopper back. */
export function createGenericCheckoutRouter(store: GenericStore, ctx: SandboxContext): Router {
  const router = express.Router();

  /** The payment when the shopper can still act on it; otherwise answers the 404/409 page itself. */
  const actionable = (req: Request, res: Response): GenericPayment | undefined => {
    const payment = store.getPayment(req.params.token);
    if (!payment) sendPage(res, 404, paymentNotFoundPage());
    else if (!awaitsShopper(payment)) sendPage(res, 409, paymentClosedPage(payment));
    else return payment;
    return undefined;
  };

  router.get('/:token', (req: Request, res: Response) => {
    const payment = actionable(req, res);
    if (!payment) return;
    sendPage(res, 200, checkoutPage(payment, `${req.baseUrl}/${encodeURIComponent(payment.token)}`));
  });

  router.post('/:token/:action', (req: Request, res: Response, next: NextFunction) => {
    const action = req.params.action;
    if (!ACTIONS.has(action)) return next();
    const payment = actionable(req, res);
    if (!payment) return;
    let destination = payment.returnUrl;
    if (action === 'pay') {
      const script = paymentScriptFor(payment.amount);
      if (script === 'decline') store.markPaid(payment, 'FAILED', null);
      else if (script === 'pending_then_success') store.markPaid(payment, 'PENDING', ctx.options.pendingPolls);
      else store.markPaid(payment, 'SUCCESS', null);
    } else if (action === 'fail') {
      payment.status = 'FAILED';
    } else {
      payment.status = 'CANCELLED';
      destination = payment.cancelUrl ?? payment.returnUrl;
    }
    res.redirect(303, withToken(destination, payment.token));
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    console.error('sandbox/generic checkout: unexpected error', err instanceof Error ? err.stack : err);
    sendPage(res, 500, checkoutErrorPage());
  });
  return router;
}
