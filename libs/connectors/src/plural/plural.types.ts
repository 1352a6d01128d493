/** Wire shapes of Plural (Pine Labs Online, API v3), from shared/connectors/plural.md. Everything read is `unknown` until checked. */

export const PLURAL_ORDER_STATUSES = [
  'CREATED',
  'PENDING',
  'PROCESSED',
  'AUTHORIZED',
  'CANCELLED',
  'ATTEMPTED',
  'FAILED',
  'FULLY_REFUNDED',
  'PARTIALLY_REFUNDED',
] as const;
export type PluralOrderStatus = (typeof PLURAL_ORDER_STATUSES)[number];

export const PLURAL_REFUND_STATUSES = ['CREATED', 'PENDING', 'PROCESSED', 'FAILED'] as const;
export type PluralRefundStatus = (typeof PLURAL_REFUND_STATUSES)[number];

/** Events this adapter acts on; every other `event_type` (customer, token, subscription…) is acknowledged and ignored. */
export const PLURAL_PAYMENT_EVENTS = [
  'ORDER_AUTHORIZED',
  'ORDER_PROCESSED',
  'ORDER_CANCELLED',
  'ORDER_FAILED',
  'PAYMENT_FAILED',
] as const;
export type PluralPaymentEvent = (typeof PLURAL_PAYMENT_EVENTS)[number];
export const PLURAL_REFUND_EVENTS = ['REFUND_PROCESSED', 'REFUND_FAILED'] as const;
export type PluralRefundEvent = (typeof PLURAL_REFUND_EVENTS)[number];

export interface PluralAmount {
  value: number;
  currency: string;
}

export interface PluralTokenResponse {
  access_token?: unknown;
  expires_at?: unknown;
  expires_in?: unknown;
}

/** `POST /api/checkout/v1/orders` body (hosted checkout, redirect mode). */
export interface PluralCreateOrderBody {
  merchant_order_reference: string;
  order_amount: PluralAmount;
  integration_mode: 'REDIRECT';
  pre_auth: boolean;
  callback_url: string;
  purchase_details?: { merchant_metadata: Record<string, string> };
}

/** `POST /api/pay/v1/orders`: an order for a seamless (server-to-server) payment; answered wrapped in `data`. */
export type PluralSeamlessOrderBody = Omit<PluralCreateOrderBody, 'integration_mode'>;

/** Its answer, not wrapped in `data`. */
export interface PluralCreateOrderResponse {
  token?: unknown;
  order_id?: unknown;
  redirect_url?: unknown;
  response_code?: unknown;
  response_message?: unknown;
}

export interface PluralCaptureData {
  merchant_capture_reference?: unknown;
  capture_amount?: unknown;
}

export interface PluralPayment {
  id?: unknown;
  status?: unknown;
  payment_amount?: unknown;
  error_detail?: unknown;
  capture_data?: unknown;
}

/** The order object of inquiry, capture, cancel, refund answers (inside `data`) and of webhooks. */
export interface PluralOrder {
  order_id?: unknown;
  parent_order_id?: unknown;
  merchant_order_reference?: unknown;
  type?: unknown;
  status?: unknown;
  order_amount?: unknown;
  pre_auth?: unknown;
  payments?: unknown;
}

export interface PluralErrorBody {
  code?: unknown;
  message?: unknown;
  error?: unknown;
  error_description?: unknown;
}

export interface PluralWebhookBody {
  event_type?: unknown;
  data?: unknown;
}

/** What an account's configuration resolves to for one call. */
export interface PluralCredentials {
  clientId: string;
  clientSecret: string;
  baseUrl: string;
}
