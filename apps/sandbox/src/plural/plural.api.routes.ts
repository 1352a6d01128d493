import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isBodyParserError } from '../sandbox.http';
import type { SandboxContext } from '../sandbox.types';
import type { PluralFlows } from './plural.flows';
import { parseCardPayment } from './plural.cards';
import { orderScriptFor, TRUNCATED_BODY, TRUNCATED_SEAMLESS_BODY } from './plural.scripts';
import type { PaymentRecord, PluralOrder, PluralStore, PluralToken } from './plural.store';
import {
  checkTracingHeaders,
  credentialsRefusal,
  parseCapture,
  parseCreateOrder,
  parseRefund,
  parseTokenRequest,
} from './plural.validation';
import { invalid, orderView, PluralApiError, publicLink, refundView, sendError } from './plural.wire';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const notFound = (): PluralApiError => new PluralApiError(404, 'ORDER_NOT_FOUND', 'Order not found');

/** A JWT-shaped opaque token (HS256 with a per-sandbox key); the store is what makes it valid. */
function jwtFor(clientId: string, issuedAt: number, ttlSeconds: number, key: Buffer): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(issuedAt / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: clientId, iat, exp: iat + ttlSeconds, jti: randomUUID() })}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** `2024-06-28T13:26:06.909140Z`: Plural prints microseconds. */
const microsIso = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');

/**
 * Plural's API under `/plural/api`. Counters are bumped on arrival, before authentication, so a test sees every call.
 */
