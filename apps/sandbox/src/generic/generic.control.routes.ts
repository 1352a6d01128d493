import { express, type Request, type Response, type Router } from '../express-typed';
import { GENERIC_PAYMENT_STATUSES, type GenericPaymentStatus, type GenericStore } from './generic.store';

const isPaymentStatus = (value: unknown): value is GenericPaymentStatus =>
  typeof value === 'string' && (GENERIC_PAYMENT_STATUSES as readonly string[]).includes(value);

export const GENERIC_CONTROL_ROUTES: readonly string[] = [
  'GET /payments?custom=<value> — stored payments (token, status, amount, currency, custom, trx_id, created_at)',
  'GET /tokens — access tokens issued so far (access_token, client_id, expires_at, active)',
  'POST /expire-tokens — revokes every active token; answers {"expired": n}',
  'POST /payments/{token}/status {"status": "SUCCESS"|"FAILED"|"CANCELLED"|"EXPIRED"|"PENDING"} — forces a status',
];

/** `/__sandbox/generic/*`: what tests and developers may look at or force. The JSON body parser runs in the parent router. */
export function createGenericControlRouter(store: GenericStore): Router {
  const router = express.Router();

  router.get('/payments', (req: Request, res: Response) => {
    const custom = typeof req.query.custom === 'string' ? req.query.custom : undefined;
    res.json(
      store.listPayments(custom).map((p) => ({
        token: p.token,
        status: p.status,
        amount: p.amount,
        currency: p.currency,
        custom: p.custom,
        trx_id: p.trxId,
        created_at: new Date(p.createdAt).toISOString(),
      })),
    );
  });

  router.get('/tokens', (_req: Request, res: Response) => {
    res.json(
      store.listTokens().map((t) => ({
        access_token: t.accessToken,
        client_id: t.clientId,
        expires_at: new Date(t.expiresAt).toISOString(),
        active: store.isActive(t),
      })),
    );
  });

  router.post('/expire-tokens', (_req: Request, res: Response) => {
    res.json({ expired: store.revokeAllTokens() });
  });

  router.post('/payments/:token/status', (req: Request, res: Response) => {
    const status: unknown = (req.body as { status?: unknown } | undefined)?.status;
    if (!isPaymentStatus(status)) {
      res.status(400).json({ error: `status must be one of ${GENERIC_PAYMENT_STATUSES.join(', ')}` });
      return;
    }
    const payment = store.getPayment(req.params.token);
    if (!payment) {
      res.status(404).json({ error: 'Payment not found' });
      return;
    }
    store.forceStatus(payment, status);
    res.json({ token: payment.token, status: payment.status, trx_id: payment.trxId });
  });

  return router;
}
