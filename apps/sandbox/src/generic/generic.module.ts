import { express, type Request, type Response } from '../express-typed';
import type { ProcessorModule, SandboxContext } from '../sandbox.types';
import { createGenericApiRouter } from './generic.api.routes';
import { createGenericCheckoutRouter } from './generic.checkout.routes';
import { createGenericControlRouter, GENERIC_CONTROL_ROUTES } from './generic.control.routes';
import { sendError } from './generic.envelope';
import { GENERIC_MAGIC_VALUES } from './generic.scripts';
import { GenericStore } from './generic.store';

export const GENERIC_NAME = 'generic';
/** Same shape as the real family (`https://<host>/pay/sandbox/api/v1`, `…/pay/api/v1`), under the processor's prefix. */
export const GENERIC_SANDBOX_BASE = '/pay/sandbox/api/v1';
export const GENERIC_LIVE_BASE = '/pay/api/v1';

export interface GenericProcessor {
  readonly module: ProcessorModule;
  readonly store: GenericStore;
}

/** The "generic" client-id/secret-id hosted-payment gateway. Sandbox and live paths share one store: tokens work on both. */
export function createGenericProcessor(ctx: SandboxContext): GenericProcessor {
  const store = new GenericStore(() => ctx.now(), ctx.options.paymentTtlSeconds * 1000);
  const api = createGenericApiRouter(store, ctx);

  const router = express.Router();
  router.use(GENERIC_SANDBOX_BASE, api);
  router.use(GENERIC_LIVE_BASE, api);
  router.use('/checkout', createGenericCheckoutRouter(store, ctx));
  router.use((_req: Request, res: Response) => sendError(res, 404, ['Not Found']));

  return {
    store,
    module: {
      name: GENERIC_NAME,
      title: 'Generic client-id/secret-id hosted-payment gateway',
      basePaths: [`/${GENERIC_NAME}${GENERIC_SANDBOX_BASE}`, `/${GENERIC_NAME}${GENERIC_LIVE_BASE}`],
      hostedPage: `/${GENERIC_NAME}/checkout/{token}`,
      controlRoutes: GENERIC_CONTROL_ROUTES,
      magicValues: GENERIC_MAGIC_VALUES,
      router,
      controlRouter: createGenericControlRouter(store),
      stats: () => ({ ...store.stats }),
    },
  };
}
