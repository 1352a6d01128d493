import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Card payments: a payment keeps the card's summary (last four, network, BIN, expiry, holder name) for its responses;
 * the card number and CVC are never stored. The check constraint refuses a summary that carries either.
 */
export class Cards1763700600000 implements MigrationInterface {
  name = 'Cards1763700600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payment_intents ADD COLUMN payment_method_data jsonb`);
    await q.query(`
      ALTER TABLE payment_intents ADD CONSTRAINT payment_intents_no_card_secrets CHECK (
        payment_method_data IS NULL OR NOT (
          payment_method_data->'card' ?| ARRAY['card_number', 'card_cvc', 'number', 'cvc', 'cvv']
        )
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE payment_intents DROP CONSTRAINT IF EXISTS payment_intents_no_card_secrets');
    await q.query('ALTER TABLE payment_intents DROP COLUMN IF EXISTS payment_method_data');
  }
}
