/**
 * A database handle: `sql.open(url)` in the init context gives one per worker thread, and its
 * connection pool is shared by that thread's VUs (the init context runs once per thread).
 *
 * Why a pool per worker, not a connection per VU: a VU holds a connection only while a query or a
 * transaction runs, so sleeping VUs (think time, arrival-rate VUs waiting for their next start)
 * cost no server backend, and `max` bounds what the run asks of `max_connections` whatever the VU
 * count. For pgbench's model (a connection per client, always busy) set `max` to the VUs per
 * worker: each VU then finds a connection of its own at once (bench/RESULTS.md "pgbench").
 *
 * Connections open lazily, on the first query, so the main thread (which evaluates the init
 * context for `options`) never connects. `pg` is an optional dependency, loaded on first use.
 */
import { performance } from 'node:perf_hooks';
import type * as Pg from 'pg';
import { VolleyError, ExitCode } from '../../errors/index.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import type { TagSet } from '../../metrics/tags.js';
import { currentVu, type VuContext } from '../../vu/context.js';
import { classifySqlError, SqlError } from './errors.js';
import { Q_CORRECTED, Q_COUNT, Q_DURATION, Q_FAILED, SQL_CONNECT, SQL_QUERY, SQL_TX, T_COUNT, T_DURATION, T_FAILED } from './metrics.js';
import { checkUrl, redactUrl } from './url.js';
import { takeStats, type PgStatSnapshot } from './stats.js';

export interface OpenOptions {
  /** Connections this thread's pool may open. Default 10 (pg's default). */
  max?: number;
  /** Give up connecting after this long (ms). Default 10 000. */
  connectTimeoutMs?: number;
  /** Close a connection idle this long (ms). Default 30 000. */
  idleTimeoutMs?: number;
  /** `application_name` as pg_stat_activity shows it. Default 'volley'. */
  applicationName?: string;
}

export interface QueryOptions {
  /** Tags of this query's samples. `tags.name` names the statement (default: its first words). */
  tags?: Record<string, string>;
  /** Run as a named prepared statement (parsed once per connection, as pgbench -M prepared). */
  prepare?: boolean;
}

export interface TransactionOptions {
  tags?: Record<string, string>;
  /** e.g. 'serializable', 'repeatable read'. Default: the server's (read committed). */
  isolation?: string;
}

export interface QueryResult<R = Record<string, unknown>> {
  rows: R[];
  rowCount: number;
}

/** What a transaction's callback gets: `query` on the transaction's connection. */
export interface Transaction {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[], opts?: QueryOptions): Promise<QueryResult<R>>;
}

type PgModule = typeof Pg;
let pgModule: Promise<PgModule> | undefined;

function loadPg(): Promise<PgModule> {
  pgModule ??= import('pg').then(
    (m) => ((m as unknown as { default?: PgModule }).default ?? m) as PgModule,
    (err: unknown) => {
      throw new VolleyError('E_SQL_DRIVER', `volley/sql needs the "pg" package, which could not be loaded: ${(err as Error).message}`, {
        hint: 'npm install pg@8 (an optional dependency of volley, skipped when it failed to install)',
        exitCode: ExitCode.ScriptException,
      });
    },
  );
  return pgModule;
}

type TimedClient = Pg.PoolClient;

const values = new Float64Array(SQL_QUERY.metrics.length);
const txValues = new Float64Array(SQL_TX.metrics.length);
const connectValues = new Float64Array(SQL_CONNECT.metrics.length);

/** Statement names derived from text, memoised (bounded: a script building SQL per call should name it). */
const derivedNames = new Map<string, string>();
function statementName(text: string): string {
  let n = derivedNames.get(text);
  if (n === undefined) {
    n = text.replace(/\s+/g, ' ').trim();
    if (n.length > 60) n = `${n.slice(0, 60)}…`;
    if (derivedNames.size < 1000) derivedNames.set(text, n);
  }
  return n;
}

let preparedSeq = 0;
const preparedNames = new Map<string, string>();

export class Database {
  readonly #url: string;
  readonly #opts: OpenOptions;
  #pool: Promise<Pg.Pool> | undefined;
  #closed = false;
  readonly #seen = new WeakSet<object>();

  constructor(url: string, opts: OpenOptions = {}) {
    this.#url = checkUrl(url);
    if (opts.max !== undefined && !(Number.isInteger(opts.max) && opts.max > 0)) {
      throw new VolleyError('E_SQL_OPTIONS', `sql.open(): max must be a positive integer, got ${String(opts.max)}`, { exitCode: ExitCode.ScriptException });
    }
    this.#opts = opts;
  }

