import type { ConnectorRefundResult, ParsedWebhook } from '../core/connector.types';
import { connectorError } from '../core/unified-codes';
import { isOrderStatus, orderResult } from './plural.transformers';
import {
  PLURAL_PAYMENT_EVENTS,
  PLURAL_REFUND_EVENTS,
  type PluralOrder,
  type PluralOrderStatus,
  type PluralPaymentEvent,
  type PluralRefundEvent,
  type PluralWebhookBody,
} from './plural.types';

const isPaymentEvent = (value: string): value is PluralPaymentEvent =>
  (PLURAL_PAYMENT_EVENTS as readonly string[]).includes(value);
const isRefundEvent = (value: string): value is PluralRefundEvent =>
  (PLURAL_REFUND_EVENTS as readonly string[]).includes(value);

/**
 * The order status an event stands for. The event type is what Plural promises; PAYMENT_FAILED is one failed try on an order
 * the shopper may still pay (ATTEMPTED), so it never fails the payment unless the order object itself says FAILED.
 */
function statusOfEvent(event: PluralPaymentEvent, order: PluralOrder): PluralOrderStatus {
  switch (event) {
    case 'ORDER_AUTHORIZED':
      return 'AUTHORIZED';
    case 'ORDER_PROCESSED':
      return 'PROCESSED';
    case 'ORDER_CANCELLED':
      return 'CANCELLED';
    case 'ORDER_FAILED':
      return 'FAILED';
    case 'PAYMENT_FAILED':
      return order.status === 'FAILED' || order.status === 'ATTEMPTED' ? order.status : 'ATTEMPTED';
  }
}

function refundResultOf(event: PluralRefundEvent, order: PluralOrder): ConnectorRefundResult {
  const connectorRefundId = typeof order.order_id === 'string' ? order.order_id : null;
  const rawStatus = isOrderStatus(order.status) ? order.status : event;
  switch (event) {
    case 'REFUND_PROCESSED':
      return { status: 'succeeded', connectorRefundId, rawStatus };
    case 'REFUND_FAILED':
      return {
        status: 'failed',
        connectorRefundId,
        rawStatus,
        error: connectorError('REFUND_FAILED', 'Refund failed at Plural', 'processorError'),
      };
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/** A verified delivery as our event; null when the body cannot be read (not JSON, no event type, no order reference). */
export function parsePluralWebhook(eventId: string, rawBody: Buffer): ParsedWebhook | null {
  let body: PluralWebhookBody;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as PluralWebhookBody;
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || typeof body.event_type !== 'string') return null;
  const event = body.event_type;
  if (!isPaymentEvent(event) && !isRefundEvent(event)) {
    return { kind: 'ignored', eventId, reason: `event ${event} is not used by Switchyard` };
  }
  if (typeof body.data !== 'object' || body.data === null) return null;
  const order = body.data as PluralOrder;
  const reference = text(order.merchant_order_reference);
  const orderId = text(order.order_id);
  if (!reference && !orderId) return null;
  if (isRefundEvent(event)) {
    return {
      kind: 'refund',
      eventId,
      refundReference: reference,
      connectorRefundId: orderId,
      result: refundResultOf(event, order),
    };
  }
  return {
    kind: 'payment',
    eventId,
    attemptReference: reference,
    connectorTransactionId: orderId,
    result: orderResult(order, statusOfEvent(event, order), true),
  };
}
