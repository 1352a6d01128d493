/** Records and statuses of the Tap sandbox (what the store keeps, what the views and routes read). */
import type { TapScript } from './tap.scripts';

export const TAP_CHARGE_STATUSES = [
  'INITIATED',
  'IN_PROGRESS',
  'ABANDONED',
  'CANCELLED',
  'FAILED',
  'DECLINED',
  'RESTRICTED',
  'CAPTURED',
  'AUTHORIZED',
  'VOID',
  'TIMEDOUT',
  'UNKNOWN',
] as const;
export type TapChargeStatus = (typeof TAP_CHARGE_STATUSES)[number];
export type TapRefundStatus =
  'PENDING' | 'IN_PROGRESS' | 'REFUNDED' | 'CANCELLED' | 'FAILED' | 'DECLINED' | 'RESTRICTED' | 'TIMEDOUT' | 'UNKNOWN';
export type TapObjectKind = 'charge' | 'authorize';

/** Statuses Tap posts a webhook for (tap.md: final ones, not INITIATED/ABANDONED; IN_PROGRESS and UNKNOWN are not final). */
const POSTED_CHARGE: ReadonlySet<TapChargeStatus> = new Set<TapChargeStatus>([
  'CANCELLED',
  'FAILED',
  'DECLINED',
  'RESTRICTED',
  'CAPTURED',
  'AUTHORIZED',
  'VOID',
  'TIMEDOUT',
]);
export const isPostedChargeStatus = (status: TapChargeStatus): boolean => POSTED_CHARGE.has(status);
export const isPostedRefundStatus = (status: TapRefundStatus): boolean =>
  !['PENDING', 'IN_PROGRESS', 'UNKNOWN'].includes(status);

/** `response {code, message}` of a charge; the default per status is in tap.views.ts. */
export interface TapResponse {
  code: string;
  message: string;
}

export interface TapCard {
  first_six: string;
  scheme: string;
  brand: string;
  last_four: string;
}

/** A charge (`chg_…`) or an authorization (`auth_…`). */
export interface TapChargeRecord {
  readonly id: string;
  readonly object: TapObjectKind;
  /** The secret key that created it: nobody else can see it, and it signs its webhooks. */
  readonly apiKey: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly decimals: number;
  readonly createdAt: number;
  readonly description: string | null;
  readonly metadata: Record<string, unknown>;
  readonly reference: { transaction: string | null; order: string | null; idempotent: string | null };
  readonly sourceId: string;
  readonly redirectUrl: string | null;
  readonly postUrl: string | null;
  readonly auto: { type: string; time: number } | null;
  readonly script: TapScript;
  /** As requested (Tap's default is true): whether an enrolled card gets a 3-D Secure challenge. */
  readonly threeDSecure: boolean;
  /** Card-token charges: how it settles once 3-D Secure passed or was not needed (expiry and CVC of the card). */
  readonly cardOutcome: { status: TapChargeStatus; response: TapResponse } | null;
  /** Hosted page or 3-D Secure challenge link; null when the charge never waited for the shopper. */
  transactionUrl: string | null;
  status: TapChargeStatus;
  /** pending-then-success: retrieves that still answer IN_PROGRESS; null when not settling. */
  pendingPollsLeft: number | null;
  gatewayReference: string | null;
  paymentReference: string | null;
  card: TapCard | null;
  /** A response other than the status's default one (card outcomes); null = the default. */
  response: TapResponse | null;
  /** On an authorization: the charge that captured it. */
  capturedBy: string | null;
}

export interface TapRefundRecord {
  readonly id: string;
  readonly apiKey: string;
  readonly chargeId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly decimals: number;
  readonly reason: string;
  readonly createdAt: number;
  readonly merchantReference: string | null;
  readonly metadata: Record<string, unknown>;
  readonly postUrl: string | null;
  readonly failsOnSettle: boolean;
  status: TapRefundStatus;
  gatewayReference: string | null;
  paymentReference: string | null;
}

export interface TapDelivery {
  readonly objectId: string;
  readonly objectStatus: string;
  readonly url: string;
  readonly attempt: number;
  readonly httpStatus: number | null;
  readonly error: string | null;
  readonly at: string;
}

export interface TapStats {
  createRequests: number;
  chargesCreated: number;
  authorizationsCreated: number;
  idempotentReplays: number;
  retrieveRequests: number;
  voidRequests: number;
  refundRequests: number;
  refundsCreated: number;
  refundRetrieveRequests: number;
  tokenRequests: number;
  tokensCreated: number;
  unauthorizedRequests: number;
  webhooksSent: number;
  webhooksFailed: number;
}

export type NewTapCharge = Omit<
  TapChargeRecord,
  | 'id'
  | 'createdAt'
  | 'status'
  | 'pendingPollsLeft'
  | 'gatewayReference'
  | 'paymentReference'
  | 'card'
  | 'response'
  | 'capturedBy'
> & { status?: TapChargeStatus; card?: TapCard | null };

export type NewTapRefund = Omit<
  TapRefundRecord,
  'id' | 'createdAt' | 'status' | 'gatewayReference' | 'paymentReference'
>;
