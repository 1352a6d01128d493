import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutgoingWebhooks1763700200000 implements MigrationInterface {
  name = 'OutgoingWebhooks1763700200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outgoing_events (
        event_id varchar(64) PRIMARY KEY,
        merchant_id varchar(64) NOT NULL,
        profile_id varchar(64) NOT NULL,
        event_type varchar(64) NOT NULL,
        payment_id varchar(64),
        refund_id varchar(64),
        payload jsonb NOT NULL,
        status varchar(16) NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outgoing_events_merchant_idx ON outgoing_events (merchant_id, created_at DESC)`);
    await q.query(`CREATE INDEX outgoing_events_due_idx ON outgoing_events (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        merchant_id varchar(64) NOT NULL,
        event_id varchar(64) NOT NULL REFERENCES outgoing_events(event_id),
        attempt_no int NOT NULL,
        trigger varchar(16) NOT NULL,
        url varchar(2048) NOT NULL,
        response_status int,
        response_body text,
        error varchar(255),
        duration_ms int NOT NULL,
        success boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (merchant_id, event_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS webhook_deliveries');
    await q.query('DROP TABLE IF EXISTS outgoing_events');
  }
}
