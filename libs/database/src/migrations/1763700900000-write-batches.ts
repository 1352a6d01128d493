import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Performance (issue 8): `WriteBatch` sends a transaction's writes as one statement (data-modifying CTEs, atomic
 * without BEGIN/COMMIT). A version-checked update that matched no row must undo the whole statement: this function
 * raises SQLSTATE SY409 when a count is zero, which WriteBatch reports as `WriteConflict`.
 */
export class WriteBatches1763700900000 implements MigrationInterface {
  name = 'WriteBatches1763700900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION switchyard_expect_row(matched bigint, what text) RETURNS bigint
      LANGUAGE plpgsql AS $$
      BEGIN
        IF matched = 0 THEN
          RAISE EXCEPTION USING ERRCODE = 'SY409', MESSAGE = what || ': no row matched (changed concurrently)';
        END IF;
        RETURN matched;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS switchyard_expect_row(bigint, text)');
  }
}
