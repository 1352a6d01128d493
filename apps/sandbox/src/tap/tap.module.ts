import { express, type Request, type Response } from '../express-typed';
import type { ProcessorModule, SandboxContext } from '../sandbox.types';
import { createTapApiRouter } from './tap.api.routes';
import { TapCardFlows } from './tap.card-flows';
import { TAP_CARD_MAGIC_VALUES } from './tap.cards';
import { createTapCheckoutRouter } from './tap.checkout.routes';
import { createTapControlRouter, TAP_CONTROL_ROUTES } from './tap.control.routes';
import { sendTapError, TapApiError } from './tap.errors';
import { TAP_MAGIC_VALUES } from './tap.scripts';
import { TapStore } from './tap.store';
import { createTapThreeDsRouter } from './tap.threeds.routes';
import { TapWebhookSender } from './tap.webhooks';

export const TAP_NAME = 'tap';

export interface TapProcessor {
  readonly module: ProcessorModule;
  readonly store: TapStore;
}

/** Tap Payments (api.tap.company/v2), served under `/tap`: the connector's base_url is `<sandbox>/tap`. */
export function createTapProcessor(ctx: SandboxContext): TapProcessor {
  const store = new TapStore(() => ctx.now(), ctx.options.paymentTtlSeconds * 1000);
  const webhooks = new TapWebhookSender(store, ctx);
  const cards = new TapCardFlows(store, ctx, webhooks);

  const router = express.Router();
  router.use('/v2', createTapApiRouter(store, ctx, webhooks, cards));
  router.use('/checkout', createTapCheckoutRouter(store, ctx, webhooks));
  router.use('/3ds', createTapThreeDsRouter(store, cards));
  router.use((_req: Request, res: Response) => sendTapError(res, new TapApiError(404, '1108', 'Not Found')));

  return {
    store,
    module: {
      name: TAP_NAME,
      title: 'Tap Payments (v2: card tokens with 3-D Secure, charges, authorize, refunds, hashstring webhooks)',
      basePaths: [`/${TAP_NAME}/v2`],
      hostedPage: `/${TAP_NAME}/checkout/{chg_or_auth_id}`,
      controlRoutes: TAP_CONTROL_ROUTES,
      magicValues: [...TAP_MAGIC_VALUES, ...TAP_CARD_MAGIC_VALUES],
      router,
      controlRouter: createTapControlRouter(store, webhooks),
      stats: () => ({ ...store.stats }),
    },
  };
}
