import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Performance (issue 8): the inquiry sweeper looks for non-terminal attempts idle the longest; without an index it
 * scanned the whole payment_attempts table every minute. The partial index holds only non-terminal attempts, so it stays
 * small as the table grows. Its status list must match PaymentsRepository's SYNCABLE for the planner to use it.
 */
export class Perf1763700800000 implements MigrationInterface {
  name = 'Perf1763700800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX IF NOT EXISTS payment_attempts_unsynced_idx ON payment_attempts (modified_at)
        WHERE status IN ('started', 'pending', 'authorizing', 'authentication_pending', 'capture_initiated', 'void_initiated')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS payment_attempts_unsynced_idx');
  }
}
