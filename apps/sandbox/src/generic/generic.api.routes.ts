import { express, type NextFunction, type Request, type Response, type Router } from '../express-typed';
import { isBodyParserError } from '../sandbox.http';
import type { SandboxContext } from '../sandbox.types';
import { GenericApiError, sendError, sendSuccess, unauthenticated } from './generic.envelope';
import { paymentScriptFor, refundFailsFor, TRUNCATED_BODY } from './generic.scripts';
import type { GenericAccessToken, GenericPayment, GenericRefund, GenericStore } from './generic.store';
import {
  amountToCents,
  credentialsRefusal,
  parseCreatePayment,
  parseRefund,
  parseTokenRequest,
} from './generic.validation';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function paymentView(payment: GenericPayment): object {
  return {
    token: payment.token,
    trx_id: payment.trxId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    custom: payment.custom,
    payer: { username: payment.payer.username, email: payment.payer.email },
  };
}

function refundView(refund: GenericRefund): object {
  return {
    refund_id: refund.refundId,
    status: refund.status,
    token: refund.paymentToken,
    amount: refund.amount,
    reference: refund.reference,
  };
}

/**
 * The gateway's API (`/authentication/token`, `/payment/*`), mounted by the module under both the sandbox and the live base path.
 * Request counters are bumped on arrival, before authentication, so a test sees every call the engine made.
 */
export function createGenericApiRouter(store: GenericStore, ctx: SandboxContext): Router {
  const router = express.Router();
  router.use(express.json({ limit: '100kb' }));

  const authenticate = (req: Request): GenericAccessToken => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    const token = match ? store.findActiveToken(match[1]) : undefined;
    if (token) return token;
    store.stats.unauthorizedRequests += 1;
    throw unauthenticated();
  };

  /** Answers 504 after `hangMs`, unless the client gives up first. */
  const hangThenTimeout = (res: Response): void => {
    ctx.hang(ctx.options.hangMs, res, () => {
      if (!res.writableEnded && !res.destroyed) sendError(res, 504, ['Gateway Timeout']);
    });
  };

  router.post('/authentication/token', (req: Request, res: Response) => {
    store.stats.tokenRequests += 1;
    const credentials = parseTokenRequest(req.body);
    const refusal = credentialsRefusal(credentials);
    if (refusal) throw new GenericApiError(400, refusal);
    const token = store.issueToken(credentials.clientId, ctx.options.tokenTtlSeconds);
    sendSuccess(res, { access_token: token.accessToken, expire_time: ctx.options.tokenTtlSeconds });
  });

  router.post('/payment/create', (req: Request, res: Response) => {
    store.stats.createRequests += 1;
    const { clientId } = authenticate(req);
    const input = parseCreatePayment(req.body);
    const script = paymentScriptFor(input.amount);
    if (script === 'create_timeout') return hangThenTimeout(res);
    if (script === 'create_5xx') return sendError(res, 500, ['Internal Server Error']);
    if (script === 'malformed_body') {
      res.status(200).type('application/json').send(TRUNCATED_BODY);
      return;
    }
    const payment = store.createPayment({ clientId, ...input });
    const paymentUrl = ctx.publicLink(req, `/generic/checkout/${encodeURIComponent(payment.token)}`);
    sendSuccess(res, { token: payment.token, payment_url: paymentUrl });
  });

  router.get('/payment/status/:token', (req: Request, res: Response) => {
    store.stats.statusRequests += 1;
    const { clientId } = authenticate(req);
    const payment = store.findOwnedPayment(clientId, req.params.token);
    if (!payment) throw new GenericApiError(404, 'Payment not found');
    if (paymentScriptFor(payment.amount) === 'status_timeout') return hangThenTimeout(res);
    store.observeStatus(payment);
    sendSuccess(res, paymentView(payment));
  });

  router.post('/payment/refund', (req: Request, res: Response) => {
    store.stats.refundRequests += 1;
    const { clientId } = authenticate(req);
    const input = parseRefund(req.body);
    const payment = store.findOwnedPayment(clientId, input.token);
    if (!payment) throw new GenericApiError(404, 'Payment not found');
    // Idempotency comes first: a retried refund must get its refund back even once the payment is fully refunded.
    const existing = input.reference === null ? undefined : store.findRefundByReference(payment.token, input.reference);
    if (existing) return sendSuccess(res, refundView(existing));
    if (payment.status !== 'SUCCESS') throw new GenericApiError(400, 'Payment is not refundable');
    const alreadyRefunded = store.activeRefunds(payment.token).reduce((sum, r) => sum + amountToCents(r.amount), 0);
    if (alreadyRefunded + amountToCents(input.amount) > amountToCents(payment.amount)) {
      throw new GenericApiError(400, 'Refund amount exceeds payment amount');
    }
    const refund = store.createRefund(payment, input.amount, input.reference, refundFailsFor(input.amount));
    sendSuccess(res, refundView(refund));
  });

  router.get('/payment/refund/:refundId', (req: Request, res: Response) => {
    store.stats.refundStatusRequests += 1;
    const { clientId } = authenticate(req);
    const refund = store.findOwnedRefund(clientId, req.params.refundId);
    if (!refund) throw new GenericApiError(404, 'Refund not found');
    store.observeRefund(refund);
    sendSuccess(res, refundView(refund));
  });

  router.use(genericErrorHandler);
  return router;
}

/** Every failure under /generic answers the gateway's error envelope: never a stack trace or an HTML error page. */
export function genericErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  if (err instanceof GenericApiError) return sendError(res, err.status, err.messages);
  if (isBodyParserError(err)) {
    if (err.type === 'entity.parse.failed') return sendError(res, 400, ['Malformed JSON']);
    if (err.type === 'entity.too.large') return sendError(res, 413, ['Payload Too Large']);
    if (err.status >= 400 && err.status < 500) return sendError(res, err.status, ['Bad Request']);
  }
  console.error('sandbox/generic: unexpected error', err instanceof Error ? err.stack : err);
  sendError(res, 500, ['Internal Server Error']);
}
