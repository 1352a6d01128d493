import type { JsonObject } from './json.types';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'business_profiles' })
@Index(['merchantId', 'profileName'], { unique: true })
export class BusinessProfileEntity {
  @PrimaryColumn({ name: 'profile_id', type: 'varchar', length: 64 })
  profileId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'profile_name', type: 'varchar', length: 64 })
  profileName: string;

  @Column({ name: 'return_url', type: 'varchar', length: 2048, nullable: true })
  returnUrl: string | null;

  @Column({ name: 'enable_payment_response_hash', type: 'boolean', default: true })
  enablePaymentResponseHash: boolean;

  /** AES-256-GCM envelope of the key that signs redirects and outgoing webhooks. */
  @Column({ name: 'payment_response_hash_key_enc', type: 'text' })
  paymentResponseHashKeyEnc: string;

  @Column({ name: 'webhook_url', type: 'varchar', length: 2048, nullable: true })
  webhookUrl: string | null;

  /** Hosted checkout styling (colours, font, radius, button, logo, locale); validated by the API before it is saved. */
  @Column({ name: 'theme', type: 'jsonb', nullable: true })
  theme: JsonObject | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
