import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { KeyMode } from './api-key.entity';
import type { JsonObject, JsonValue } from './json.types';

/** One version of a profile's routing algorithm. Rows are never changed: a new version is a new row. */
@Entity({ name: 'routing_configs' })
@Index(['merchantId', 'profileId', 'version'], { unique: true })
export class RoutingConfigEntity {
  @PrimaryColumn({ name: 'algorithm_id', type: 'varchar', length: 64 })
  algorithmId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @Column({ name: 'profile_id', type: 'varchar', length: 64 })
  profileId: string;

  /** Only accounts of this mode may be named; payments of this mode use it once active. */
  @Column({ name: 'mode', type: 'varchar', length: 8 })
  mode: KeyMode;

  /** 1, 2, 3… per profile. */
  @Column({ name: 'version', type: 'int' })
  version: number;

  @Column({ name: 'name', type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'description', type: 'varchar', length: 256, nullable: true })
  description: string | null;

  /** single | priority | volume_split | advanced | success_rate */
  @Column({ name: 'kind', type: 'varchar', length: 32 })
  kind: string;

  /** `{type, data}` as validated on save. */
  @Column({ name: 'algorithm', type: 'jsonb' })
  algorithm: JsonObject;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Per profile and mode: which config is active, the default fallback list, and the cascading-retry budget. */
@Entity({ name: 'routing_profile_settings' })
export class RoutingProfileSettingsEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'varchar', length: 64 })
  merchantId: string;

  @PrimaryColumn({ name: 'profile_id', type: 'varchar', length: 64 })
  profileId: string;

  @PrimaryColumn({ name: 'mode', type: 'varchar', length: 8 })
  mode: KeyMode;

  @Column({ name: 'active_algorithm_id', type: 'varchar', length: 64, nullable: true })
  activeAlgorithmId: string | null;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  /** `[{connector, merchant_connector_id}]`; null = every account of the profile in creation order. */
  @Column({ name: 'default_fallback', type: 'jsonb', nullable: true })
  defaultFallback: JsonValue[] | null;

  @Column({ name: 'max_cascade_retries', type: 'int', default: 1 })
  maxCascadeRetries: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
