import type pg from 'pg';
import type { SqlDb, SqlRunner, SqlValue } from './db.js';
import { loadDriver } from './driver.js';

/** `?` placeholders → `$1, $2 …` (our SQL never has a `?` inside a string literal). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

// BIGINT (int8) and NUMERIC come back from pg as strings; our ids and epoch ms fit in a double.
function typesOf(driver: typeof pg) {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === 20) return (v: string) => Number(v);
      return driver.types.getTypeParser(oid, format as 'text');
    },
  };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * PostgreSQL through a small `pg` pool. Each transaction runs on one pooled client
 * (BEGIN … COMMIT, ROLLBACK on error): PostgreSQL makes it atomic and durable; concurrent savers
 * get their own ids from the sequence. Connects eagerly so that a refused connection is reported
 * at open, not at the end of a run. `pg` is an optional dependency, loaded here (sql/driver.ts).
 */
export async function openPostgres(url: string): Promise<SqlDb> {
  const driver = loadDriver<typeof pg>('pg', 'PostgreSQL');
  const pool = new driver.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, types: typesOf(driver) });
  // An idle client losing its server must not crash the process: the next query reports it.
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  const on = (q: pg.Pool | pg.PoolClient): SqlRunner => ({
    dialect: 'postgres',
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await q.query(numberPlaceholders(sql), params as unknown[])).rows as T[],
    run: async (sql: string, params: readonly SqlValue[] = []) => (await q.query(numberPlaceholders(sql), params as unknown[])).rowCount ?? 0,
  });
  return {
    ...on(pool),
    description: redactUrl(url),
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const r = await fn(on(c));
        await c.query('COMMIT');
        return r;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    },
    exec: async (ddl: string) => void (await pool.query(ddl)),
    close: () => pool.end(),
  };
}
