import type { JsonObject } from './json.types';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

const bigintNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

@Entity({ name: 'refunds' })
@Index(['merchantId', 'paymentId'])
export class RefundEntity {
  @PrimaryColumn({ name: 'refund_id', type: 'varchar', length: 64 })
  refundId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'payment_id', type: 'varchar', length: 64 })
  paymentId: string;

  @Column({ name: 'attempt_id', type: 'varchar', length: 80 })
  attemptId: string;

  @Column({ name: 'amount', type: 'bigint', transformer: bigintNumber })
  amount: number;

  @Column({ name: 'currency', type: 'char', length: 3 })
  currency: string;

  /** pending | succeeded | failed | review */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'reason', type: 'varchar', length: 255, nullable: true })
  reason: string | null;

  @Column({ name: 'connector', type: 'varchar', length: 64 })
  connector: string;

  @Column({ name: 'merchant_connector_id', type: 'varchar', length: 64 })
  merchantConnectorId: string;

  @Column({ name: 'connector_refund_id', type: 'varchar', length: 128, nullable: true })
  connectorRefundId: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'unified_code', type: 'varchar', length: 32, nullable: true })
  unifiedCode: string | null;

  @Column({ name: 'unified_message', type: 'text', nullable: true })
  unifiedMessage: string | null;

  @Column({ name: 'metadata', type: 'jsonb', nullable: true })
  metadata: JsonObject | null;

  @VersionColumn({ name: 'version' })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
