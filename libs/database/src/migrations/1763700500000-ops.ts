import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operations: credential rotation keeps the previous connector secrets (encrypted) until an overlap window ends, so
 * webhooks signed with them still verify; promotion remembers the test account a live one was copied from; an API key
 * rotated away names its replacement. The attempts index serves the metrics scrape (attempts of the recent window).
 */
export class Ops1763700500000 implements MigrationInterface {
  name = 'Ops1763700500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE connector_accounts
        ADD COLUMN previous_credentials_enc text,
        ADD COLUMN previous_webhook_secret_enc text,
        ADD COLUMN previous_valid_until timestamptz,
        ADD COLUMN promoted_from varchar(64)`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN replaced_by varchar(64)`);
    await q.query(`CREATE INDEX IF NOT EXISTS payment_attempts_created_idx ON payment_attempts (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS payment_attempts_created_idx');
    await q.query('ALTER TABLE api_keys DROP COLUMN IF EXISTS replaced_by');
    await q.query(`
      ALTER TABLE connector_accounts
        DROP COLUMN IF EXISTS promoted_from,
        DROP COLUMN IF EXISTS previous_valid_until,
        DROP COLUMN IF EXISTS previous_webhook_secret_enc,
        DROP COLUMN IF EXISTS previous_credentials_enc`);
  }
}
