import type { JsonObject } from './json.types';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

const bigintNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

@Entity({ name: 'payment_attempts' })
@Index(['paymentId'])
@Index(['merchantConnectorId', 'connectorTransactionId'])
export class PaymentAttemptEntity {
  /** `<payment_id>_<n>`; also the reference sent to the connector. */
  @PrimaryColumn({ name: 'attempt_id', type: 'varchar', length: 80 })
  attemptId: string;

  @Column({ name: 'payment_id', type: 'varchar', length: 64 })
  paymentId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'status', type: 'varchar', length: 40 })
  status: string;

  @Column({ name: 'amount', type: 'bigint', transformer: bigintNumber })
  amount: number;

  @Column({ name: 'currency', type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'amount_capturable', type: 'bigint', transformer: bigintNumber })
  amountCapturable: number;

  @Column({ name: 'amount_received', type: 'bigint', transformer: bigintNumber, default: 0 })
  amountReceived: number;

  @Column({ name: 'connector', type: 'varchar', length: 64 })
  connector: string;

  @Column({ name: 'merchant_connector_id', type: 'varchar', length: 64 })
  merchantConnectorId: string;

  @Column({ name: 'connector_transaction_id', type: 'varchar', length: 128, nullable: true })
  connectorTransactionId: string | null;

  @Column({ name: 'capture_method', type: 'varchar', length: 32 })
  captureMethod: string;

  @Column({ name: 'payment_method', type: 'varchar', length: 32, nullable: true })
  paymentMethod: string | null;

  @Column({ name: 'authentication_type', type: 'varchar', length: 16, nullable: true })
  authenticationType: string | null;

  @Column({ name: 'redirect_url', type: 'varchar', length: 2048, nullable: true })
  redirectUrl: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'unified_code', type: 'varchar', length: 32, nullable: true })
  unifiedCode: string | null;

  @Column({ name: 'unified_message', type: 'text', nullable: true })
  unifiedMessage: string | null;

  @Column({ name: 'routing_decision', type: 'jsonb', nullable: true })
  routingDecision: JsonObject | null;

  @Column({ name: 'connector_metadata', type: 'jsonb', nullable: true })
  connectorMetadata: JsonObject | null;

  @Column({ name: 'cancellation_reason', type: 'varchar', length: 255, nullable: true })
  cancellationReason: string | null;

  @Column({ name: 'sync_count', type: 'int', default: 0 })
  syncCount: number;

  @VersionColumn({ name: 'version' })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'modified_at', type: 'timestamptz' })
  modifiedAt: Date;
}
