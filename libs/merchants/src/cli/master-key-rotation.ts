import type { DataSource } from 'typeorm';
import type { SecretBox } from '@switchyard/common';

/** Every column that holds a SecretBox envelope, by table (a new encrypted column must be added here). */
export const SECRET_COLUMNS: ReadonlyArray<{ table: string; key: string; columns: readonly string[] }> = [
  {
    table: 'connector_accounts',
    key: 'merchant_connector_id',
    columns: ['credentials_enc', 'webhook_secret_enc', 'previous_credentials_enc', 'previous_webhook_secret_enc'],
  },
  { table: 'business_profiles', key: 'profile_id', columns: ['payment_response_hash_key_enc'] },
];

export interface TableSummary {
  table: string;
  rows: number;
  reencrypted: number;
  current: number;
  /** Changed by the application between our read and our write: left as the application wrote it. */
  raced: number;
  /** Sealed with a key that is neither MASTER_KEY nor MASTER_KEY_PREVIOUS: needs the right previous key. */
  unreadable: string[];
}

export interface RotationOptions {
  batchSize: number;
  dryRun: boolean;
  log: (line: string) => void;
}

/**
 * Re-encrypts every stored secret with the SecretBox's current key, table by table in primary-key order, one
 * transaction per batch. Idempotent: envelopes already under the current key are skipped, so a re-run after a crash
 * continues where it stopped. Each write is conditional on the old envelope, so a secret the application rewrote in
 * the meantime (a credential rotation) is never overwritten with stale data.
 */
export async function reencryptSecrets(
  dataSource: DataSource,
  box: SecretBox,
  options: RotationOptions,
): Promise<TableSummary[]> {
  const summaries: TableSummary[] = [];
  for (const spec of SECRET_COLUMNS) {
    const summary: TableSummary = { table: spec.table, rows: 0, reencrypted: 0, current: 0, raced: 0, unreadable: [] };
    let after = '';
    for (;;) {
      const rows = (await dataSource.query(
        `SELECT ${spec.key} AS id, ${spec.columns.join(', ')} FROM ${spec.table}
          WHERE ${spec.key} > $1 ORDER BY ${spec.key} LIMIT $2`,
        [after, options.batchSize],
      )) as Array<Record<string, string | null>>;
      if (rows.length === 0) break;
      await dataSource.transaction(async (em) => {
        for (const row of rows) {
          for (const column of spec.columns) {
            const sealed = row[column];
            if (!sealed) continue;
            if (!box.needsRotation(sealed)) {
              summary.current += 1;
              continue;
            }
            let resealed: string;
            try {
              resealed = box.encrypt(box.decrypt(sealed));
            } catch {
              summary.unreadable.push(`${row.id}.${column}`);
              continue;
            }
            if (options.dryRun) {
              summary.reencrypted += 1;
              continue;
            }
            const result = (await em.query(
              `UPDATE ${spec.table} SET ${column} = $1 WHERE ${spec.key} = $2 AND ${column} = $3`,
              [resealed, row.id, sealed],
            )) as [unknown, number];
            if (result[1] === 1) summary.reencrypted += 1;
            else summary.raced += 1;
          }
        }
      });
      summary.rows += rows.length;
      after = String(rows[rows.length - 1].id);
      options.log(
        `${spec.table}: ${summary.rows} rows scanned, ${summary.reencrypted} secrets ${options.dryRun ? 'to re-encrypt' : 're-encrypted'}, ` +
          `${summary.current} already current`,
      );
    }
    summaries.push(summary);
  }
  return summaries;
}
