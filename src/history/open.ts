import { isAbsolute, join, resolve } from 'node:path';
import { configError, isVolleyError } from '../errors/index.js';
import { openPostgres, redactUrl } from './sql/postgres.js';
import { openSqlite } from './sql/sqlite.js';
import { StoreTooNewError } from './sql/migrations.js';
import { RunStore } from './store.js';

/** Default store: `.volley/history.db` under the working directory (the project). */
export const DEFAULT_STORE = join('.volley', 'history.db');

/** The store to use: `--store`, else $VOLLEY_STORE, else the default SQLite file. */
export function storeSpec(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.VOLLEY_STORE || DEFAULT_STORE;
}

const isPostgres = (spec: string): boolean => /^postgres(ql)?:\/\//i.test(spec);

/**
 * Opens (and migrates) the run store named by `spec`: a `postgres://` / `postgresql://` URL, or
 * a SQLite file path (relative to `cwd`). A store that cannot be opened is a VolleyError
 * E_STORE_OPEN (exit 104) naming it and the reason.
 */
export async function openStore(spec: string, cwd = process.cwd()): Promise<RunStore> {
  const where = isPostgres(spec) ? redactUrl(spec) : spec;
  try {
    const db = isPostgres(spec) ? await openPostgres(spec) : openSqlite(isAbsolute(spec) ? spec : resolve(cwd, spec));
    try {
      return await RunStore.open(db);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw e;
    }
  } catch (e) {
    if (isVolleyError(e)) throw e;
    if (e instanceof StoreTooNewError) {
      throw configError('E_STORE_VERSION', `the run store ${where} has schema version ${e.storeVersion}, newer than this Volley (${e.knownVersion})`, 'upgrade Volley, or use another --store');
    }
    const err = e as NodeJS.ErrnoException;
    const reason = [err.code, err.message].filter(Boolean).join(': ') || String(e);
    throw configError(
      'E_STORE_OPEN',
      `cannot open the run store ${where} (${reason})`,
      isPostgres(spec) ? 'check that PostgreSQL is running and accepts this URL (host, port, user, password, database)' : 'pass a writable file path to --store (or set VOLLEY_STORE), or postgres://… for PostgreSQL',
    );
  }
}
