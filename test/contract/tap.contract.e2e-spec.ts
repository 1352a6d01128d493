import { chargeDelivery, tapAccount, tapKeyFor, tapShopper } from '../tap/tap.support';
import { connectorContract } from './connector-contract';

/** Tap in KWD (3 decimals): amounts are minor units, so 2051 is 2.051 KWD and ends in the decline script's 51. */
connectorContract({
  name: 'tap',
  currency: 'KWD',
  amounts: { success: 2000, decline: 2051, pendingThenSuccess: 2052 },
  features: { manualCapture: true, partialCapture: true, partialRefunds: true, webhooks: true },
  connectorAccount: (stack, merchantId) => tapAccount(stack, merchantId),
  shopper: (_stack, redirectUrl, action) => tapShopper(redirectUrl, action),
  forgeReturn: (stack, merchant, payment) =>
    fetch(
      `${stack.api}/payments/${payment.payment_id}/${merchant.merchantId}/redirect/response/tap?tap_id=chg_TS0forged000000000001`,
      {
        redirect: 'manual',
      },
    ),
  webhooks: {
    paid: (_stack, merchant, payment) =>
      Promise.resolve(
        chargeDelivery(tapKeyFor(merchant.merchantId), {
          id: payment.connector_transaction_id!,
          minor: payment.amount,
          currency: payment.currency,
          status: 'CAPTURED',
          attemptId: payment.attempt_id,
        }),
      ),
    tampered: (delivery) => ({ ...delivery, body: delivery.body.replace(/"amount":[0-9.]+/, '"amount":0.001') }),
    wrongKey: (_stack, _merchant, payment) =>
      Promise.resolve(
        chargeDelivery('sk_test_not_this_merchant', {
          id: payment.connector_transaction_id!,
          minor: payment.amount,
          currency: payment.currency,
          status: 'CAPTURED',
        }),
      ),
    // Tap's hashstring carries no timestamp: replays are absorbed by deduplication on `<id>:<status>`.
    stale: () => Promise.resolve(null),
  },
});
