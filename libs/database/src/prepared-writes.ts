import { createHash } from 'node:crypto';
import type { PoolClient, QueryResult } from 'pg';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { pgPool } from './data-source';

/** Column changes an update makes besides the patch: counters bumped by one and timestamps set to now(). */
export interface UpdateExtras<T> {
  increment?: (keyof T & string)[];
  now?: (keyof T & string)[];
}

interface Statement {
  /** undefined: sent unnamed (planned per call), once MAX_NAMED_STATEMENTS shapes are named */
  name: string | undefined;
  text: string;
}

/**
 * Named statements live in this process and in every pooled Postgres backend until the connection closes. Shapes come
 * from the columns a request sets, so they are few in practice; this bound keeps an unusual mix of optional fields from
 * growing either without limit: further shapes run unnamed.
 */
export const MAX_NAMED_STATEMENTS = 500;

/** One INSERT or UPDATE, its SQL built from entity metadata with placeholders numbered from `first`. */
interface Write {
  /** identifies the SQL text (table, columns, extras): equal keys, equal text */
  key: string;
  tableName: string;
  values: unknown[];
  /** columns the database fills (create/update dates, generated) whose values are written back to the row */
  returning: ColumnMetadata[];
  sql(first: number): string;
  hydrate(read: (c: ColumnMetadata) => unknown): void;
}

/** A version-checked update inside a `WriteBatch` matched no row: nothing of the batch was written. */
export class WriteConflict extends Error {
  constructor(readonly tableName: string) {
    super(`${tableName}: no row matched (changed concurrently)`);
  }
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
    const write = insertWrite(em.connection, target, row);
    const statement = this.statement(write.key, () => write.sql(1));
    const result = await this.run(em, statement, write.values);
    write.hydrate((c) => (result.rows[0] as Record<string, unknown> | undefined)?.[c.databaseName]);
  }

  /** UPDATE … SET patch (+ extras) WHERE every `where` property equals its value; returns the number of rows changed. */
  static async update<T extends ObjectLiteral>(
    em: EntityManager,
    target: EntityTarget<T>,
    patch: Partial<T>,
    where: Partial<T>,
    extras: UpdateExtras<T> = {},
  ): Promise<number> {
    const write = updateWrite(em.connection, target, patch, where, extras);
    const statement = this.statement(write.key, () => write.sql(1));
    const result = await this.run(em, statement, write.values);
    return result.rowCount ?? 0;
  }

  /** The named statement for `key`, its text built on first use (unnamed beyond MAX_NAMED_STATEMENTS shapes). */
  static statement(key: string, text: () => string): Statement {
    const known = this.statements.get(key);
    if (known) return known;
    const built = text();
    if (this.statements.size >= MAX_NAMED_STATEMENTS) return { name: undefined, text: built };
    // The name is derived from the text: pg refuses one name for two texts on a connection.
    const statement = { text: built, name: `sy_${createHash('sha1').update(built).digest('hex').slice(0, 20)}` };
    this.statements.set(key, statement);
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

/**
 * Writes that commit together, sent as ONE statement: each write a data-modifying CTE of a single named prepared
 * statement, which Postgres runs atomically without BEGIN/COMMIT. A transaction of n writes costs one round trip
 * instead of n + 2, and holds a pooled connection only while Postgres runs it (in a transaction the connection stays
 * held while the process is busy with other requests between statements: under load that made requests queue for
 * connections). For transactions that only write — reads happen before, and version-checked updates
 * (`expectRow`) stand in for the transaction's isolation: if one matches no row, the whole statement fails and
 * `run()` throws `WriteConflict`.
 *
 * Rows are written in the order added; defaulted columns are written back to the row objects after `run()`. Checked
 * updates are meant for one row (a primary key and a version); an insert is one row.
 */
export class WriteBatch {
  private readonly writes: (Write & { expectRow?: boolean })[] = [];

  constructor(private readonly dataSource: DataSource) {}

  insert<T extends ObjectLiteral>(target: EntityTarget<T>, row: Partial<T>): this {
    this.writes.push(insertWrite(this.dataSource, target, row));
    return this;
  }

  /** With `expectRow`, the batch fails (`WriteConflict`, nothing written) when the update matches no row. */
  update<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    patch: Partial<T>,
    where: Partial<T>,
    extras: UpdateExtras<T> = {},
    options: { expectRow?: boolean } = {},
  ): this {
    this.writes.push({ ...updateWrite(this.dataSource, target, patch, where, extras), expectRow: options.expectRow });
    return this;
  }

  async run(): Promise<void> {
    if (this.writes.length === 0) return;
    const key = this.writes.map((w) => `${w.expectRow ? '!' : ''}${w.key}`).join('\n');
    const statement = PreparedWrites.statement(`b:${key}`, () => this.sql());
    let result: QueryResult;
    try {
      result = await pgPool(this.dataSource).query({
        name: statement.name,
        text: statement.text,
        values: this.writes.flatMap((w) => w.values),
      });
    } catch (error: unknown) {
      const failed = error as { code?: string; message?: string };
      if (failed.code === 'SY409') throw new WriteConflict((failed.message ?? '').split(':')[0]);
      throw error;
    }
    const row = result.rows[0] as Record<string, unknown>;
    this.writes.forEach((w, i) => w.hydrate((c) => row[`w${i}_${c.databaseName}`]));
  }

  private sql(): string {
    let next = 1;
    // Every write returns something and the final SELECT reads each in the order added: Postgres runs data-modifying
    // CTEs that nothing reads in an order of its own; read in order, rows (and serial ids) follow the order added.
    const ctes = this.writes.map((w, i) => {
      const text = w.sql(next);
      next += w.values.length;
      return `w${i} AS (${text}${w.returning.length ? '' : ' RETURNING 1'})`;
    });
    const outputs = this.writes.flatMap((w, i) => {
      if (w.expectRow) {
        return [`switchyard_expect_row((SELECT count(*) FROM w${i}), '${w.tableName}') AS w${i}_matched`];
      }
      if (!w.returning.length) return [`(SELECT count(*) FROM w${i}) AS w${i}_rows`];
      return w.returning.map(
        (c) => `(SELECT ${quote(c.databaseName)} FROM w${i}) AS ${quote(`w${i}_${c.databaseName}`)}`,
      );
    });
    return `WITH ${ctes.join(', ')} SELECT ${outputs.join(', ')}`;
  }
}

