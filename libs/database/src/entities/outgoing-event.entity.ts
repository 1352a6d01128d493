import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonObject } from './json.types';

/**
 * Outbox of merchant-facing events: written in the same transaction as the state change it reports, delivered by the
 * outgoing-webhooks worker. `payload` is the Hyperswitch OutgoingWebhook body minus the send-time `timestamp`.
 */
@Entity({ name: 'outgoing_events' })
@Index(['merchantId', 'createdAt'])
export class OutgoingEventEntity {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'profile_id', type: 'varchar', length: 64 })
  profileId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  @Column({ name: 'payment_id', type: 'varchar', length: 64, nullable: true })
  paymentId: string | null;

  @Column({ name: 'refund_id', type: 'varchar', length: 64, nullable: true })
  refundId: string | null;

  @Column({ name: 'payload', type: 'jsonb' })
  payload: JsonObject;

  /** pending | delivered | failed | no_endpoint */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'attempts', type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
