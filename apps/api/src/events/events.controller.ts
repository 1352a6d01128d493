import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { isoTimestamp } from '@switchyard/common';
import type { OutgoingEventEntity, WebhookDeliveryEntity } from '@switchyard/database';
import { OutgoingWebhooksService } from '@switchyard/webhooks';
import { parseBound } from '../accounts/accounts.controller';
import type { AuthContext } from '@switchyard/merchants';
import { Auth, CurrentAuth } from '../common/auth.decorator';

/** Ops view of merchant webhooks (Hyperswitch's /events routes): events, their delivery attempts, and re-delivery. */
@ApiTags('Merchant webhook events')
@ApiSecurity('api-key')
@Controller('events/:merchant_id')
export class EventsController {
  constructor(private readonly webhooks: OutgoingWebhooksService) {}

  @Get()
  @Auth('admin', 'merchant')
  async list(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Query('payment_id') paymentId?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ) {
    const events = await this.webhooks.list(merchantId, {
      paymentId,
      limit: parseBound(limit, 'limit', 1, 100, 20),
      offset: parseBound(offset, 'offset', 0, 1_000_000, 0),
      mode: modeOf(auth),
    });
    return events.map(toEventResponse);
  }

  @Get(':event_id/attempts')
  @Auth('admin', 'merchant')
  async attempts(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('event_id') eventId: string,
  ) {
    return (await this.webhooks.attempts(merchantId, eventId, modeOf(auth))).map(toDeliveryResponse);
  }

  @Post(':event_id/retry')
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async retry(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('event_id') eventId: string,
  ) {
    return toDeliveryResponse(await this.webhooks.redeliver(merchantId, eventId, modeOf(auth)));
  }
}

function toEventResponse(event: OutgoingEventEntity) {
  return {
    event_id: event.eventId,
    merchant_id: event.merchantId,
    profile_id: event.profileId,
    event_type: event.eventType,
    payment_id: event.paymentId,
    refund_id: event.refundId,
    delivery_status: event.status,
    delivery_attempts: event.attempts,
    next_attempt_at: isoTimestamp(event.nextAttemptAt),
    delivered_at: isoTimestamp(event.deliveredAt),
    created: isoTimestamp(event.createdAt),
  };
}

function toDeliveryResponse(delivery: WebhookDeliveryEntity) {
  return {
    event_id: delivery.eventId,
    attempt_no: delivery.attemptNo,
    trigger: delivery.trigger,
    url: delivery.url,
    success: delivery.success,
    response_status: delivery.responseStatus,
    response_body: delivery.responseBody,
    error: delivery.error,
    duration_ms: delivery.durationMs,
    created: isoTimestamp(delivery.createdAt),
  };
}

/** A merchant key sees its own mode only; the admin key sees every mode. */
export function modeOf(auth: AuthContext): 'test' | 'live' | null {
  return auth.kind === 'merchant' ? auth.mode : null;
}
