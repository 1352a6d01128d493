import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { JsonObject } from './json.types';

/** One reconciliation of a merchant's connector account for one UTC day. */
@Entity({ name: 'recon_runs' })
@Index(['merchantId', 'createdAt'])
export class ReconRunEntity {
  @PrimaryColumn({ name: 'run_id', type: 'varchar', length: 64 })
  runId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'merchant_connector_id', type: 'varchar', length: 64 })
  merchantConnectorId: string;

  /** YYYY-MM-DD (UTC) */
  @Column({ name: 'day', type: 'date' })
  day: string;

  /** queued | running | completed | failed */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: string;

  /** scheduled | manual */
  @Column({ name: 'trigger', type: 'varchar', length: 16 })
  trigger: string;

  /** Settlement report rows supplied with the run (connector_transaction_id, amount, currency, status). */
  @Column({ name: 'settlement_csv', type: 'text', nullable: true })
  settlementCsv: string | null;

  @Column({ name: 'summary', type: 'jsonb', nullable: true })
  summary: JsonObject | null;

  @Column({ name: 'error', type: 'varchar', length: 255, nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}

export type ReconKind =
  'matched' | 'status_mismatch' | 'amount_mismatch' | 'missing_at_connector' | 'missing_locally' | 'unchecked';

@Entity({ name: 'recon_items' })
@Index(['runId'])
export class ReconItemEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'bigint' })
  id: string;

  @Column({ name: 'run_id', type: 'varchar', length: 64 })
  runId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'kind', type: 'varchar', length: 32 })
  kind: ReconKind;

  /** payment | refund */
  @Column({ name: 'object', type: 'varchar', length: 16 })
  object: string;

  @Column({ name: 'payment_id', type: 'varchar', length: 64, nullable: true })
  paymentId: string | null;

  @Column({ name: 'refund_id', type: 'varchar', length: 64, nullable: true })
  refundId: string | null;

  @Column({ name: 'connector_reference', type: 'varchar', length: 128, nullable: true })
  connectorReference: string | null;

  @Column({ name: 'local_status', type: 'varchar', length: 40, nullable: true })
  localStatus: string | null;

  @Column({ name: 'connector_status', type: 'varchar', length: 40, nullable: true })
  connectorStatus: string | null;

  @Column({ name: 'local_amount', type: 'bigint', nullable: true })
  localAmount: string | null;

  @Column({ name: 'connector_amount', type: 'bigint', nullable: true })
  connectorAmount: string | null;

  @Column({ name: 'currency', type: 'char', length: 3, nullable: true })
  currency: string | null;

  @Column({ name: 'note', type: 'varchar', length: 255, nullable: true })
  note: string | null;
}