function insertWrite<T extends ObjectLiteral>(connection: DataSource, target: EntityTarget<T>, row: Partial<T>): Write {
  const metadata = connection.getMetadata(target);
  const present = metadata.columns.filter((c) => c.getEntityValue(row) !== undefined || c.isVersion);
  // Columns left to the database whose values TypeORM would read back (timestamps, serials).
  const returning = metadata.columns.filter(
    (c) => !present.includes(c) && (c.isCreateDate || c.isUpdateDate || c.isGenerated),
  );
  const driver = connection.driver;
  const versionsStarted: ColumnMetadata[] = [];
  const values = present.map((c) => {
    let value = c.getEntityValue(row) as unknown;
    if (c.isVersion && value === undefined) {
      versionsStarted.push(c);
      value = 1;
    }
    return driver.preparePersistentValue(value, c) as unknown;
  });
  return {
    key: `i:${metadata.tableName}:${present.map((c) => c.databaseName).join(',')}`,
    tableName: metadata.tableName,
    values,
    returning,
    sql: (first) => {
      const names = present.map((c) => quote(c.databaseName)).join(', ');
      const placeholders = present.map((_, i) => `$${first + i}`).join(', ');
      const back = returning.length ? ` RETURNING ${returning.map((c) => quote(c.databaseName)).join(', ')}` : '';
      return `INSERT INTO ${table(metadata)} (${names}) VALUES (${placeholders})${back}`;
    },
    hydrate: (read) => {
      for (const c of versionsStarted) c.setEntityValue(row, 1);
      for (const c of returning) {
        const value = read(c);
        if (value !== undefined) c.setEntityValue(row, driver.prepareHydratedValue(value, c));
      }
    },
  };
}

function updateWrite<T extends ObjectLiteral>(
  connection: DataSource,
  target: EntityTarget<T>,
  patch: Partial<T>,
  where: Partial<T>,
  extras: UpdateExtras<T>,
): Write {
  const metadata = connection.getMetadata(target);
  const patchKeys = Object.keys(patch).filter((k) => patch[k] !== undefined);
  const whereKeys = Object.keys(where);
  const setColumns = patchKeys.map((k) => column(metadata, k));
  const whereColumns = whereKeys.map((k) => column(metadata, k));
  const driver = connection.driver;
  const values = [
    ...patchKeys.map((k, i) => driver.preparePersistentValue(patch[k], setColumns[i]) as unknown),
    ...whereKeys.map((k, i) => driver.preparePersistentValue(where[k], whereColumns[i]) as unknown),
  ];
  return {
    key: `u:${metadata.tableName}:${patchKeys.join(',')}:${(extras.increment ?? []).join(',')}:${(extras.now ?? []).join(',')}:${whereKeys.join(',')}`,
    tableName: metadata.tableName,
    values,
    returning: [],
    sql: (first) => {
      const sets = [
        ...setColumns.map((c, i) => `${quote(c.databaseName)} = $${first + i}`),
        ...(extras.increment ?? []).map((k) => {
          const name = quote(column(metadata, k).databaseName);
          return `${name} = ${name} + 1`;
        }),
        ...(extras.now ?? []).map((k) => `${quote(column(metadata, k).databaseName)} = now()`),
      ];
      const conditions = whereColumns.map((c, i) => `${quote(c.databaseName)} = $${first + setColumns.length + i}`);
      return `UPDATE ${table(metadata)} SET ${sets.join(', ')} WHERE ${conditions.join(' AND ')}`;
    },
    hydrate: () => undefined,
  };
}

function column(metadata: EntityMetadata, property: string): ColumnMetadata {
  const found = metadata.findColumnWithPropertyName(property);
  if (!found) throw new Error(`${metadata.name} has no column for property ${property}`);
  return found;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const table = (metadata: EntityMetadata): string =>
  metadata.schema ? `${quote(metadata.schema)}.${quote(metadata.tableName)}` : quote(metadata.tableName);
