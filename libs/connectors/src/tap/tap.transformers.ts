import { currencyExponent, majorToMinor, minorToMajorString } from '@switchyard/common';
import type {
  AttemptStatus,
  ConnectorError,
  ConnectorPaymentResult,
  ConnectorRefundResult,
  RefundStatus,
} from '../core/connector.types';
import { connectorError, UNIFIED } from '../core/unified-codes';
import {
  TAP_CHARGE_STATUSES,
  TAP_REFUND_STATUSES,
  type TapCharge,
  type TapChargeStatus,
  type TapErrorBody,
  type TapRefund,
  type TapRefundStatus,
  type TapResponseCode,
} from './tap.types';

const stripZeros = (decimal: string): string => (decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal);

/**
 * Minor units → the JSON number Tap wants (major units): built from the exact decimal string with the currency's ISO
 * exponent (1005 KWD → "1.005" → 1.005). Null when the number would not print back as that exact decimal.
 */
export function toTapAmount(minor: number, currency: string): number | null {
  if (!Number.isSafeInteger(minor) || minor <= 0) return null;
  const exact = minorToMajorString(minor, currencyExponent(currency));
  const value = Number(exact);
  return String(value) === stripZeros(exact) ? value : null;
}

/** The amount as Tap prints it in the hashstring: always the currency's decimals (1.5 KWD → "1.500", 2 AED → "2.00"). */
export function tapAmountText(minor: number, currency: string): string {
  return minorToMajorString(minor, currencyExponent(currency));
}

/** A Tap amount (JSON number, or its exact source text) → minor units; null when not exact in that currency. */
export function fromTapAmount(amount: unknown, currency: string): number | null {
  if (typeof amount !== 'number' && typeof amount !== 'string') return null;
  try {
    return majorToMinor(amount, currencyExponent(currency));
  } catch {
    return null;
  }
}

export function isChargeStatus(value: unknown): value is TapChargeStatus {
  return typeof value === 'string' && (TAP_CHARGE_STATUSES as readonly string[]).includes(value);
}

export function isRefundStatus(value: unknown): value is TapRefundStatus {
  return typeof value === 'string' && (TAP_REFUND_STATUSES as readonly string[]).includes(value);
}

/** Exhaustive: a new Tap status fails to compile until it is mapped. UNKNOWN is never guessed: it stays pending. */
export function mapChargeStatus(status: TapChargeStatus): AttemptStatus {
  switch (status) {
    case 'INITIATED':
      return 'authentication_pending';
    case 'IN_PROGRESS':
    case 'UNKNOWN':
      return 'pending';
    case 'ABANDONED':
    case 'CANCELLED':
    case 'FAILED':
    case 'DECLINED':
    case 'RESTRICTED':
    case 'TIMEDOUT':
      return 'failure';
    case 'CAPTURED':
      return 'charged';
    case 'AUTHORIZED':
      return 'authorized';
    case 'VOID':
      return 'voided';
  }
}

/** Status of the charge a capture created (`source.id = auth_…`): it never re-opens the authorization. */
export function mapCaptureStatus(status: TapChargeStatus, captured: number | null, authorized: number): AttemptStatus {
  switch (status) {
    case 'CAPTURED':
      return captured !== null && captured < authorized ? 'partial_charged' : 'charged';
    case 'INITIATED':
    case 'IN_PROGRESS':
    case 'UNKNOWN':
      return 'capture_initiated';
    case 'ABANDONED':
    case 'CANCELLED':
    case 'FAILED':
    case 'DECLINED':
    case 'RESTRICTED':
    case 'TIMEDOUT':
    case 'AUTHORIZED':
    case 'VOID':
      return 'capture_failed';
  }
}

function responseError(status: string, response: TapResponseCode | null | undefined, unified: keyof typeof UNIFIED) {
  return connectorError(response?.code || status, response?.message || status, unified);
}

