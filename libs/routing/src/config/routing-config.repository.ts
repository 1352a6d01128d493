import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConfigCache } from '@switchyard/common';
import { KeyMode, RoutingConfigEntity, RoutingProfileSettingsEntity } from '@switchyard/database';

const VERSION_RACES = 3;

/** The only place routing touches TypeORM. Every read of merchant data is scoped by merchantId in its signature. */
@Injectable()
export class RoutingConfigRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ConfigCache,
  ) {}

  /** Inserts a new version (max + 1 for the profile); two concurrent saves race on the unique index and one retries. */
  async insertVersion(config: Omit<RoutingConfigEntity, 'version' | 'createdAt'>): Promise<RoutingConfigEntity> {
    for (let round = 0; ; round++) {
      const row = await this.dataSource.manager
        .createQueryBuilder(RoutingConfigEntity, 'c')
        .select('COALESCE(MAX(c.version), 0)', 'max')
        .where('c.merchant_id = :m AND c.profile_id = :p', { m: config.merchantId, p: config.profileId })
        .getRawOne<{ max: number | string }>();
      const entity = Object.assign(new RoutingConfigEntity(), config, { version: Number(row?.max ?? 0) + 1 });
      try {
        await this.dataSource.manager.insert(RoutingConfigEntity, entity);
        return (await this.findConfig(config.merchantId, config.algorithmId)) ?? entity;
      } catch (error: unknown) {
        const pg = error as { code?: string; constraint?: string };
        if (pg.code !== '23505' || pg.constraint !== 'routing_configs_version_uq' || round >= VERSION_RACES)
          throw error;
      }
    }
  }

  findConfig(merchantId: string, algorithmId: string): Promise<RoutingConfigEntity | null> {
    return this.dataSource.manager.findOneBy(RoutingConfigEntity, { merchantId, algorithmId });
  }

  listConfigs(merchantId: string, filter: { profileId?: string; mode?: KeyMode }): Promise<RoutingConfigEntity[]> {
    return this.dataSource.manager.find(RoutingConfigEntity, {
      where: {
        merchantId,
        ...(filter.profileId ? { profileId: filter.profileId } : {}),
        ...(filter.mode ? { mode: filter.mode } : {}),
      },
      order: { createdAt: 'DESC', version: 'DESC' },
      take: 200,
    });
  }

  settings(merchantId: string, profileId: string, mode: KeyMode): Promise<RoutingProfileSettingsEntity | null> {
    return this.dataSource.manager.findOneBy(RoutingProfileSettingsEntity, { merchantId, profileId, mode });
  }

  settingsOfProfile(merchantId: string, profileId: string): Promise<RoutingProfileSettingsEntity[]> {
    return this.dataSource.manager.find(RoutingProfileSettingsEntity, { where: { merchantId, profileId } });
  }

  /** Creates the row on first use; `patch` only names the columns to change. */
  async upsertSettings(
    merchantId: string,
    profileId: string,
    mode: KeyMode,
    patch: Partial<
      Pick<RoutingProfileSettingsEntity, 'activeAlgorithmId' | 'activatedAt' | 'defaultFallback' | 'maxCascadeRetries'>
    >,
  ): Promise<RoutingProfileSettingsEntity> {
    await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(RoutingProfileSettingsEntity)
      .values({ merchantId, profileId, mode, ...patch })
      .orUpdate([...Object.keys(patch).map(column), 'updated_at'], ['merchant_id', 'profile_id', 'mode'])
      .execute();
    await this.cache.invalidate(merchantId);
    const saved = await this.settings(merchantId, profileId, mode);
    if (!saved) throw new Error('routing settings vanished after upsert');
    return saved;
  }

  /**
   * What a payment needs: the profile's settings for its mode and the active config (two primary-key reads), through
   * the configuration cache (`upsertSettings` invalidates it; config versions never change). Shared: do not mutate.
   */
  forPayment(
    merchantId: string,
    profileId: string,
    mode: KeyMode,
  ): Promise<{ settings: RoutingProfileSettingsEntity | null; config: RoutingConfigEntity | null }> {
    return this.cache.get(merchantId, `routing|${profileId}|${mode}`, () =>
      this.readForPayment(merchantId, profileId, mode),
    );
  }

  private async readForPayment(
    merchantId: string,
    profileId: string,
    mode: KeyMode,
  ): Promise<{ settings: RoutingProfileSettingsEntity | null; config: RoutingConfigEntity | null }> {
    const settings = await this.dataSource.manager
      .createQueryBuilder(RoutingProfileSettingsEntity, 's')
      .where('s.merchant_id = :merchantId AND s.profile_id = :profileId AND s.mode = :mode', {
        merchantId,
        profileId,
        mode,
      })
      .getOne();
    const config = settings?.activeAlgorithmId ? await this.findConfig(merchantId, settings.activeAlgorithmId) : null;
    return { settings, config };
  }
}

const COLUMNS: Record<string, string> = {
  activeAlgorithmId: 'active_algorithm_id',
  activatedAt: 'activated_at',
  defaultFallback: 'default_fallback',
  maxCascadeRetries: 'max_cascade_retries',
};

function column(property: string): string {
  return COLUMNS[property] ?? property;
}
