/**
 * The one interface every processor adapter implements (DESIGN.md "Connectors"). Amounts are always integer minor units here;
 * each adapter converts to its processor's format at its own boundary.
 */
export type AttemptStatus =
  | 'started'
  | 'pending'
  | 'authentication_pending'
  | 'authorizing'
  | 'authorized'
  | 'charged'
  | 'partial_charged'
  | 'capture_initiated'
  | 'capture_failed'
  | 'void_initiated'
  | 'voided'
  | 'failure'
  | 'router_declined';

export type RefundStatus = 'pending' | 'succeeded' | 'failed' | 'review';
export type CaptureMethod = 'automatic' | 'manual';
export type ConnectorMode = 'test' | 'live';

/** Decrypted connector account, handed to an adapter for one call. Never logged. */
export interface ConnectorAccountContext {
  merchantConnectorId: string;
  merchantId: string;
  connectorName: string;
  mode: ConnectorMode;
  credentials: Record<string, string>;
  webhookSecret: string | null;
  metadata: Record<string, unknown>;
}

export interface ConnectorError {
  code: string;
  message: string;
  unifiedCode: string;
  unifiedMessage: string;
}

/** What a processor told us about a payment. `status` is already mapped to our attempt statuses. */
export interface ConnectorPaymentResult {
  status: AttemptStatus;
  connectorTransactionId?: string | null;
  redirectUrl?: string | null;
  /** Amount and currency as the processor reports them (minor units); checked against what was asked before success. */
  amount?: number | null;
  currency?: string | null;
  amountCaptured?: number | null;
  error?: ConnectorError | null;
  /** Processor's raw status string, for the audit trail. */
  rawStatus?: string | null;
}

export interface ConnectorRefundResult {
  status: RefundStatus;
  connectorRefundId?: string | null;
  error?: ConnectorError | null;
  rawStatus?: string | null;
}

/**
 * A card the merchant sent server to server, validated, for one authorization call. Lives only in memory; adapters put
 * it in the processor request and nowhere else (never in a result, an error message or a log).
 */
export interface RawCard {
  readonly number: string;
  readonly cvc: string;
  /** `01`–`12` */
  readonly expMonth: string;
  /** four digits */
  readonly expYear: string;
  readonly holderName: string | null;
}

export interface AuthorizeRequest {
  paymentId: string;
  attemptId: string;
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  /** Our shopper-return route for this attempt. */
  returnUrl: string;
  description: string | null;
  merchantOrderReference: string | null;
  customerId: string | null;
  metadata: Record<string, unknown> | null;
  /** Raw card data (only for adapters with `features.rawCards`); absent for hosted-page payments. */
  card?: RawCard | null;
  /** `three_ds` asks the processor for 3-D Secure where the card is enrolled; `no_three_ds` asks it not to. */
  authenticationType?: 'three_ds' | 'no_three_ds' | null;
}

export interface SyncRequest {
  attemptId: string;
  connectorTransactionId: string | null;
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
}

export interface CaptureRequest extends SyncRequest {
  amountToCapture: number;
}

export interface RefundRequest {
  refundId: string;
  attemptId: string;
  connectorTransactionId: string;
  amount: number;
  currency: string;
  reason: string | null;
}

export interface RefundSyncRequest {
  refundId: string;
  connectorRefundId: string | null;
  amount: number;
  currency: string;
}

/** The shopper's return: whatever arrived on the return route, unverified. */
export interface ReturnRequest {
  query: Record<string, string>;
  body: Record<string, string>;
}

export interface ReturnVerification {
  /** True only when the connector's own signature over the return data checks out (connectors without one: false). */
  signatureValid: boolean;
  connectorTransactionId: string | null;
}

/** An incoming webhook as received: headers lower-cased, the exact raw body bytes. */
export interface WebhookRequest {
  headers: Record<string, string>;
  rawBody: Buffer;
  now: Date;
}

