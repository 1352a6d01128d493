import { shopperActs } from '../support/client';
import { connectorContract } from './connector-contract';

connectorContract({
  name: 'generic',
  currency: 'USD',
  amounts: { success: 1000, decline: 1051, pendingThenSuccess: 1052 },
  features: { manualCapture: false, partialCapture: false, partialRefunds: true, webhooks: false },
  connectorAccount: (stack, merchantId) => ({
    connector_type: 'payment_processor',
    connector_name: 'generic',
    test_mode: true,
    connector_account_details: { auth_type: 'BodyKey', api_key: `client_${merchantId}`, key1: 'sandbox_secret_123' },
    metadata: { base_url: `${stack.sandbox}/generic/pay/sandbox/api/v1` },
  }),
  shopper: (_stack, redirectUrl, action) => shopperActs(redirectUrl, action),
  forgeReturn: (stack, merchant, payment) =>
    fetch(
      `${stack.api}/payments/${payment.payment_id}/${merchant.merchantId}/redirect/response/generic?token=${payment.connector_transaction_id}&status=SUCCESS`,
      {
        redirect: 'manual',
      },
    ),
});
