import { ApiKeyEntity } from './api-key.entity';
export * from './json.types';
import { BusinessProfileEntity } from './business-profile.entity';
import { ConnectorAccountEntity } from './connector-account.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { MerchantEntity } from './merchant.entity';
import { PaymentAttemptEntity } from './payment-attempt.entity';
import { PaymentEventEntity } from './payment-event.entity';
import { PaymentIntentEntity } from './payment-intent.entity';
import { RefundEntity } from './refund.entity';
import { WebhookEventEntity } from './webhook-event.entity';
import { OutgoingEventEntity } from './outgoing-event.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { ReconItemEntity, ReconRunEntity } from './recon.entity';
import { RoutingConfigEntity, RoutingProfileSettingsEntity } from './routing.entity';

export * from './api-key.entity';
export * from './business-profile.entity';
export * from './connector-account.entity';
export * from './idempotency-key.entity';
export * from './merchant.entity';
export * from './payment-attempt.entity';
export * from './payment-event.entity';
export * from './payment-intent.entity';
export * from './refund.entity';
export * from './webhook-event.entity';
export * from './outgoing-event.entity';
export * from './webhook-delivery.entity';
export * from './recon.entity';
export * from './routing.entity';

export const ENTITIES = [
  MerchantEntity,
  BusinessProfileEntity,
  ApiKeyEntity,
  ConnectorAccountEntity,
  PaymentIntentEntity,
  PaymentAttemptEntity,
  PaymentEventEntity,
  RefundEntity,
  IdempotencyKeyEntity,
  WebhookEventEntity,
  OutgoingEventEntity,
  WebhookDeliveryEntity,
  ReconRunEntity,
  ReconItemEntity,
  RoutingConfigEntity,
  RoutingProfileSettingsEntity,
];
