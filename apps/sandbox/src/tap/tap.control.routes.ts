import { express, type Request, type Response, type Router } from '../express-typed';
import { formatMajor } from './tap.amounts';
import { TAP_CHARGE_STATUSES, type TapChargeStatus } from './tap.records';
import type { TapStore } from './tap.store';
import type { TapWebhookSender } from './tap.webhooks';

const isStatus = (value: unknown): value is TapChargeStatus =>
  typeof value === 'string' && (TAP_CHARGE_STATUSES as readonly string[]).includes(value);
const queryText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export const TAP_CONTROL_ROUTES: readonly string[] = [
  'GET /charges?idempotent=&transaction= — charges and authorizations (id, object, status, amount, currency, reference…)',
  'GET /idempotency — per reference.idempotent: distinct objects made and create requests seen',
  'GET /refunds?charge_id= — refunds',
  'GET /webhooks — webhook delivery attempts (object_id, object_status, url, attempt, http_status, error, at)',
  'POST /charges/{id}/status {"status": "CAPTURED"|…} — forces a status (a final one is posted as a webhook)',
];

/** `/__sandbox/tap/*`: what tests and developers may look at or force. The JSON body parser runs in the parent router. */
export function createTapControlRouter(store: TapStore, webhooks: TapWebhookSender): Router {
  const router = express.Router();

  router.get('/charges', (req: Request, res: Response) => {
    const filter = { idempotent: queryText(req.query.idempotent), transaction: queryText(req.query.transaction) };
    res.json(
      store.listCharges(filter).map((c) => ({
        id: c.id,
        object: c.object,
        status: c.status,
        amount: formatMajor(c.amountMinor, c.decimals),
        amount_minor: c.amountMinor,
        currency: c.currency,
        reference: c.reference,
        source_id: c.sourceId,
        redirect_url: c.redirectUrl,
        post_url: c.postUrl,
        captured_by: c.capturedBy,
        created_at: new Date(c.createdAt).toISOString(),
      })),
    );
  });

  router.get('/idempotency', (_req: Request, res: Response) => {
    res.json(store.idempotency());
  });

  router.get('/refunds', (req: Request, res: Response) => {
    res.json(
      store.listRefunds(queryText(req.query.charge_id)).map((r) => ({
        id: r.id,
        charge_id: r.chargeId,
        status: r.status,
        amount: formatMajor(r.amountMinor, r.decimals),
        amount_minor: r.amountMinor,
        currency: r.currency,
        reason: r.reason,
        reference: { merchant: r.merchantReference },
        created_at: new Date(r.createdAt).toISOString(),
      })),
    );
  });

  router.get('/webhooks', (_req: Request, res: Response) => {
    res.json(
      store.deliveries.map((d) => ({
        object_id: d.objectId,
        object_status: d.objectStatus,
        url: d.url,
        attempt: d.attempt,
        http_status: d.httpStatus,
        error: d.error,
        at: d.at,
      })),
    );
  });

  router.post('/charges/:id/status', (req: Request, res: Response) => {
    const status: unknown = (req.body as { status?: unknown } | undefined)?.status;
    if (!isStatus(status)) {
      res.status(400).json({ error: `status must be one of ${TAP_CHARGE_STATUSES.join(', ')}` });
      return;
    }
    const charge = store.getCharge(req.params.id);
    if (!charge) {
      res.status(404).json({ error: 'Charge not found' });
      return;
    }
    store.settle(charge, status);
    webhooks.chargeSettled(charge);
    res.json({ id: charge.id, status: charge.status });
  });

  return router;
}