export function createPluralApiRouter(store: PluralStore, flows: PluralFlows, ctx: SandboxContext): Router {
  const router = express.Router();
  const signingKey = randomBytes(32);
  router.use(express.json({ limit: '100kb' }));
  router.use((req: Request, _res: Response, next: NextFunction) => {
    checkTracingHeaders(req.get('request-id'), req.get('request-timestamp'));
    next();
  });

  const authenticate = (req: Request): PluralToken => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    const token = match ? store.findActiveToken(match[1]) : undefined;
    if (token) return token;
    store.stats.unauthorizedRequests += 1;
    throw new PluralApiError(401, 'USER_AUTHENTICATION_FAILED', 'Invalid or expired access token');
  };
  const ownOrder = (req: Request): PluralOrder => {
    const order = store.findOrder(authenticate(req).clientId, String(req.params.orderId));
    if (!order) throw notFound();
    return order;
  };
  /** Answers 504 after `hangMs`, unless the client gives up first. */
  const hangThenTimeout = (res: Response): void => {
    ctx.hang(ctx.options.hangMs, res, () => {
      if (!res.writableEnded && !res.destroyed) sendError(res, 504, 'GATEWAY_TIMEOUT', 'Upstream timed out');
    });
  };

  /** An inquiry answer; an inquiry is also what advances pending-then-processed. */
  const answerOrder = (order: PluralOrder, res: Response): void => {
    if (orderScriptFor(order.value) === 'inquiry_timeout') return hangThenTimeout(res);
    flows.observe(order);
    res.json({ data: orderView(store, order) });
  };

  router.post('/auth/v1/token', (req: Request, res: Response) => {
    store.stats.tokenRequests += 1;
    const request = parseTokenRequest(req.body);
    const refusal = credentialsRefusal(request, store.getMerchant(request.clientId)?.clientSecret);
    if (refusal) {
      res.status(refusal.status).json({ error: refusal.code, error_description: refusal.message });
      return;
    }
    if (!store.getMerchant(request.clientId)) {
      // First use of a client_id: Plural onboarded this merchant; its dashboard settings can be set or read on /__sandbox.
      store.upsertMerchant({
        clientId: request.clientId,
        clientSecret: request.clientSecret,
        merchantSecretHex: randomBytes(32).toString('hex').toUpperCase(),
        webhookUrl: null,
        webhookSecret: null,
      });
    }
    const ttl = ctx.options.tokenTtlSeconds;
    const token = store.issueToken(request.clientId, ttl, jwtFor(request.clientId, ctx.now(), ttl, signingKey));
    res.json({ access_token: token.accessToken, expires_at: microsIso(token.expiresAt) });
  });

  /** Both creates: the order, or undefined when a script already answered. */
  const createOrder = (req: Request, res: Response, seamless: boolean): PluralOrder | undefined => {
    store.stats.createRequests += 1;
    const { clientId } = authenticate(req);
    const input = parseCreateOrder(clientId, req.body, seamless);
    const existing = store.findByReference(clientId, input.reference);
    if (existing && !('token' in existing)) {
      throw new PluralApiError(400, 'DUPLICATE_REQUEST', 'merchant_order_reference is already used by a refund');
    }
    if (!existing) {
      const script = orderScriptFor(input.value);
      if (script === 'create_timeout') return void hangThenTimeout(res);
      if (script === 'create_5xx') return void sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong');
      if (script === 'malformed_body') {
        res
          .status(200)
          .type('application/json')
          .send(seamless ? TRUNCATED_SEAMLESS_BODY : TRUNCATED_BODY);
        return undefined;
      }
    }
    // A repeated merchant_order_reference answers the order it already created: it doubles as an idempotency key.
    return existing ?? store.createOrder(input);
  };

  router.post('/checkout/v1/orders', (req: Request, res: Response) => {
    const order = createOrder(req, res, false);
    if (!order) return;
    res.json({
      token: order.token,
      order_id: order.orderId,
      redirect_url: publicLink(ctx, req, `/plural/checkout?token=${encodeURIComponent(order.token)}`),
      response_code: 200,
      response_message: 'Order Creation Successful.',
    });
  });

  // Seamless orders (card data server-to-server): the order in `data`, then card payments on it.
  router.post('/pay/v1/orders', (req: Request, res: Response) => {
    const order = createOrder(req, res, true);
    if (order) res.json({ data: orderView(store, order) });
  });

  router.post('/pay/v1/orders/:orderId/payments', (req: Request, res: Response) => {
    store.stats.paymentRequests += 1;
    const order = ownOrder(req);
    const challengeUrl = (payment: PaymentRecord | undefined) =>
      payment?.challenge?.open
        ? { challenge_url: publicLink(ctx, req, `/plural/3ds?token=${encodeURIComponent(payment.challenge.token)}`) }
        : {};
    const reference = (req.body as { payments?: { merchant_payment_reference?: unknown }[] } | undefined)?.payments?.[0]
      ?.merchant_payment_reference;
    // The same merchant_payment_reference again (a retried call) answers the order as it is.
    const repeat = order.payments.find((p) => p.draft && p.draft.merchantPaymentReference === reference);
    if (repeat) return void res.json({ data: { ...orderView(store, order), ...challengeUrl(repeat) } });
    const payment = parseCardPayment(req.body, order, ctx.now());
    if (!flows.awaitsShopper(order)) throw invalid(`Order is ${order.status}, not payable`);
    const draft = { merchantPaymentReference: payment.merchantPaymentReference, card: payment.card };
    switch (payment.behaviour) {
      case 'decline':
        flows.declineCard(order, draft);
        break;
      case 'challenge':
        flows.startChallenge(order, draft);
        break;
      case 'frictionless':
        flows.pay(order, draft);
        break;
    }
    res.json({ data: { ...orderView(store, order), ...challengeUrl(order.payments[order.payments.length - 1]) } });
  });

  router.get('/pay/v1/orders/reference/:reference', (req: Request, res: Response) => {
    store.stats.inquiryRequests += 1;
    const { clientId } = authenticate(req);
    const found = store.findByReference(clientId, String(req.params.reference));
    if (!found) throw notFound();
    if ('token' in found) return answerOrder(found, res);
    flows.settleRefund(found);
    res.json({ data: refundView(store, found) });
  });

  router.get('/pay/v1/orders/:orderId', (req: Request, res: Response) => {
    store.stats.inquiryRequests += 1;
    answerOrder(ownOrder(req), res);
  });

  router.put('/pay/v1/orders/:orderId/capture', (req: Request, res: Response) => {
    store.stats.captureRequests += 1;
    const order = ownOrder(req);
    const input = parseCapture(req.body);
    const done = order.payments.some((p) => p.captures.some((c) => c.reference === input.reference));
    if (!done) {
      if (!order.preAuth || order.status !== 'AUTHORIZED') throw invalid('Order is not in AUTHORIZED state');
      if (input.value > order.value) throw invalid('capture_amount cannot exceed the authorized amount');
      flows.capture(order, input.reference, input.value);
    }
    res.json({ data: orderView(store, order) });
  });

  router.put('/pay/v1/orders/:orderId/cancel', (req: Request, res: Response) => {
    store.stats.cancelRequests += 1;
    const order = ownOrder(req);
    if (order.status !== 'CANCELLED') {
      if (!order.preAuth || order.status !== 'AUTHORIZED') throw invalid('Order is not in AUTHORIZED state');
      flows.cancel(order);
    }
    res.json({ data: orderView(store, order) });
  });

  router.post('/pay/v1/refunds/:orderId', (req: Request, res: Response) => {
    store.stats.refundRequests += 1;
    const parent = ownOrder(req);
    const input = parseRefund(req.body);
    // Idempotency first: a retried refund gets its refund back even once the order is fully refunded.
    const existing = store.findByReference(parent.clientId, input.reference);
    if (existing && 'parentOrderId' in existing && existing.parentOrderId === parent.orderId) {
      res.json({ data: refundView(store, existing) });
      return;
    }
    if (existing) throw new PluralApiError(400, 'DUPLICATE_REQUEST', 'merchant_order_reference is already used');
    if (!['PROCESSED', 'PARTIALLY_REFUNDED'].includes(parent.status)) throw invalid('Order is not refundable');
    if (input.currency !== parent.currency) throw invalid('refund currency differs from the order currency');
    const refunded = store
      .refundsOf(parent.orderId)
      .filter((r) => r.status !== 'FAILED')
      .reduce((sum, r) => sum + r.value, 0);
    if (refunded + input.value > store.capturedValue(parent))
      throw invalid('Refund amount exceeds the captured amount');
    res.json({ data: refundView(store, flows.refund(parent, input.reference, input.value)) });
  });

  router.use(pluralErrorHandler);
  return router;
}

/** Every failure under /plural/api answers Plural's `{code, message}`: never a stack trace or an HTML page. */
export function pluralErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  if (err instanceof PluralApiError) return sendError(res, err.status, err.code, err.message);
  if (isBodyParserError(err)) {
    if (err.type === 'entity.parse.failed') return sendError(res, 400, 'INVALID_REQUEST', 'Malformed JSON');
    if (err.type === 'entity.too.large') return sendError(res, 413, 'INVALID_REQUEST', 'Payload Too Large');
    if (err.status >= 400 && err.status < 500) return sendError(res, err.status, 'INVALID_REQUEST', 'Bad Request');
  }
  console.error('sandbox/plural: unexpected error', err instanceof Error ? err.stack : err);
  sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong');
}
