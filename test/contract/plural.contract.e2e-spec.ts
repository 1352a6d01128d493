import {
  orderProcessedBody,
  PLURAL_CLIENT_SECRET,
  pluralAccount,
  pluralShopper,
  postToReturn,
  registerPluralMerchant,
  signedDelivery,
} from '../plural/plural.support';
import { connectorContract } from './connector-contract';

connectorContract({
  name: 'plural',
  currency: 'INR',
  amounts: { success: 100000, decline: 100051, pendingThenSuccess: 100052 },
  features: { manualCapture: true, partialCapture: true, partialRefunds: true, webhooks: true },
  connectorAccount: pluralAccount,
  setup: registerPluralMerchant,
  shopper: (_stack, redirectUrl, action) => pluralShopper(redirectUrl, action),
  // A "paid" callback with a made-up signature: the engine must inquire and find the order still unpaid.
  forgeReturn: (stack, merchant, payment) =>
    postToReturn(stack, merchant.merchantId, payment.payment_id, {
      order_id: payment.connector_transaction_id ?? 'v1-0000000000-aa-forged',
      status: 'PROCESSED',
      signature: '1CD07901E1BCB07C889AAE3426BC9071A4589DE0FC73F46042CCE9BD9937CC59',
    }),
  webhooks: {
    paid: async (_stack, _merchant, payment) => signedDelivery(PLURAL_CLIENT_SECRET, orderProcessedBody(payment)),
    tampered: (delivery) => ({
      headers: delivery.headers,
      body: delivery.body.replace(/"value":(\d+)/, (_m, value: string) => `"value":${Number(value) + 1}`),
    }),
    wrongKey: async (_stack, _merchant, payment) =>
      signedDelivery('not_the_client_secret', orderProcessedBody(payment)),
    stale: async (_stack, _merchant, payment) =>
      signedDelivery(PLURAL_CLIENT_SECRET, orderProcessedBody(payment), {
        timestamp: Math.floor(Date.now() / 1000) - 600,
      }),
  },
});
