/** Records and statuses of the Plural sandbox (what the store keeps, what the flows, views and routes read). */
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
export type OrderStatus = (typeof PLURAL_ORDER_STATUSES)[number];
export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'CANCELLED' | 'PROCESSED' | 'FAILED';
export type RefundStatus = 'CREATED' | 'PENDING' | 'PROCESSED' | 'FAILED';

/** The merchant's "dashboard": credentials, the secret that signs returns, and where webhooks go. */
export interface PluralMerchant {
  readonly clientId: string;
  clientSecret: string;
  /** Numeric merchant id shown as `merchant_id` on orders. */
  readonly merchantId: string;
  merchantSecretHex: string;
  webhookUrl: string | null;
  /** Key of the webhook signatures; null = the client_secret (what Pine Labs does in practice). */
  webhookSecret: string | null;
}

export interface PluralToken {
  readonly accessToken: string;
  readonly clientId: string;
  readonly expiresAt: number;
  revoked: boolean;
}

export interface ErrorDetail {
  code: string;
  message: string;
}

export interface CaptureRecord {
  reference: string;
  value: number;
  at: number;
}

/** What a seamless card payment keeps of the card: never the full number, never the CVV. */
export interface CardSummary {
  readonly network: string;
  readonly lastFour: string;
  readonly expiryMonth: string;
  readonly expiryYear: string;
  readonly holderName: string | null;
}

/** The merchant's side of a card payment made through the API (none for hosted-page tries). */
export interface PaymentDraft {
  readonly merchantPaymentReference: string;
  readonly card: CardSummary;
}

export interface PaymentRecord {
  readonly id: string;
  status: PaymentStatus;
  readonly value: number;
  errorDetail: ErrorDetail | null;
  readonly draft: PaymentDraft | null;
  /** A card payment waiting on the 3-D Secure page (`/plural/3ds?token=`); `open` until Pass or Fail. */
  challenge: { readonly token: string; open: boolean } | null;
  captures: CaptureRecord[];
  readonly rrn: string;
  readonly createdAt: number;
  updatedAt: number;
}

export interface NewOrder {
  clientId: string;
  reference: string;
  value: number;
  currency: string;
  preAuth: boolean;
  callbackUrl: string;
  integrationMode: string;
  allowedPaymentMethods: string[] | null;
  purchaseDetails: object | null;
  /** Created through `POST /api/pay/v1/orders` (card data server-to-server): no hosted page. */
  seamless: boolean;
}

export interface PluralOrder extends NewOrder {
  readonly orderId: string;
  /** Opaque token of the hosted checkout link. */
  readonly token: string;
  status: OrderStatus;
  payments: PaymentRecord[];
  retriesRemaining: number;
  /** pending-then-processed: inquiries still answering PENDING; null when not settling. */
  pendingPollsLeft: number | null;
  readonly createdAt: number;
  updatedAt: number;
}

export interface RefundOrder {
  readonly orderId: string;
  readonly parentOrderId: string;
  readonly clientId: string;
  readonly reference: string;
  readonly value: number;
  readonly currency: string;
  readonly failsOnSettle: boolean;
  status: RefundStatus;
  readonly createdAt: number;
  updatedAt: number;
}

export interface PluralStats {
  tokenRequests: number;
  tokensIssued: number;
  createRequests: number;
  ordersCreated: number;
  inquiryRequests: number;
  paymentRequests: number;
  captureRequests: number;
  cancelRequests: number;
  refundRequests: number;
  unauthorizedRequests: number;
  webhookAttempts: number;
  webhooksDelivered: number;
  webhooksFailed: number;
}
