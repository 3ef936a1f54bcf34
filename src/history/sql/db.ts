/**
 * The one query layer under the run store: SQL written once with `?` placeholders, run by
 * SQLite (better-sqlite3, synchronous, wrapped in promises) or PostgreSQL (`pg`). Dialect
 * differences are confined to the migrations (types, autoincrement) and the adapters.
 */
export type Dialect = 'sqlite' | 'postgres';

/** A value bound to a placeholder. Binary data is a Buffer (BLOB / BYTEA). */
export type SqlValue = string | number | bigint | Buffer | null;

export interface SqlRunner {
  readonly dialect: Dialect;
  /** Rows of a query. Integers come back as numbers (BIGINT columns too: ids and epoch ms fit). */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement; returns the affected row count. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface SqlDb extends SqlRunner {
  /**
   * Runs `fn` inside one transaction: everything it wrote is committed together or not at all
   * (a crash mid-way leaves the store as it was). SQLite takes the write lock up front
   * (BEGIN IMMEDIATE) so that concurrent writers queue instead of failing half-way.
   */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Several DDL statements separated by `;` (migrations). */
  exec(ddl: string): Promise<void>;
  close(): Promise<void>;
  /** Where the store is, for messages (a file path, or the URL without its password). */
  readonly description: string;
}
