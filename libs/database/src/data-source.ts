import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface PoolSettings {
  /** pooled connections (pg's `max`) */
  size: number;
  /** ms a caller waits for a free connection before pg fails it (pg's default, 0, waits forever) */
  waitMs: number;
}

export const DEFAULT_POOL: PoolSettings = { size: 20, waitMs: 10_000 };

/** pg-pool's message when no connection became free within `waitMs`. */
export const POOL_WAIT_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';

/** One definition for the apps (via TypeOrmModule), the migration CLI and the tests. Never `synchronize`. */
export function dataSourceOptions(
  databaseUrl: string,
  extra: Partial<DataSourceOptions> = {},
  pool: PoolSettings = DEFAULT_POOL,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: pool.size, connectionTimeoutMillis: pool.waitMs, application_name: 'switchyard' },
    ...extra,
  } as DataSourceOptions;
}

export function createDataSource(databaseUrl: string): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl));
}
