import express, { type Request, type Response } from 'express';
import type { ProcessorModule, SandboxContext } from '../sandbox.types';
import { createPluralApiRouter } from './plural.api.routes';
import { createPluralCheckoutRouter } from './plural.checkout.routes';
import { createPluralControlRouter, PLURAL_CONTROL_ROUTES } from './plural.control.routes';
import { PluralFlows } from './plural.flows';
import { PLURAL_CARD_MAGIC_VALUES } from './plural.cards';
import { PLURAL_MAGIC_VALUES } from './plural.scripts';
import { PluralStore } from './plural.store';
import { createPluralThreeDsRouter } from './plural.threeds.routes';
import { PluralWebhooks } from './plural.webhooks';
import { sendError } from './plural.wire';

export const PLURAL_NAME = 'plural';

export interface PluralProcessor {
  readonly module: ProcessorModule;
  readonly store: PluralStore;
  readonly webhooks: PluralWebhooks;
}

/**
 * Pine Labs Plural (API v3), served under `/plural` with the real paths (`/plural/api/...`), so a connector's base_url is
 * `<sandbox>/plural`. The hosted checkout page is `/plural/checkout?token=…`.
 */
export function createPluralProcessor(ctx: SandboxContext): PluralProcessor {
  const store = new PluralStore(() => ctx.now());
  const webhooks = new PluralWebhooks(store, ctx);
  const flows = new PluralFlows(store, webhooks, ctx);

  const router = express.Router();
  router.use('/api', createPluralApiRouter(store, flows, ctx));
  router.use('/checkout', createPluralCheckoutRouter(store, flows));
  router.use('/3ds', createPluralThreeDsRouter(store, flows));
  router.use((_req: Request, res: Response) => sendError(res, 404, 'NOT_FOUND', 'Not Found'));

  return {
    store,
    webhooks,
    module: {
      name: PLURAL_NAME,
      title: 'Pine Labs Plural (API v3, hosted checkout, seamless card payments with 3-D Secure)',
      basePaths: [`/${PLURAL_NAME}/api`],
      hostedPage: `/${PLURAL_NAME}/checkout?token={token}`,
      controlRoutes: PLURAL_CONTROL_ROUTES,
      magicValues: [...PLURAL_MAGIC_VALUES, ...PLURAL_CARD_MAGIC_VALUES],
      // The app's ProcessorModule declares the sandbox's own slice of express; these are real express routers.
      router: router as unknown as ProcessorModule['router'],
      controlRouter: createPluralControlRouter(store, webhooks) as unknown as ProcessorModule['controlRouter'],
      stats: () => ({ ...store.stats }),
    },
  };
}
