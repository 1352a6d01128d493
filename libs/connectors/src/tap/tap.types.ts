/** Wire shapes of Tap Payments' v2 API (shared/connectors/tap.md). Amounts on the wire are JSON numbers in major units. */

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

export const TAP_REFUND_STATUSES = [
  'PENDING',
  'IN_PROGRESS',
  'REFUNDED',
  'CANCELLED',
  'FAILED',
  'DECLINED',
  'RESTRICTED',
  'TIMEDOUT',
  'UNKNOWN',
] as const;
export type TapRefundStatus = (typeof TAP_REFUND_STATUSES)[number];

export interface TapReference {
  track?: string | null;
  payment?: string | null;
  gateway?: string | null;
  acquirer?: string | null;
  transaction?: string | null;
  order?: string | null;
  idempotent?: string | null;
  merchant?: string | null;
}

export interface TapResponseCode {
  code?: string | null;
  message?: string | null;
}

/** A charge (`chg_…`) or an authorization (`auth_…`) as Tap answers or posts it. */
export interface TapCharge {
  id: string;
  object?: string;
  live_mode?: boolean;
  status: string;
  amount: number | string;
  currency: string;
  reference?: TapReference | null;
  response?: TapResponseCode | null;
  transaction?: { url?: string | null; created?: string | number | null } | null;
  source?: { id?: string | null; object?: string | null } | null;
}

export interface TapRefund {
  id: string;
  object?: string;
  charge_id?: string | null;
  status: string;
  amount: number | string;
  currency: string;
  created?: string | number | null;
  reference?: TapReference | null;
  response?: TapResponseCode | null;
}

export interface TapErrorBody {
  errors?: { code?: string | number; description?: string; error?: string }[];
}

/** Body of `POST /v2/charges` and `POST /v2/authorize` (the latter adds `auto`). */
export interface TapChargeRequest {
  amount: number;
  currency: string;
  threeDSecure: boolean;
  save_card: boolean;
  customer_initiated: boolean;
  description?: string;
  metadata?: Record<string, string>;
  reference: { transaction: string; order: string; idempotent: string };
  source: { id: string };
  post?: { url: string };
  redirect: { url: string };
  auto?: { type: 'VOID'; time: number };
}

export interface TapRefundRequest {
  charge_id: string;
  amount: number;
  currency: string;
  reason: string;
  reference: { merchant: string };
  metadata: Record<string, string>;
  post?: { url: string };
}

export interface TapAccount {
  secretKey: string;
  baseUrl: string;
}
