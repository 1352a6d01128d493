import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { PluralMerchant, PluralOrder, PluralStore, RefundOrder } from './plural.store';
import type { PluralWebhooks, WebhookDelivery } from './plural.webhooks';

export const PLURAL_CONTROL_ROUTES: readonly string[] = [
  'POST /merchants {"client_id","client_secret","merchant_secret_hex","webhook_url","webhook_secret"} — registers (or updates) the merchant\'s dashboard settings',
  "GET /merchants/{client_id} — the merchant's settings, including merchant_secret_hex",
  'GET /orders?merchant_order_reference=&client_id= — charge orders (order_id, status, amount, pre_auth, captured, token…)',
  'GET /refunds — refund orders',
  'GET /webhooks?order_id= — webhook deliveries (webhook_id, event_type, state, attempts, body, last headers)',
  'POST /webhooks/{webhook_id}/redeliver — sends the same event again (same webhook-id); answers once settled',
  'GET /tokens — access tokens issued so far',
  'POST /expire-tokens — revokes every active token; answers {"expired": n}',
];

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function merchantView(m: PluralMerchant): object {
  return {
    client_id: m.clientId,
    merchant_id: m.merchantId,
    merchant_secret_hex: m.merchantSecretHex,
    webhook_url: m.webhookUrl,
    webhook_secret_set: m.webhookSecret !== null,
  };
}

function orderSummary(store: PluralStore, o: PluralOrder): object {
  return {
    order_id: o.orderId,
    merchant_order_reference: o.reference,
    client_id: o.clientId,
    status: o.status,
    order_amount: { value: o.value, currency: o.currency },
    pre_auth: o.preAuth,
    captured: store.capturedValue(o),
    payment_retries_remaining: o.retriesRemaining,
    token: o.token,
    created_at: new Date(o.createdAt).toISOString(),
  };
}

const refundSummary = (r: RefundOrder): object => ({
  order_id: r.orderId,
  parent_order_id: r.parentOrderId,
  merchant_order_reference: r.reference,
  status: r.status,
  order_amount: { value: r.value, currency: r.currency },
});

const deliveryView = (d: WebhookDelivery): object => ({
  webhook_id: d.webhookId,
  event_type: d.eventType,
  order_id: d.orderId,
  url: d.url,
  state: d.state,
  attempts: d.attempts.map((a) => ({ at: new Date(a.at).toISOString(), status: a.status, error: a.error })),
  body: d.body,
  last_headers: d.lastHeaders,
  last_response: d.lastResponse,
});

function refuse(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** `/__sandbox/plural/*`: the merchant dashboard and what tests may look at. The JSON body parser runs in the parent router. */
export function createPluralControlRouter(store: PluralStore, webhooks: PluralWebhooks): Router {
  const router = express.Router();

  router.post('/merchants', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const clientId = text(body.client_id);
    const clientSecret = text(body.client_secret);
    const secretHex = body.merchant_secret_hex === undefined ? undefined : text(body.merchant_secret_hex);
    const webhookUrl = body.webhook_url === undefined || body.webhook_url === null ? null : body.webhook_url;
    if (!clientId || !clientSecret) return refuse(res, 400, 'client_id and client_secret are required');
    if (secretHex === null || (secretHex !== undefined && !HEX.test(secretHex))) {
      return refuse(res, 400, 'merchant_secret_hex must be hex');
    }
    if (webhookUrl !== null && (typeof webhookUrl !== 'string' || !/^https?:\/\/\S+$/.test(webhookUrl))) {
      return refuse(res, 400, 'webhook_url must be an http(s) URL');
    }
    const merchant = store.upsertMerchant({
      clientId,
      clientSecret,
      merchantSecretHex: (
        secretHex ??
        store.getMerchant(clientId)?.merchantSecretHex ??
        randomBytes(32).toString('hex')
      ).toUpperCase(),
      webhookUrl,
      webhookSecret: text(body.webhook_secret),
    });
    res.json(merchantView(merchant));
  });

  router.get('/merchants/:clientId', (req: Request, res: Response) => {
    const merchant = store.getMerchant(String(req.params.clientId));
    if (!merchant) return refuse(res, 404, 'Merchant not found');
    res.json(merchantView(merchant));
  });

  router.get('/orders', (req: Request, res: Response) => {
    const reference =
      typeof req.query.merchant_order_reference === 'string' ? req.query.merchant_order_reference : undefined;
    const clientId = typeof req.query.client_id === 'string' ? req.query.client_id : undefined;
    res.json(store.listOrders({ reference, clientId }).map((o) => orderSummary(store, o)));
  });

  router.get('/refunds', (_req: Request, res: Response) => {
    res.json(store.listRefunds().map(refundSummary));
  });

  router.get('/webhooks', (req: Request, res: Response) => {
    const orderId = typeof req.query.order_id === 'string' ? req.query.order_id : undefined;
    res.json(webhooks.deliveries.filter((d) => !orderId || d.orderId === orderId).map(deliveryView));
  });

  router.post('/webhooks/:webhookId/redeliver', async (req: Request, res: Response) => {
    const delivery = webhooks.find(String(req.params.webhookId));
    if (!delivery) return refuse(res, 404, 'Webhook delivery not found');
    res.json(deliveryView(await webhooks.redeliver(delivery)));
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

  return router;
}
