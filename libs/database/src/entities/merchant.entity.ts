import type { JsonObject } from './json.types';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'merchants' })
export class MerchantEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'merchant_name', type: 'varchar', length: 255, nullable: true })
  merchantName: string | null;

  @Column({ name: 'return_url', type: 'varchar', length: 2048, nullable: true })
  returnUrl: string | null;

  @Column({ name: 'publishable_key', type: 'varchar', length: 64, unique: true })
  publishableKey: string;

  @Column({ name: 'default_profile_id', type: 'varchar', length: 64, nullable: true })
  defaultProfileId: string | null;

  @Column({ name: 'metadata', type: 'jsonb', nullable: true })
  metadata: JsonObject | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