  /** The connection string with its password hidden. */
  get url(): string {
    return redactUrl(this.#url);
  }

  #getPool(): Promise<Pg.Pool> {
    if (this.#closed) return Promise.reject(new VolleyError('E_SQL_CLOSED', `database ${this.url} is closed`, { exitCode: ExitCode.ScriptException }));
    this.#pool ??= loadPg().then((pg) => {
      const pool = new pg.Pool({
        connectionString: this.#url,
        max: this.#opts.max ?? 10,
        connectionTimeoutMillis: this.#opts.connectTimeoutMs ?? 10_000,
        idleTimeoutMillis: this.#opts.idleTimeoutMs ?? 30_000,
        application_name: this.#opts.applicationName ?? 'volley',
        allowExitOnIdle: true,
      });
      // A connection that dies while idle (server restart, proxy reset) must not crash the worker:
      // the pool drops it, and the next query opens a new one (or fails with SQLSTATE class 08).
      pool.on('error', () => {});
      return pool;
    });
    return this.#pool;
  }

  /** Takes a connection from the pool; records its connection time when it is new. Rejects with a class-08 SqlError. */
  async #acquire(vu: VuContext): Promise<TimedClient> {
    const pool = await this.#getPool();
    let client: TimedClient;
    const t0 = performance.now();
    try {
      client = await pool.connect();
    } catch (err) {
      const f = classifySqlError(err);
      const e = new SqlError({ ...f, message: `cannot connect to ${this.url}: ${f.message}` }, 'connect', err);
      recordFailure(vu, 'connect', undefined, f.sqlstate, f.sqlstateClass, e.message, 0);
      throw e;
    }
    // A client not seen before was connected for this call: the wait was its connection time.
    if (!this.#seen.has(client)) {
      this.#seen.add(client);
      connectValues[0] = 1;
      connectValues[1] = performance.now() - t0;
      vu.recorder.record(SQL_CONNECT, vu.tags, connectValues);
    }
    return client;
  }

  /** One statement, recorded as one `sql_query` sample group. Rejects with an SqlError on failure (recorded first). */
  async query<R = Record<string, unknown>>(text: string, params?: readonly unknown[], opts?: QueryOptions): Promise<QueryResult<R>> {
    const vu = currentVu('sql.query()');
    const client = await this.#acquire(vu);
    let broken: Error | undefined;
    try {
      return await runQuery<R>(vu, client, text, params, opts);
    } catch (err) {
      if (err instanceof SqlError && err.sqlstateClass === '08') broken = err;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs `fn` in a transaction on one connection: BEGIN, `fn(tx)`, COMMIT (ROLLBACK when `fn`
   * throws, then rethrows). Recorded as one `sql_tx` group (tags.name names it; default 'tx'),
   * BEGIN and COMMIT as statements, as pgbench -r lists them.
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>, opts?: TransactionOptions): Promise<T> {
    const vu = currentVu('sql.transaction()');
    const client = await this.#acquire(vu);
    const t0 = performance.now();
    let ok = false;
    let broken: Error | undefined;
    const tx: Transaction = { query: (text, params, qo) => runQuery(vu, client, text, params, qo) };
    try {
      await runQuery(vu, client, opts?.isolation ? `BEGIN ISOLATION LEVEL ${opts.isolation.toUpperCase()}` : 'BEGIN', undefined, { tags: { name: 'BEGIN' } });
      const out = await fn(tx);
      await runQuery(vu, client, 'COMMIT', undefined, { tags: { name: 'COMMIT' } });
      ok = true;
      return out;
    } catch (err) {
      if (err instanceof SqlError && err.sqlstateClass === '08') broken = err;
      else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
      txValues[T_COUNT] = 1;
      txValues[T_DURATION] = performance.now() - t0;
      txValues[T_FAILED] = ok ? 0 : 1;
      const cache = vu.recorder.tagSets;
      let tags = cache.with1(vu.tags, 'name', opts?.tags?.name ?? 'tx');
      if (opts?.tags !== undefined) tags = cache.with(tags, opts.tags);
      vu.recorder.record(SQL_TX, tags, txValues);
    }
  }

  /** Runs `text` outside any VU (setup helpers, pgbench init): not recorded. */
  async exec(text: string, params?: readonly unknown[]): Promise<QueryResult> {
    const pool = await this.#getPool();
    try {
      const r = await pool.query(text, params as unknown[] | undefined);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    } catch (err) {
      const f = classifySqlError(err);
      throw new SqlError(f.sqlstateClass === '08' ? { ...f, message: `cannot connect to ${this.url}: ${f.message}` } : f, statementName(text), err);
    }
  }

  /**
   * Idempotent bulk insert for test data: `rows` (objects keyed by column name) into `table`, in
   * batches of `batch` (default 1000) rows per statement, skipping rows whose key already exists
   * (`INSERT ... SELECT * FROM json_populate_recordset(...) ON CONFLICT DO NOTHING`: columns
   * missing from a row get their default... or NULL, as json_populate_recordset gives them).
   * Recorded as queries named `seed <table>`. Returns how many rows were inserted.
   */
  async seed(table: string, rows: readonly Record<string, unknown>[], opts: { batch?: number; tags?: Record<string, string> } = {}): Promise<number> {
    const vu = currentVu('db.seed()');
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) {
      throw new VolleyError('E_SQL_OPTIONS', `db.seed(): "${table}" is not a plain table name`, { hint: 'write table or schema.table (letters, digits, _)', exitCode: ExitCode.ScriptException });
    }
    const batch = opts.batch ?? 1000;
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    if (rows.length === 0 || columns.length === 0) return 0;
    for (const c of columns) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(c)) throw new VolleyError('E_SQL_OPTIONS', `db.seed(): column "${c}" is not a plain name`, { exitCode: ExitCode.ScriptException });
    }
    const cols = columns.map((c) => `"${c}"`).join(', ');
    const text = `INSERT INTO ${table} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${table}, $1) ON CONFLICT DO NOTHING`;
    const qo = { tags: { name: `seed ${table}`, ...opts.tags } };
    let inserted = 0;
    const client = await this.#acquire(vu);
    let broken: Error | undefined;
    try {
      for (let i = 0; i < rows.length; i += batch) {
        inserted += (await runQuery(vu, client, text, [JSON.stringify(rows.slice(i, i + batch))], qo)).rowCount;
      }
    } catch (err) {
      if (err instanceof SqlError && err.sqlstateClass === '08') broken = err;
      throw err;
    } finally {
      client.release(broken);
    }
    return inserted;
  }

  /**
   * A pg_stat snapshot of this database (stats.ts): pg_stat_database, connections, lock waits and
   * pg_stat_statements when installed. Take one in setup() and one in teardown(), then
   * `sql.recordStats(before, after)`. Unrecorded.
   */
  stats(): Promise<PgStatSnapshot> {
    return takeStats((t) => this.exec(t));
  }

  /** Closes this thread's pool (later queries fail with E_SQL_CLOSED). */
  async close(): Promise<void> {
    this.#closed = true;
    const p = this.#pool;
    this.#pool = undefined;
    if (p) await (await p).end();
  }
}

