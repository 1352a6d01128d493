import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One row per (merchant, Idempotency-Key): the request fingerprint and, once done, the stored response. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey: string;

  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash: string;

  /** in_flight | completed */
  @Column({ name: 'state', type: 'varchar', length: 16 })
  state: string;

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody: unknown;

  @Column({ name: 'locked_until', type: 'timestamptz' })
  lockedUntil: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