/** The unified error of a final unsuccessful charge status (null for the others). */
export function chargeError(status: TapChargeStatus, response?: TapResponseCode | null): ConnectorError | null {
  switch (status) {
    case 'DECLINED':
    case 'RESTRICTED':
      return responseError(status, response, 'declined');
    case 'FAILED':
    case 'TIMEDOUT':
      return responseError(status, response, 'processorError');
    case 'CANCELLED':
      return responseError(status, response, 'cancelledByShopper');
    case 'ABANDONED':
      return responseError(status, response, 'expired');
    case 'INITIATED':
    case 'IN_PROGRESS':
    case 'UNKNOWN':
    case 'CAPTURED':
    case 'AUTHORIZED':
    case 'VOID':
      return null;
  }
}

export function mapRefundStatus(status: TapRefundStatus): RefundStatus {
  switch (status) {
    case 'PENDING':
    case 'IN_PROGRESS':
    case 'UNKNOWN':
      return 'pending';
    case 'REFUNDED':
      return 'succeeded';
    case 'CANCELLED':
    case 'FAILED':
    case 'DECLINED':
    case 'RESTRICTED':
    case 'TIMEDOUT':
      return 'failed';
  }
}

/** A charge or authorization object → our result: status mapped, amount converted exactly to minor units. */
export function chargeResult(charge: TapCharge & { status: TapChargeStatus }): ConnectorPaymentResult {
  const currency = typeof charge.currency === 'string' ? charge.currency.toUpperCase() : null;
  const status = mapChargeStatus(charge.status);
  return {
    status,
    connectorTransactionId: charge.id,
    redirectUrl: status === 'authentication_pending' ? (charge.transaction?.url ?? null) : null,
    amount: currency ? fromTapAmount(charge.amount, currency) : null,
    currency,
    error: chargeError(charge.status, charge.response),
    rawStatus: charge.status,
  };
}

/**
 * The charge a capture created, judged against the authorized amount: a lower CAPTURED amount is a partial capture (its
 * amount is reported as `amountCaptured` only, so the engine does not read it as an amount mismatch).
 */
export function captureResult(
  charge: TapCharge & { status: TapChargeStatus },
  authorized: number,
): ConnectorPaymentResult {
  const currency = typeof charge.currency === 'string' ? charge.currency.toUpperCase() : null;
  const captured = currency ? fromTapAmount(charge.amount, currency) : null;
  const status = mapCaptureStatus(charge.status, captured, authorized);
  return {
    status,
    connectorTransactionId: charge.id,
    amount: status === 'charged' ? captured : null,
    amountCaptured: status === 'charged' || status === 'partial_charged' ? captured : null,
    currency,
    error: status === 'capture_failed' ? responseError(charge.status, charge.response, 'declined') : null,
    rawStatus: charge.status,
  };
}

export function refundResult(refund: TapRefund & { status: TapRefundStatus }): ConnectorRefundResult {
  const status = mapRefundStatus(refund.status);
  return {
    status,
    connectorRefundId: refund.id,
    rawStatus: refund.status,
    error: status === 'failed' ? responseError(refund.status, refund.response, 'processorError') : null,
  };
}

/** Tap's `{"errors":[{code, description}]}` → one connector error with its unified code. */
export function tapError(body: unknown, httpStatus: number): ConnectorError {
  const first = (body as TapErrorBody | undefined)?.errors?.[0];
  const code = first?.code !== undefined ? String(first.code) : `HTTP_${httpStatus}`;
  const message = first?.description || first?.error || `Tap answered HTTP ${httpStatus}`;
  if (code === '2104' || httpStatus === 401 || httpStatus === 403)
    return connectorError(code, message, 'authentication');
  if (code === '9999') return connectorError(code, message, 'processorError');
  return connectorError(code, message, 'invalidRequest');
}

/** A charge or authorization id as Tap issues them (what `?tap_id=` on the shopper's return should carry). */
export function isTapId(value: unknown): value is string {
  return typeof value === 'string' && /^(chg|auth)_[A-Za-z0-9_-]{4,}$/.test(value);
}
