import { express, type NextFunction, type Request, type Response, type Router } from '../express-typed';
import { isBodyParserError } from '../sandbox.http';
import type { SandboxContext } from '../sandbox.types';
import type { TapCardFlows } from './tap.card-flows';
import { sendTapError, TAP_ERRORS, TapApiError } from './tap.errors';
import { refundFailsFor, scriptFor, TRUNCATED_BODY } from './tap.scripts';
import type { TapObjectKind } from './tap.records';
import type { TapStore } from './tap.store';
import { parseCreate, parseRefund, type TapCreateInput } from './tap.validation';
import { chargeView, refundView, sendTapJson } from './tap.views';
import type { TapWebhookSender } from './tap.webhooks';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** The sandbox's key rule: a test secret key, `sk_test_` + at least 6 of [A-Za-z0-9_], not starting `sk_test_invalid`. */
const VALID_KEY = /^sk_test_[A-Za-z0-9_]{6,}$/;

/**
 * Tap's v2 API under `/tap/v2`: card tokens, charges, authorize (+ void), capture through a charge on an `auth_…` source,
 * refunds.
 * Counters are bumped on arrival, before authentication, so a test sees every call the engine made.
 */
export function createTapApiRouter(
  store: TapStore,
  ctx: SandboxContext,
  webhooks: TapWebhookSender,
  cards: TapCardFlows,
): Router {
  const router = express.Router();
  router.use(express.json({ limit: '100kb' }));

  const authenticate = (req: Request): string => {
    const key = BEARER.exec(req.get('authorization') ?? '')?.[1];
    if (key && VALID_KEY.test(key) && !key.startsWith('sk_test_invalid')) return key;
    store.stats.unauthorizedRequests += 1;
    throw TAP_ERRORS.invalidApiKey();
  };

  const capture = (res: Response, apiKey: string, input: TapCreateInput): void => {
    const auth = store.findOwnedCharge(apiKey, input.sourceId, 'authorize');
    if (!auth) throw TAP_ERRORS.authorizeNotFound();
    if (auth.status !== 'AUTHORIZED') throw TAP_ERRORS.invalidRequest(`Authorize is ${auth.status}, not capturable`);
    if (input.currency !== auth.currency) throw TAP_ERRORS.invalidCurrency();
    if (input.amountMinor > auth.amountMinor) throw TAP_ERRORS.captureExceeds();
    const charge = store.createCharge({
      ...input,
      object: 'charge',
      apiKey,
      script: 'normal',
      transactionUrl: null,
      cardOutcome: null,
      card: auth.card,
    });
    store.settle(charge, 'CAPTURED');
    auth.status = 'CAPTURED';
    auth.response = null;
    auth.capturedBy = charge.id;
    webhooks.chargeSettled(charge);
    sendTapJson(res, 200, chargeView(charge, store.pageTtlMs));
  };

  const create = (object: TapObjectKind) => (req: Request, res: Response) => {
    store.stats.createRequests += 1;
    const apiKey = authenticate(req);
    const input = parseCreate(req.body, object);
    // Tap's advice against duplicate charges: the same reference.idempotent answers the object already made.
    const existing = input.reference.idempotent ? store.replay(apiKey, object, input.reference.idempotent) : undefined;
    if (existing) return sendTapJson(res, 200, chargeView(existing, store.pageTtlMs));
    if (input.sourceId.startsWith('auth_')) return capture(res, apiKey, input);
    const script = scriptFor(input.amountMinor);
    if (script === 'create_5xx') throw TAP_ERRORS.internal();
    if (script === 'malformed_body') {
      res.status(200).type('application/json').send(TRUNCATED_BODY);
      return;
    }
    const record = input.sourceId.startsWith('tok_')
      ? cards.charge(req, apiKey, object, input, script)
      : store.createCharge({ ...input, object, apiKey, script, transactionUrl: null, cardOutcome: null });
    if (input.sourceId.startsWith('src_')) {
      record.transactionUrl = ctx.publicLink(req, `/tap/checkout/${encodeURIComponent(record.id)}`);
    }
    if (script === 'create_timeout') {
      // Made, but the answer never comes in time: only the idempotent repeat can tell the merchant its id.
      return ctx.hang(ctx.options.hangMs, res, () => {
        if (!res.writableEnded && !res.destroyed) sendTapError(res, TAP_ERRORS.gatewayTimeout());
      });
    }
    sendTapJson(res, 200, chargeView(record, store.pageTtlMs));
  };

  router.post('/tokens', (req: Request, res: Response) => {
    store.stats.tokenRequests += 1;
    const apiKey = authenticate(req);
    sendTapJson(res, 200, cards.tokenize(apiKey, req.body));
  });
  router.get('/tokens/:id', (req: Request, res: Response) => {
    store.stats.tokenRequests += 1;
    sendTapJson(res, 200, cards.retrieveToken(authenticate(req), req.params.id));
  });

  router.post('/charges', create('charge'));
  router.post('/authorize', create('authorize'));

  const retrieve = (object: TapObjectKind) => (req: Request, res: Response) => {
    store.stats.retrieveRequests += 1;
    const apiKey = authenticate(req);
    const record = store.findOwnedCharge(apiKey, req.params.id, object);
    if (!record) throw object === 'charge' ? TAP_ERRORS.chargeNotFound() : TAP_ERRORS.authorizeNotFound();
    if (store.observe(record)) webhooks.chargeSettled(record);
    sendTapJson(res, 200, chargeView(record, store.pageTtlMs));
  };
  router.get('/charges/:id', retrieve('charge'));
  router.get('/authorize/:id', retrieve('authorize'));

  router.post('/authorize/:id/void', (req: Request, res: Response) => {
    store.stats.voidRequests += 1;
    const apiKey = authenticate(req);
    const auth = store.findOwnedCharge(apiKey, req.params.id, 'authorize');
    if (!auth) throw TAP_ERRORS.authorizeNotFound();
    if (auth.status !== 'AUTHORIZED') throw TAP_ERRORS.invalidRequest(`Authorize is ${auth.status}, not voidable`);
    auth.status = 'VOID';
    auth.response = null;
    webhooks.chargeSettled(auth);
    sendTapJson(res, 200, chargeView(auth, store.pageTtlMs));
  });

  router.post('/refunds', (req: Request, res: Response) => {
    store.stats.refundRequests += 1;
    const apiKey = authenticate(req);
    const input = parseRefund(req.body);
    const charge = store.findOwnedCharge(apiKey, input.chargeId, 'charge');
    if (!charge) throw TAP_ERRORS.chargeNotFound();
    if (charge.status !== 'CAPTURED') throw TAP_ERRORS.invalidRequest(`Charge is ${charge.status}, not refundable`);
    if (input.currency !== charge.currency) throw TAP_ERRORS.invalidCurrency();
    if (store.activeRefundedMinor(charge.id) + input.amountMinor > charge.amountMinor) throw TAP_ERRORS.refundExceeds();
    const refund = store.createRefund({ ...input, apiKey, failsOnSettle: refundFailsFor(input.amountMinor) });
    webhooks.later(store.settings.refundSettleMs, () => {
      if (store.settleRefund(refund)) webhooks.refundSettled(refund);
    });
    sendTapJson(res, 200, refundView(refund));
  });

  router.get('/refunds/:id', (req: Request, res: Response) => {
    store.stats.refundRetrieveRequests += 1;
    const apiKey = authenticate(req);
    const refund = store.findOwnedRefund(apiKey, req.params.id);
    if (!refund) throw TAP_ERRORS.refundNotFound();
    if (store.settleRefund(refund)) webhooks.refundSettled(refund);
    sendTapJson(res, 200, refundView(refund));
  });

  router.use(tapErrorHandler);
  return router;
}

/** Every failure under /tap/v2 answers Tap's `{"errors":[…]}`: never a stack trace or an HTML page. */
export function tapErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  if (err instanceof TapApiError) return sendTapError(res, err);
  if (isBodyParserError(err) && err.status >= 400 && err.status < 500) {
    const description = err.type === 'entity.parse.failed' ? 'Malformed JSON' : 'Bad request body';
    return sendTapError(res, new TapApiError(err.status, '1108', description));
  }
  console.error('sandbox/tap: unexpected error', err instanceof Error ? err.stack : err);
  sendTapError(res, TAP_ERRORS.internal());
}
