import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One HTTP attempt to deliver an outgoing event: the delivery log ops read and re-deliver from. */
@Entity({ name: 'webhook_deliveries' })
@Index(['merchantId', 'eventId'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'bigint' })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Column({ name: 'attempt_no', type: 'int' })
  attemptNo: number;

  /** automatic | manual */
  @Column({ name: 'trigger', type: 'varchar', length: 16 })
  trigger: string;

  @Column({ name: 'url', type: 'varchar', length: 2048 })
  url: string;

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus: number | null;

  /** First 1 KB of the merchant's answer. */
  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;

  @Column({ name: 'error', type: 'varchar', length: 255, nullable: true })
  error: string | null;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs: number;

  @Column({ name: 'success', type: 'boolean' })
  success: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
