import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ConnectorTiming, Errors } from '@switchyard/common';
import type { AuthContext } from '@switchyard/merchants';
import type { PaymentCaller } from '@switchyard/payments';
import type { AuthedRequest } from './auth.decorator';
import type { TimedRequest } from './latency.middleware';

export function toPaymentCaller(auth: AuthContext, timing?: ConnectorTiming): PaymentCaller {
  if (auth.kind === 'merchant')
    return { merchantId: auth.merchantId, mode: auth.mode, viaPublishableKey: false, timing };
  if (auth.kind === 'publishable') return { merchantId: auth.merchantId, mode: null, viaPublishableKey: true, timing };
  throw Errors.unauthorized();
}

/** The authenticated caller of a payments route, carrying the request's connector-time account. */
export const CurrentCaller = createParamDecorator((_data: unknown, ctx: ExecutionContext): PaymentCaller => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest & TimedRequest>();
  if (!req.auth) throw new Error('route has no auth context: missing @Auth');
  return toPaymentCaller(req.auth, req.connectorTiming);
});
