/**
 * `volley/sql`: PostgreSQL load from scripts, recorded as Volley metrics.
 *
 *   import sql from 'volley/sql';
 *   const db = sql.open(__ENV.DATABASE_URL, { max: 10 });     // init context: a pool per worker thread
 *   export default async () => {
 *     await db.query('SELECT * FROM users WHERE id = $1', [42], { tags: { name: 'user by id' } });
 *     await db.transaction(async (tx) => { await tx.query('UPDATE ...'); });
 *   };
 */
import { Database, type OpenOptions } from './db.js';
import { pgbenchInit, pgbenchRun, existingScale, PGBENCH_WORKLOADS } from './pgbench.js';
import { pgbenchFigures, pgbenchReport } from './report.js';
import { diffStats, formatStatsDiff, recordStatsDiff, type PgStatDiff, type PgStatSnapshot } from './stats.js';

export { Database };
export type { OpenOptions, QueryOptions, QueryResult, Transaction, TransactionOptions } from './db.js';
export type { PgStatSnapshot, PgStatDiff } from './stats.js';
export type { PgbenchWorkload, InitOptions, RunOptions } from './pgbench.js';
export type { ReportOptions, PgbenchFigures } from './report.js';
export { SqlError } from './errors.js';

/** A database handle (xk6-sql's `sql.open`); no connection until the first query. */
export function open(url: string, opts?: OpenOptions): Database {
  return new Database(url, opts);
}

/**
 * Records the run's pg_stat figures (call in teardown with the snapshot setup() took) as the pg_*
 * metrics, and returns them (`formatStats` prints them).
 */
export function recordStats(before: PgStatSnapshot, after: PgStatSnapshot, top = 10): PgStatDiff {
  const d = diffStats(before, after, top);
  recordStatsDiff(d);
  return d;
}

export const formatStats = formatStatsDiff;

/** pgbench's workloads: `init` (pgbench -i), `run` (one transaction), `report` (its end-of-run text, from handleSummary's data). */
export const pgbench = {
  workloads: PGBENCH_WORKLOADS,
  init: pgbenchInit,
  run: pgbenchRun,
  scale: existingScale,
  report: pgbenchReport,
  figures: pgbenchFigures,
};

const sql = { open, recordStats, formatStats, pgbench };
export default sql;
