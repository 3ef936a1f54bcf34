/**
 * `volley sql init`: pgbench's tables at a scale (as `pgbench -i -s N`), for the built-in
 * workloads (`sql.pgbench.run`) or pgbench itself, which finds the same schema.
 */
import { VolleyError, ExitCode } from '../errors/index.js';
import { Database } from '../protocols/sql/db.js';
import { existingScale, pgbenchInit } from '../protocols/sql/pgbench.js';

export async function sqlInitCommand(url: string | undefined, o: { scale: number; force?: boolean }): Promise<number> {
  const conn = url ?? process.env.DATABASE_URL;
  if (!conn) {
    throw new VolleyError('E_SQL_URL', 'volley sql init: no database given', {
      hint: 'pass a connection string (volley sql init postgres://USER@HOST:5432/DB --scale 10) or set DATABASE_URL',
      exitCode: ExitCode.InvalidConfig,
    });
  }
  let db: Database;
  try {
    db = new Database(conn, { max: 1 });
  } catch (err) {
    if (err instanceof VolleyError) throw new VolleyError(err.code, err.message.replace('sql.open()', 'volley sql init'), { hint: err.hint, exitCode: ExitCode.InvalidConfig });
    throw err;
  }
  const t0 = Date.now();
  try {
    if (!o.force && (await existingScale(db)) === o.scale) {
      process.stdout.write(`pgbench tables already at scale ${o.scale} in ${db.url} (--force recreates them)\n`);
      return 0;
    }
    const scale = await pgbenchInit(db, { scale: o.scale, reuse: false });
    process.stdout.write(`pgbench tables at scale ${scale} (${(100_000 * scale).toLocaleString('en')} accounts) in ${db.url}, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new VolleyError('E_SQL_INIT', `volley sql init: ${e.message ?? String(err)}`, {
      hint: e.code?.startsWith('08') ? 'is PostgreSQL running and reachable at that address?' : undefined,
      exitCode: ExitCode.GenericError,
    });
  } finally {
    await db.close();
  }
}
