import type { JsonObject } from './json.types';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { KeyMode } from './api-key.entity';

@Entity({ name: 'payment_intents' })
@Index(['merchantId', 'createdAt'])
export class PaymentIntentEntity {
  @PrimaryColumn({ name: 'payment_id', type: 'varchar', length: 64 })
  paymentId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'profile_id', type: 'varchar', length: 64 })
  profileId: string;

  @Column({ name: 'mode', type: 'varchar', length: 8 })
  mode: KeyMode;

  @Column({ name: 'status', type: 'varchar', length: 40 })
  status: string;

  @Column({ name: 'amount', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  amount: number;

  @Column({ name: 'currency', type: 'char', length: 3 })
  currency: string;

  @Column({
    name: 'amount_capturable',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  amountCapturable: number;

  @Column({
    name: 'amount_received',
    type: 'bigint',
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  amountReceived: number | null;

  @Column({ name: 'capture_method', type: 'varchar', length: 32 })
  captureMethod: string;

  @Column({ name: 'client_secret', type: 'varchar', length: 128 })
  clientSecret: string;

  @Column({ name: 'client_secret_expires_at', type: 'timestamptz' })
  clientSecretExpiresAt: Date;

  @Column({ name: 'return_url', type: 'varchar', length: 2048, nullable: true })
  returnUrl: string | null;

  @Column({ name: 'description', type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'customer_id', type: 'varchar', length: 64, nullable: true })
  customerId: string | null;

  @Column({ name: 'metadata', type: 'jsonb', nullable: true })
  metadata: JsonObject | null;

  @Column({ name: 'merchant_order_reference_id', type: 'varchar', length: 255, nullable: true })
  merchantOrderReferenceId: string | null;

  @Column({ name: 'payment_method', type: 'varchar', length: 32, nullable: true })
  paymentMethod: string | null;

  @Column({ name: 'payment_method_type', type: 'varchar', length: 32, nullable: true })
  paymentMethodType: string | null;

  @Column({ name: 'authentication_type', type: 'varchar', length: 16, nullable: true })
  authenticationType: string | null;

  /** Summary of the payment method (`{card: {last4, card_network, …}}`); never a card number or CVC. */
  @Column({ name: 'payment_method_data', type: 'jsonb', nullable: true })
  paymentMethodData: object | null;

  /** Merchant's routing hints from the request (`routing` / `connector`). */
  @Column({ name: 'routing_hints', type: 'jsonb', nullable: true })
  routingHints: JsonObject | null;

  @Column({ name: 'active_attempt_id', type: 'varchar', length: 80, nullable: true })
  activeAttemptId: string | null;

  @Column({ name: 'attempt_count', type: 'int', default: 0 })
  attemptCount: number;

  @Column({ name: 'cancellation_reason', type: 'varchar', length: 255, nullable: true })
  cancellationReason: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** The shareable hosted-checkout link `{payment_link_id, link, secure_link, expires_at, config}`, when one was made. */
  @Column({ name: 'payment_link', type: 'jsonb', nullable: true })
  paymentLink: JsonObject | null;

  @VersionColumn({ name: 'version' })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
