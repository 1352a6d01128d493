import type { Merchant } from '../support/client';
import type { Stack } from '../support/stack';

/** A webhook exactly as the processor would deliver it (headers + raw body). */
export interface WebhookDelivery {
  headers: Record<string, string>;
  body: string;
}

/**
 * What the shared connector contract needs to know about one connector and its sandbox. Everything else (the API calls,
 * the assertions) is the same for every connector.
 */
export interface ContractDriver {
  /** connector_name in the API. */
  name: string;
  currency: string;
  amounts: {
    /** Pays normally on the hosted page. */
    success: number;
    /** Declined when the shopper pays. */
    decline: number;
    /** Still pending at the processor for a while after the shopper paid, then paid. */
    pendingThenSuccess: number;
  };
  features: { manualCapture: boolean; partialCapture: boolean; partialRefunds: boolean; webhooks: boolean };
  /** Body of POST /account/{merchant_id}/connectors for a test-mode account on this sandbox. */
  connectorAccount(stack: Stack, merchantId: string): Record<string, unknown>;
  /** Anything the processor's dashboard would hold (e.g. the webhook URL), after the account exists. */
  setup?(stack: Stack, merchant: Merchant): Promise<void>;
  /**
   * Acts as the shopper on the processor's hosted page and follows the processor's way back to our return route.
   * Returns where Switchyard finally sends the shopper.
   */
  shopper(stack: Stack, redirectUrl: string, action: 'pay' | 'fail'): Promise<{ returnLocation: string | null }>;
  /** Sends the shopper back to our return route with a forged "success" (no payment happened). Returns our response. */
  forgeReturn(
    stack: Stack,
    merchant: Merchant,
    payment: { payment_id: string; connector_transaction_id: string | null },
  ): Promise<Response>;
  /** For connectors with webhooks: a correctly signed "paid" event for this payment, and ways to spoil it. */
  webhooks?: {
    paid(stack: Stack, merchant: Merchant, payment: PaymentView): Promise<WebhookDelivery>;
    /** Same event with the amount changed after signing. */
    tampered(delivery: WebhookDelivery): WebhookDelivery;
    /** Signed with a key that is not the account's. */
    wrongKey(stack: Stack, merchant: Merchant, payment: PaymentView): Promise<WebhookDelivery>;
    /** Signed correctly but outside the replay window; null when the scheme has no timestamp. */
    stale(stack: Stack, merchant: Merchant, payment: PaymentView): Promise<WebhookDelivery | null>;
  };
}

export interface PaymentView {
  payment_id: string;
  amount: number;
  currency: string;
  connector_transaction_id: string | null;
  attempt_id: string;
}
