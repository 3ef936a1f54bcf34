/**
 * Connection strings: checked when `sql.open()` is called (so a typo fails the init context with
 * the value named, not the first query), shown with the password redacted.
 */
import { VolleyError, ExitCode } from '../../errors/index.js';

/** `postgres://user:****@host:port/db` (the password, and a `password=` parameter, hidden). */
export function redactUrl(url: string): string {
  return url.replace(/(:\/\/[^/\s:@]*:)[^/\s@]*@/, '$1****@').replace(/(password=)[^&\s]*/gi, '$1****');
}

/** Throws E_SQL_URL unless `url` is a postgres:// or postgresql:// URL with a host. */
export function checkUrl(url: unknown): string {
  const bad = (why: string): VolleyError =>
    new VolleyError('E_SQL_URL', `sql.open(): bad connection string ${typeof url === 'string' ? `"${redactUrl(url)}"` : String(url)}: ${why}`, {
      hint: 'write postgres://USER:PASSWORD@HOST:PORT/DATABASE (e.g. postgres://postgres@127.0.0.1:5432/postgres), for instance from __ENV.DATABASE_URL',
      exitCode: ExitCode.ScriptException,
    });
  if (typeof url !== 'string' || url === '') throw bad('a connection string is required');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('not a URL');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw bad(`unsupported scheme "${u.protocol.slice(0, -1)}" (PostgreSQL only: postgres://)`);
  if (u.hostname === '' && !u.searchParams.has('host')) throw bad('no host');
  if (u.port !== '' && !(Number(u.port) > 0 && Number(u.port) < 65536)) throw bad(`bad port "${u.port}"`);
  return url;
}
