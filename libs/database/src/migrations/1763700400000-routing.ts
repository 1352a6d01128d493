import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing: versioned algorithm configs per business profile (immutable rows), and per profile and mode the active
 * config, the default fallback list and the cascading-retry budget. Circuit breakers and success-rate windows live in
 * Redis (shared by every replica, short-lived by nature), not here.
 */
export class Routing1763700400000 implements MigrationInterface {
  name = 'Routing1763700400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routing_configs (
        algorithm_id varchar(64) PRIMARY KEY,
        merchant_id varchar(64) NOT NULL REFERENCES merchants(merchant_id),
        profile_id varchar(64) NOT NULL,
        mode varchar(8) NOT NULL CHECK (mode IN ('test', 'live')),
        version int NOT NULL,
        name varchar(64) NOT NULL,
        description varchar(256),
        kind varchar(32) NOT NULL,
        algorithm jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT routing_configs_version_uq UNIQUE (merchant_id, profile_id, version)
      )`);
    await q.query(`
      CREATE TABLE routing_profile_settings (
        merchant_id varchar(64) NOT NULL REFERENCES merchants(merchant_id),
        profile_id varchar(64) NOT NULL,
        mode varchar(8) NOT NULL CHECK (mode IN ('test', 'live')),
        active_algorithm_id varchar(64) REFERENCES routing_configs(algorithm_id),
        activated_at timestamptz,
        default_fallback jsonb,
        max_cascade_retries int NOT NULL DEFAULT 1 CHECK (max_cascade_retries BETWEEN 0 AND 5),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (merchant_id, profile_id, mode)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS routing_profile_settings');
    await q.query('DROP TABLE IF EXISTS routing_configs');
  }
}
