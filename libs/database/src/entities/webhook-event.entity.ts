import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { JsonObject } from './json.types';

/** Incoming connector webhook, stored raw before anything is applied; deduplicated by (account, connector event id). */
@Entity({ name: 'webhook_events' })
export class WebhookEventEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'bigint' })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'merchant_connector_id', type: 'varchar', length: 64 })
  merchantConnectorId: string;

  @Column({ name: 'connector', type: 'varchar', length: 64 })
  connector: string;

  /** The connector's event id (or resource id + status when it sends none); null for rejected deliveries. */
  @Column({ name: 'event_id', type: 'varchar', length: 255, nullable: true })
  eventId: string | null;

  /** received | processed | unmatched | rejected | ignored | failed */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'reason', type: 'varchar', length: 255, nullable: true })
  reason: string | null;

  @Column({ name: 'headers', type: 'jsonb' })
  headers: JsonObject;

  /** Raw body as received (UTF-8); signatures are verified over these bytes. */
  @Column({ name: 'body', type: 'text' })
  body: string;

  @Column({ name: 'payment_id', type: 'varchar', length: 64, nullable: true })
  paymentId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;
}
