import type { JsonObject, JsonValue } from './json.types';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { KeyMode } from './api-key.entity';

@Entity({ name: 'connector_accounts' })
@Index(['merchantId', 'profileId', 'connectorLabel'], { unique: true })
export class ConnectorAccountEntity {
  @PrimaryColumn({ name: 'merchant_connector_id', type: 'varchar', length: 64 })
  merchantConnectorId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'profile_id', type: 'varchar', length: 64 })
  profileId: string;

  @Column({ name: 'connector_name', type: 'varchar', length: 64 })
  connectorName: string;

  @Column({ name: 'connector_label', type: 'varchar', length: 128 })
  connectorLabel: string;

  @Column({ name: 'connector_type', type: 'varchar', length: 64 })
  connectorType: string;

  @Column({ name: 'mode', type: 'varchar', length: 8 })
  mode: KeyMode;

  /** AES-256-GCM envelope of the connector_account_details JSON. */
  @Column({ name: 'credentials_enc', type: 'text' })
  credentialsEnc: string;

  /** AES-256-GCM envelope of the webhook secret, when the connector sends webhooks. */
  @Column({ name: 'webhook_secret_enc', type: 'text', nullable: true })
  webhookSecretEnc: string | null;

  @Column({ name: 'payment_methods_enabled', type: 'jsonb', nullable: true })
  paymentMethodsEnabled: JsonValue[] | null;

  @Column({ name: 'metadata', type: 'jsonb', nullable: true })
  metadata: JsonObject | null;

  /** Credentials before the last rotation (AES-256-GCM envelope), accepted for webhooks until previous_valid_until. */
  @Column({ name: 'previous_credentials_enc', type: 'text', nullable: true })
  previousCredentialsEnc: string | null;

  @Column({ name: 'previous_webhook_secret_enc', type: 'text', nullable: true })
  previousWebhookSecretEnc: string | null;

  @Column({ name: 'previous_valid_until', type: 'timestamptz', nullable: true })
  previousValidUntil: Date | null;

  /** The test-mode account this live account was promoted from. */
  @Column({ name: 'promoted_from', type: 'varchar', length: 64, nullable: true })
  promotedFrom: string | null;

  @Column({ name: 'disabled', type: 'boolean', default: false })
  disabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
