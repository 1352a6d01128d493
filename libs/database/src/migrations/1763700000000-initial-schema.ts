import { MigrationInterface, QueryRunner } from 'typeorm';

/** The spine: merchants, profiles, keys, connector accounts, payments, attempts, refunds, events, idempotency. */
export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchants (
        merchant_id varchar(64) PRIMARY KEY,
        merchant_name varchar(255),
        return_url varchar(2048),
        publishable_key varchar(64) NOT NULL UNIQUE,
        default_profile_id varchar(64),
        metadata jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE business_profiles (
        profile_id varchar(64) PRIMARY KEY,
        merchant_id varchar(64) NOT NULL REFERENCES merchants(merchant_id),
        profile_name varchar(64) NOT NULL,
        return_url varchar(2048),
        enable_payment_response_hash boolean NOT NULL DEFAULT true,
        payment_response_hash_key_enc text NOT NULL,
        webhook_url varchar(2048),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (merchant_id, profile_name)
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        key_id varchar(64) PRIMARY KEY,
        merchant_id varchar(64) NOT NULL REFERENCES merchants(merchant_id),
        name varchar(64) NOT NULL,
        description varchar(256),
        mode varchar(8) NOT NULL CHECK (mode IN ('test','live')),
        prefix varchar(16) NOT NULL,
        key_hash varchar(64) NOT NULL UNIQUE,
        expires_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX api_keys_merchant_idx ON api_keys (merchant_id)`);
    await q.query(`
      CREATE TABLE connector_accounts (
        merchant_connector_id varchar(64) PRIMARY KEY,
        merchant_id varchar(64) NOT NULL REFERENCES merchants(merchant_id),
        profile_id varchar(64) NOT NULL REFERENCES business_profiles(profile_id),
        connector_name varchar(64) NOT NULL,
        connector_label varchar(128) NOT NULL,
        connector_type varchar(64) NOT NULL,
        mode varchar(8) NOT NULL CHECK (mode IN ('test','live')),
        credentials_enc text NOT NULL,
        webhook_secret_enc text,
        payment_methods_enabled jsonb,
        metadata jsonb,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (merchant_id, profile_id, connector_label)
      )`);
    await q.query(`
      CREATE TABLE payment_intents (
        payment_id varchar(64) PRIMARY KEY,
        merchant_id varchar(64) NOT NULL REFERENCES merchants(merchant_id),
        profile_id varchar(64) NOT NULL,
        mode varchar(8) NOT NULL CHECK (mode IN ('test','live')),
        status varchar(40) NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        amount_capturable bigint NOT NULL,
        amount_received bigint,
        capture_method varchar(32) NOT NULL,
        client_secret varchar(128) NOT NULL,
        client_secret_expires_at timestamptz NOT NULL,
        return_url varchar(2048),
        description text,
        customer_id varchar(64),
        metadata jsonb,
        merchant_order_reference_id varchar(255),
        payment_method varchar(32),
        payment_method_type varchar(32),
        authentication_type varchar(16),
        routing_hints jsonb,
        active_attempt_id varchar(80),
        attempt_count int NOT NULL DEFAULT 0,
        cancellation_reason varchar(255),
        expires_at timestamptz NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX payment_intents_merchant_created_idx ON payment_intents (merchant_id, mode, created_at DESC)`,
    );
    await q.query(`
      CREATE UNIQUE INDEX payment_intents_order_ref_uq ON payment_intents (merchant_id, merchant_order_reference_id)
      WHERE merchant_order_reference_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE payment_attempts (
        attempt_id varchar(80) PRIMARY KEY,
        payment_id varchar(64) NOT NULL REFERENCES payment_intents(payment_id),
        merchant_id varchar(64) NOT NULL,
        status varchar(40) NOT NULL,
        amount bigint NOT NULL,
        currency char(3) NOT NULL,
        amount_capturable bigint NOT NULL DEFAULT 0,
        amount_received bigint NOT NULL DEFAULT 0,
        connector varchar(64) NOT NULL,
        merchant_connector_id varchar(64) NOT NULL REFERENCES connector_accounts(merchant_connector_id),
        connector_transaction_id varchar(128),
        capture_method varchar(32) NOT NULL,
        payment_method varchar(32),
        authentication_type varchar(16),
        redirect_url varchar(2048),
        error_code varchar(64),
        error_message text,
        unified_code varchar(32),
        unified_message text,
        routing_decision jsonb,
        connector_metadata jsonb,
        cancellation_reason varchar(255),
        sync_count int NOT NULL DEFAULT 0,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        modified_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payment_attempts_payment_idx ON payment_attempts (payment_id)`);
    await q.query(
      `CREATE INDEX payment_attempts_connector_txn_idx ON payment_attempts (merchant_connector_id, connector_transaction_id)`,
    );
    await q.query(`
      CREATE TABLE refunds (
        refund_id varchar(64) PRIMARY KEY,
        merchant_id varchar(64) NOT NULL,
        payment_id varchar(64) NOT NULL REFERENCES payment_intents(payment_id),
        attempt_id varchar(80) NOT NULL REFERENCES payment_attempts(attempt_id),
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        status varchar(16) NOT NULL,
        reason varchar(255),
        connector varchar(64) NOT NULL,
        merchant_connector_id varchar(64) NOT NULL,
        connector_refund_id varchar(128),
        error_code varchar(64),
        error_message text,
        unified_code varchar(32),
        unified_message text,
        metadata jsonb,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refunds_merchant_payment_idx ON refunds (merchant_id, payment_id)`);
    await q.query(`
      CREATE TABLE payment_events (
        id bigserial PRIMARY KEY,
        merchant_id varchar(64) NOT NULL,
        payment_id varchar(64) NOT NULL,
        attempt_id varchar(80),
        refund_id varchar(64),
        event_type varchar(64) NOT NULL,
        from_status varchar(40),
        to_status varchar(40),
        source varchar(16) NOT NULL,
        details jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payment_events_payment_idx ON payment_events (merchant_id, payment_id, id)`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        merchant_id varchar(64) NOT NULL,
        idempotency_key varchar(255) NOT NULL,
        request_hash varchar(64) NOT NULL,
        state varchar(16) NOT NULL,
        response_status int,
        response_body jsonb,
        locked_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (merchant_id, idempotency_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'payment_events',
      'refunds',
      'payment_attempts',
      'payment_intents',
      'connector_accounts',
      'api_keys',
      'business_profiles',
      'merchants',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