/** What a verified webhook says, already mapped. `eventId` deduplicates deliveries (the connector's id, or resource+status). */
export type ParsedWebhook =
  | {
      kind: 'payment';
      eventId: string;
      /** Our attempt id when the connector echoes it back (preferred), else its own transaction id. */
      attemptReference: string | null;
      connectorTransactionId: string | null;
      result: ConnectorPaymentResult;
    }
  | {
      kind: 'refund';
      eventId: string;
      /** Our refund id when echoed back, else the connector's refund id. */
      refundReference: string | null;
      connectorRefundId: string | null;
      result: ConnectorRefundResult;
    }
  | { kind: 'ignored'; eventId: string; reason: string };

export interface ConnectorFeatures {
  manualCapture: boolean;
  partialCapture: boolean;
  refunds: boolean;
  partialRefunds: boolean;
  webhooks: boolean;
  /** ISO codes accepted, or '*' for any the adapter can format. */
  currencies: readonly string[] | '*';
  paymentMethods: readonly string[];
  /** Takes raw card data server to server (AuthorizeRequest.card). */
  rawCards?: boolean;
}

export interface Connector {
  readonly name: string;
  readonly features: ConnectorFeatures;
  /** Refuses an account configuration that cannot work (missing credentials, bad base URL) before it is saved. */
  validateAccount(account: Omit<ConnectorAccountContext, 'merchantConnectorId' | 'merchantId'>): string | null;
  /** Whether this adapter can express the amount exactly in the processor's format. */
  supportsAmount(amount: number, currency: string): boolean;
  authorize(ctx: ConnectorAccountContext, req: AuthorizeRequest): Promise<ConnectorPaymentResult>;
  sync(ctx: ConnectorAccountContext, req: SyncRequest): Promise<ConnectorPaymentResult>;
  capture(ctx: ConnectorAccountContext, req: CaptureRequest): Promise<ConnectorPaymentResult>;
  void(ctx: ConnectorAccountContext, req: SyncRequest): Promise<ConnectorPaymentResult>;
  refund(ctx: ConnectorAccountContext, req: RefundRequest): Promise<ConnectorRefundResult>;
  refundSync(ctx: ConnectorAccountContext, req: RefundSyncRequest): Promise<ConnectorRefundResult>;
  verifyReturn(ctx: ConnectorAccountContext, req: ReturnRequest): ReturnVerification;
  /** Constant-time check of the webhook's signature (and timestamp window where the scheme has one). */
  verifyWebhook?(ctx: ConnectorAccountContext, req: WebhookRequest): boolean;
  /** Reads a webhook that passed verifyWebhook; null when the body cannot be understood. */
  parseWebhook?(ctx: ConnectorAccountContext, req: WebhookRequest): ParsedWebhook | null;
  /**
   * One cheap authenticated call (go-live check, rotation). Resolves when the processor accepts the credentials; throws
   * ConnectorRequestError when it refuses them, ConnectorOutcomeUnknownError when it cannot tell (timeout, 5xx).
   */
  verifyCredentials?(ctx: ConnectorAccountContext): Promise<void>;
}

/**
 * Thrown when the outcome of a call is unknown (timeout, connection reset, 5xx, unparseable body): the caller must not
 * guess — the attempt stays pending and the inquiry worker resolves it.
 */
export class ConnectorOutcomeUnknownError extends Error {
  constructor(
    readonly connector: string,
    readonly reason: string,
  ) {
    super(`${connector}: outcome unknown (${reason})`);
    this.name = 'ConnectorOutcomeUnknownError';
  }
}

/** A definite refusal that is not about the payment itself (bad credentials, unsupported flow). */
export class ConnectorRequestError extends Error {
  constructor(
    readonly connector: string,
    readonly error: ConnectorError,
    readonly httpStatus: number,
  ) {
    super(`${connector}: ${error.code} ${error.message}`);
    this.name = 'ConnectorRequestError';
  }
}
