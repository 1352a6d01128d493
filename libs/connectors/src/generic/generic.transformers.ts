import { currencyExponent, majorToMinor, minorToFixedDecimals } from '@switchyard/common';
import type { AttemptStatus, ConnectorError, RefundStatus } from '../core/connector.types';
import { connectorError } from '../core/unified-codes';
import type { GenericEnvelope, GenericPaymentStatus, GenericRefundStatus } from './generic.types';

/** The gateway wants a decimal string with exactly two places whatever the ISO exponent; null when not exact. */
export function toGenericAmount(minor: number, currency: string): string | null {
  return minorToFixedDecimals(minor, currencyExponent(currency), 2);
}

export function fromGenericAmount(amount: string, currency: string): number | null {
  return majorToMinor(amount, currencyExponent(currency));
}

/** Exhaustive: a new gateway status fails to compile until it is mapped. */
export function mapPaymentStatus(status: GenericPaymentStatus, shopperSentToPage: boolean): AttemptStatus {
  switch (status) {
    case 'PENDING':
      return shopperSentToPage ? 'authentication_pending' : 'pending';
    case 'SUCCESS':
      return 'charged';
    case 'FAILED':
      return 'failure';
    case 'CANCELLED':
      return 'voided';
    case 'EXPIRED':
      return 'failure';
  }
}

export function paymentStatusError(status: GenericPaymentStatus): ConnectorError | null {
  switch (status) {
    case 'FAILED':
      return connectorError('FAILED', 'Payment failed at the gateway', 'declined');
    case 'EXPIRED':
      return connectorError('EXPIRED', 'Payment expired before the customer completed it', 'expired');
    case 'CANCELLED':
      return connectorError('CANCELLED', 'Payment cancelled by the customer', 'cancelledByShopper');
    case 'PENDING':
    case 'SUCCESS':
      return null;
  }
}

export function mapRefundStatus(status: GenericRefundStatus): RefundStatus {
  switch (status) {
    case 'PENDING':
      return 'pending';
    case 'SUCCESS':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
  }
}

export function isKnownPaymentStatus(value: unknown): value is GenericPaymentStatus {
  return (
    value === 'PENDING' || value === 'SUCCESS' || value === 'FAILED' || value === 'CANCELLED' || value === 'EXPIRED'
  );
}

export function isKnownRefundStatus(value: unknown): value is GenericRefundStatus {
  return value === 'PENDING' || value === 'SUCCESS' || value === 'FAILED';
}

export function envelopeErrorText(body: unknown): string {
  const envelope = body as Partial<GenericEnvelope<unknown>> | undefined;
  const errors = envelope?.message?.error;
  return Array.isArray(errors) && errors.length ? errors.join('; ') : 'unknown error';
}

/** Data of a success envelope, or null when the body is not one. */
export function envelopeData<T>(body: unknown): T | null {
  const envelope = body as Partial<GenericEnvelope<T>> | undefined;
  if (!envelope || envelope.type !== 'success' || typeof envelope.data !== 'object' || envelope.data === null)
    return null;
  return Array.isArray(envelope.data) ? null : (envelope.data as T);
}
