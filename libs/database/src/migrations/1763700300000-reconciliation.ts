import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reconciliation1763700300000 implements MigrationInterface {
  name = 'Reconciliation1763700300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recon_runs (
        run_id varchar(64) PRIMARY KEY,
        merchant_id varchar(64) NOT NULL,
        merchant_connector_id varchar(64) NOT NULL,
        day date NOT NULL,
        status varchar(16) NOT NULL,
        trigger varchar(16) NOT NULL,
        settlement_csv text,
        summary jsonb,
        error varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX recon_runs_merchant_idx ON recon_runs (merchant_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE recon_items (
        id bigserial PRIMARY KEY,
        run_id varchar(64) NOT NULL REFERENCES recon_runs(run_id),
        merchant_id varchar(64) NOT NULL,
        kind varchar(32) NOT NULL,
        object varchar(16) NOT NULL,
        payment_id varchar(64),
        refund_id varchar(64),
        connector_reference varchar(128),
        local_status varchar(40),
        connector_status varchar(40),
        local_amount bigint,
        connector_amount bigint,
        currency char(3),
        note varchar(255)
      )`);
    await q.query(`CREATE INDEX recon_items_run_idx ON recon_items (run_id)`);
    await q.query(`CREATE INDEX payment_attempts_recon_idx ON payment_attempts (merchant_connector_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS payment_attempts_recon_idx');
    await q.query('DROP TABLE IF EXISTS recon_items');
    await q.query('DROP TABLE IF EXISTS recon_runs');
  }
}
