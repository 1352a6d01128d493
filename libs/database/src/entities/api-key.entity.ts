import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type KeyMode = 'test' | 'live';

@Entity({ name: 'api_keys' })
@Index(['merchantId'])
export class ApiKeyEntity {
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 64 })
  keyId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'name', type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'description', type: 'varchar', length: 256, nullable: true })
  description: string | null;

  @Column({ name: 'mode', type: 'varchar', length: 8 })
  mode: KeyMode;

  /** First 12 characters of the plaintext key, to recognise it in lists. */
  @Column({ name: 'prefix', type: 'varchar', length: 16 })
  prefix: string;

  /** HMAC-SHA256 of the plaintext key under API_KEY_HASH_SECRET; the plaintext is never stored. */
  @Index({ unique: true })
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** Set when the key was rotated: the key that replaced it (this one expires at the end of the overlap). */
  @Column({ name: 'replaced_by', type: 'varchar', length: 64, nullable: true })
  replacedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
