import { Errors } from '@switchyard/common';
import type { AuthContext } from '@switchyard/merchants';
import type { PaymentCaller } from '@switchyard/payments';

export function toPaymentCaller(auth: AuthContext): PaymentCaller {
  if (auth.kind === 'merchant') return { merchantId: auth.merchantId, mode: auth.mode, viaPublishableKey: false };
  if (auth.kind === 'publishable') return { merchantId: auth.merchantId, mode: null, viaPublishableKey: true };
  throw Errors.unauthorized();
}
