import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqlDb, SqlRunner, SqlValue } from './db.js';
import { loadDriver } from './driver.js';

/**
 * Transactions of every SQLite connection of this process, one after the other. A transaction's
 * callback awaits between statements; were another connection of the same process to ask for the
 * write lock meanwhile, its busy wait would block the thread the lock holder needs: a deadlock
 * until busy_timeout. Other processes are handled by SQLite's own locking.
 */
let queue: Promise<unknown> = Promise.resolve();

/**
 * SQLite through better-sqlite3. WAL journal: readers never block the writer, and a write is
 * durable and atomic (a kill -9 mid-transaction rolls back on next open). `busy_timeout` makes
 * concurrent writers (two `volley run --save` at once) wait for the lock instead of failing.
 * Throws the driver's error when the file cannot be opened; openStore() turns it into a message.
 * better-sqlite3 is an optional dependency, loaded on the first open (sql/driver.ts).
 */
export function openSqlite(path: string): SqlDb {
  const Database = loadDriver<typeof BetterSqlite3>('better-sqlite3', 'SQLite');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 30_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const runner: SqlRunner = {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).all(...params) as T[],
    run: async (sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).run(...params).changes,
  };
  let inTx = false;
  return {
    ...runner,
    description: path,
    transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
      if (inTx) throw new Error('nested SQLite transaction');
      const run = async (): Promise<T> => {
        inTx = true;
        db.exec('BEGIN IMMEDIATE');
        try {
          const r = await fn(runner);
          db.exec('COMMIT');
          return r;
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        } finally {
          inTx = false;
        }
      };
      const p = queue.then(run, run);
      queue = p.catch(() => undefined);
      return p;
    },
    exec: async (ddl: string) => void db.exec(ddl),
    close: async () => void db.close(),
  };
}
