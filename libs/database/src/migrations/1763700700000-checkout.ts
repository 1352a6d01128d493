import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hosted checkout: a business profile's theme (validated JSON), and a payment's shareable link. The link id is the
 * credential of the public link route, so it is unique and looked up by merchant and id.
 */
export class Checkout1763700700000 implements MigrationInterface {
  name = 'Checkout1763700700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE business_profiles ADD COLUMN theme jsonb`);
    await q.query(`ALTER TABLE payment_intents ADD COLUMN payment_link jsonb`);
    await q.query(`
      CREATE UNIQUE INDEX IF NOT EXISTS payment_intents_payment_link_uq
        ON payment_intents (merchant_id, (payment_link->>'payment_link_id'))
        WHERE payment_link IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS payment_intents_payment_link_uq');
    await q.query('ALTER TABLE payment_intents DROP COLUMN IF EXISTS payment_link');
    await q.query('ALTER TABLE business_profiles DROP COLUMN IF EXISTS theme');
  }
}