async function runQuery<R>(vu: VuContext, client: TimedClient, text: string, params: readonly unknown[] | undefined, opts: QueryOptions | undefined): Promise<QueryResult<R>> {
  const name = opts?.tags?.name ?? statementName(text);
  let config: Pg.QueryConfig | string = text;
  if (opts?.prepare) {
    let pn = preparedNames.get(text);
    if (pn === undefined) preparedNames.set(text, (pn = `volley_${++preparedSeq}`));
    config = { name: pn, text, values: params as unknown[] | undefined };
  } else if (params !== undefined) config = { text, values: params as unknown[] };
  const t0 = performance.now();
  try {
    const r = await client.query(config as Pg.QueryConfig);
    const ms = performance.now() - t0;
    const cache = vu.recorder.tagSets;
    let tags: TagSet = cache.with1(vu.tags, 'name', name);
    if (opts?.tags !== undefined) tags = cache.with(tags, opts.tags);
    values[Q_COUNT] = 1;
    values[Q_DURATION] = ms;
    values[Q_FAILED] = 0;
    values[Q_CORRECTED] = vu.startLagMs === undefined ? NO_SAMPLE : ms + vu.startLagMs;
    vu.recorder.record(SQL_QUERY, tags, values);
    return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
  } catch (err) {
    const ms = performance.now() - t0;
    const f = classifySqlError(err);
    const e = new SqlError(f, name, err);
    recordFailure(vu, name, opts?.tags, f.sqlstate, f.sqlstateClass, f.message, ms);
    throw e;
  }
}

function recordFailure(vu: VuContext, name: string, userTags: Record<string, string> | undefined, sqlstate: string, cls: string, message: string, ms: number): void {
  const cache = vu.recorder.tagSets;
  // The error text without values (ids, numbers) so that one kind stays one row.
  const error = message.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 120);
  let tags = cache.with(vu.tags, { name, sqlstate, sqlstate_class: cls, error });
  if (userTags !== undefined) tags = cache.with(tags, userTags);
  values[Q_COUNT] = 1;
  values[Q_DURATION] = ms;
  values[Q_FAILED] = 1;
  values[Q_CORRECTED] = NO_SAMPLE;
  vu.recorder.record(SQL_QUERY, tags, values);
}
