import { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookEvents1763700100000 implements MigrationInterface {
  name = 'WebhookEvents1763700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_events (
        id bigserial PRIMARY KEY,
        merchant_id varchar(64) NOT NULL,
        merchant_connector_id varchar(64) NOT NULL,
        connector varchar(64) NOT NULL,
        event_id varchar(255),
        status varchar(16) NOT NULL,
        reason varchar(255),
        headers jsonb NOT NULL,
        body text NOT NULL,
        payment_id varchar(64),
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`);
    await q.query(`
      CREATE UNIQUE INDEX webhook_events_dedup_uq ON webhook_events (merchant_connector_id, event_id)
      WHERE event_id IS NOT NULL AND status <> 'rejected'`);
    await q.query(`CREATE INDEX webhook_events_merchant_idx ON webhook_events (merchant_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS webhook_events');
  }
}
