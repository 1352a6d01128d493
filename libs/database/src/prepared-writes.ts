import { createHash } from 'node:crypto';
import type { PoolClient, QueryResult } from 'pg';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/** Column changes an update makes besides the patch: counters bumped by one and timestamps set to now(). */
export interface UpdateExtras<T> {
  increment?: (keyof T & string)[];
  now?: (keyof T & string)[];
}

interface Statement {
  name: string;
  text: string;
  columns: ColumnMetadata[];
  returning: ColumnMetadata[];
}

/**
 * The payment hot path's writes as named (server-side prepared) statements, run on the connection of the caller's
 * TypeORM transaction. Why not TypeORM's query builder there: building the SQL for every insert and update (property
 * → column resolution, parameter escaping, RETURNING handling) was a fifth of the API's JavaScript time under load, and
 * its unnamed statements are planned by Postgres on every call. The SQL here is built once per (table, columns) from
 * the same entity metadata, so column names, transformers and JSON encoding stay TypeORM's; reads and every other
 * write still go through TypeORM.
 */
export class PreparedWrites {
  private static readonly statements = new Map<string, Statement>();

  /**
   * INSERT of the row's defined properties (undefined ones get the column default). Like TypeORM's insert, a version
   * column left undefined starts at 1 and the database's values for defaulted create/update-date and generated
   * columns are written back to `row`.
   */
  static async insert<T extends ObjectLiteral>(
    em: EntityManager,
    target: EntityTarget<T>,
    row: Partial<T>,
  ): Promise<void> {
    const metadata = em.connection.getMetadata(target);
    const present = metadata.columns.filter((c) => c.getEntityValue(row) !== undefined || c.isVersion);
    const key = `i:${metadata.tableName}:${present.map((c) => c.databaseName).join(',')}`;
    const statement = this.statement(key, () => {
      // Columns left to the database whose values TypeORM would read back (timestamps, serials).
      const defaulted = metadata.columns.filter(
        (c) => !present.includes(c) && (c.isCreateDate || c.isUpdateDate || c.isGenerated),
      );
      const names = present.map((c) => quote(c.databaseName)).join(', ');
      const values = present.map((_, i) => `$${i + 1}`).join(', ');
      const returning = defaulted.length ? ` RETURNING ${defaulted.map((c) => quote(c.databaseName)).join(', ')}` : '';
      return {
        text: `INSERT INTO ${table(metadata)} (${names}) VALUES (${values})${returning}`,
        columns: present,
        returning: defaulted,
      };
    });
    const driver = em.connection.driver;
    const versionsStarted: ColumnMetadata[] = [];
    const values = statement.columns.map((c) => {
      let value = c.getEntityValue(row) as unknown;
      if (c.isVersion && value === undefined) {
        versionsStarted.push(c);
        value = 1;
      }
      return driver.preparePersistentValue(value, c) as unknown;
    });
    const result = await this.run(em, statement, values);
    for (const c of versionsStarted) c.setEntityValue(row, 1);
    const returned = result.rows[0] as Record<string, unknown> | undefined;
    if (returned) {
      for (const c of statement.returning)
        c.setEntityValue(row, driver.prepareHydratedValue(returned[c.databaseName], c));
    }
  }

  /** UPDATE … SET patch (+ extras) WHERE every `where` property equals its value; returns the number of rows changed. */
  static async update<T extends ObjectLiteral>(
    em: EntityManager,
    target: EntityTarget<T>,
    patch: Partial<T>,
    where: Partial<T>,
    extras: UpdateExtras<T> = {},
  ): Promise<number> {
    const metadata = em.connection.getMetadata(target);
    const patchKeys = Object.keys(patch).filter((k) => patch[k] !== undefined);
    const whereKeys = Object.keys(where);
    const key = `u:${metadata.tableName}:${patchKeys.join(',')}:${(extras.increment ?? []).join(',')}:${(extras.now ?? []).join(',')}:${whereKeys.join(',')}`;
    const statement = this.statement(key, () => {
      const setColumns = patchKeys.map((k) => column(metadata, k));
      const whereColumns = whereKeys.map((k) => column(metadata, k));
      const sets = [
        ...setColumns.map((c, i) => `${quote(c.databaseName)} = $${i + 1}`),
        ...(extras.increment ?? []).map(
          (k) => `${quote(column(metadata, k).databaseName)} = ${quote(column(metadata, k).databaseName)} + 1`,
        ),
        ...(extras.now ?? []).map((k) => `${quote(column(metadata, k).databaseName)} = now()`),
      ];
      const conditions = whereColumns.map((c, i) => `${quote(c.databaseName)} = $${setColumns.length + i + 1}`);
      return {
        text: `UPDATE ${table(metadata)} SET ${sets.join(', ')} WHERE ${conditions.join(' AND ')}`,
        columns: [...setColumns, ...whereColumns],
        returning: [],
      };
    });
    const driver = em.connection.driver;
    const values = [...patchKeys.map((k) => patch[k] as unknown), ...whereKeys.map((k) => where[k] as unknown)].map(
      (value, i) => driver.preparePersistentValue(value, statement.columns[i]) as unknown,
    );
    const result = await this.run(em, statement, values);
    return result.rowCount ?? 0;
  }

  private static statement(key: string, build: () => Omit<Statement, 'name'>): Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      const built = build();
      // The name is derived from the text: pg refuses one name for two texts on a connection.
      statement = { ...built, name: `sy_${createHash('sha1').update(built.text).digest('hex').slice(0, 20)}` };
      this.statements.set(key, statement);
    }
    return statement;
  }

  /** Runs on the transaction's own connection (a pg PoolClient for the postgres driver). */
  private static async run(em: EntityManager, statement: Statement, values: unknown[]): Promise<QueryResult> {
    const runner = em.queryRunner;
    if (!runner || !runner.isTransactionActive) {
      throw new Error('PreparedWrites must run inside a transaction (EntityManager of dataSource.transaction)');
    }
    const client = (await runner.connect()) as PoolClient;
    return client.query({ name: statement.name, text: statement.text, values });
  }
}

function column(metadata: EntityMetadata, property: string): ColumnMetadata {
  const found = metadata.findColumnWithPropertyName(property);
  if (!found) throw new Error(`${metadata.name} has no column for property ${property}`);
  return found;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const table = (metadata: EntityMetadata): string =>
  metadata.schema ? `${quote(metadata.schema)}.${quote(metadata.tableName)}` : quote(metadata.tableName);
