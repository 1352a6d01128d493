import type { JsonObject } from './json.types';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only audit trail of every transition; the source of outgoing merchant webhooks. */
@Entity({ name: 'payment_events' })
@Index(['merchantId', 'paymentId', 'id'])
export class PaymentEventEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'bigint' })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'payment_id', type: 'varchar', length: 64 })
  paymentId: string;

  @Column({ name: 'attempt_id', type: 'varchar', length: 80, nullable: true })
  attemptId: string | null;

  @Column({ name: 'refund_id', type: 'varchar', length: 64, nullable: true })
  refundId: string | null;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  @Column({ name: 'from_status', type: 'varchar', length: 40, nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 40, nullable: true })
  toStatus: string | null;

  /** api | sync | return | webhook | worker */
  @Column({ name: 'source', type: 'varchar', length: 16 })
  source: string;

  @Column({ name: 'details', type: 'jsonb', nullable: true })
  details: JsonObject | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
