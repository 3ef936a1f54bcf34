/**
 * A throwaway PostgreSQL for tests: `initdb` in a temp directory, started with `pg_ctl` on a free
 * loopback port (and a socket in that directory), stopped and deleted by `stop()`. As root it runs
 * as the `postgres` user through runuser, since PostgreSQL refuses to run as root.
 *
 * Debian's `postgresql` package provides the binaries (.ci/setup installs it in CI). When they
 * are missing, `startPostgres()` returns undefined so that a developer without them can skip; in CI
 * (CI=true) or as root (where .ci/setup would have installed them) it throws instead: CI never skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgServer {
  /** postgres://volley@127.0.0.1:PORT/postgres (trust authentication, superuser). */
  url: string;
  port: number;
  /** A URL for a new empty database `name` on this server. */
  createDatabase(name: string): string;
  /** Client connections to database `name` right now (pg_stat_activity). */
  connections(name: string): number;
  stop(): void;
}

/** The newest installed PostgreSQL's bin directory, or undefined. */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /** Extra server settings, e.g. { shared_preload_libraries: 'pg_stat_statements' }. */
  settings?: Record<string, string>;
}

export async function startPostgres(opts: StartOptions = {}): Promise<PgServer | undefined> {
  const bin = postgresBinDir();
  const root = process.getuid?.() === 0;
  if (!bin) {
    if (process.env.CI === 'true' || root) throw new Error('PostgreSQL is not installed (Debian package postgresql; .ci/setup installs it): this test must not be skipped in CI');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'volley-pg-'));
  const asUser: string[] = [];
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    asUser.push('runuser', '-u', 'postgres', '--');
  }
  const run = (cmd: string, args: string[]): void => {
    const full = [...asUser, join(bin, cmd), ...args];
    const r = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}${existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : ''}`);
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'volley', '--no-sync', '-E', 'UTF8']);
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off${Object.entries(opts.settings ?? {}).map(([k, v]) => ` -c ${k}=${v}`).join('')}`, 'start']);
      break;
    } catch (e) {
      if (attempt >= 2) throw e; // the port was taken between freePort() and the start: try another
    }
  }
  const url = `postgres://volley@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    createDatabase(name: string): string {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      const r = spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'volley', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${r.stderr}`);
      return `postgres://volley@127.0.0.1:${port}/${name}`;
    },
    connections(name: string): number {
      const r = spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'volley', '-d', 'postgres', '-tAc', `SELECT count(*) FROM pg_stat_activity WHERE datname = '${name.replace(/'/g, "''")}'`], { encoding: 'utf8' });
      return r.status === 0 ? Number(r.stdout.trim()) : 0;
    },
    stop(): void {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
