/** Wire shapes of the generic client-id/secret-id hosted-payment gateway (shared/connectors/generic.md). */
export interface GenericEnvelope<T> {
  message: { code: number; success?: string[]; error?: string[] };
  data: T | [];
  type: 'success' | 'error';
}

export interface GenericTokenData {
  access_token: string;
  expire_time: number;
}

export interface GenericCreateData {
  token: string;
  payment_url: string;
}

export type GenericPaymentStatus = 'PENDING' | 'SUCCESS' | 'FAILED' | 'CANCELLED' | 'EXPIRED';

export interface GenericStatusData {
  token: string;
  trx_id: string | null;
  status: GenericPaymentStatus;
  amount: string;
  currency: string;
  custom: string | null;
}

export type GenericRefundStatus = 'PENDING' | 'SUCCESS' | 'FAILED';

export interface GenericRefundData {
  refund_id: string;
  status: GenericRefundStatus;
}

export interface GenericCredentials {
  clientId: string;
  secretId: string;
  baseUrl: string;
}
