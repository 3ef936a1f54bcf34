/**
 * The run store against its real databases: SQLite through better-sqlite3 and PostgreSQL started
 * by test/pg.ts. The same contract runs on both: round-trip, filters, migrations, concurrent
 * writers losing nothing, and (SQLite) a writer killed with SIGKILL mid-save leaving a sound store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/history/open.js';
import { syntheticSummary } from '../src/history/testing/synthetic.js';
import type { RunIdentity } from '../src/history/types.js';
import { ROOT } from './helpers.js';
import { startPostgres, type PgServer } from './pg.js';

const SAVER = join(ROOT, 'dist', 'test', 'history-saver.js');

function identity(over: Partial<RunIdentity> = {}): RunIdentity {
  return { test: 'api.ts', scriptHash: 'abc', optionsHash: 'def', git: { commit: 'c0ffee', branch: 'main', dirty: false }, labels: {}, version: '0.1.0', machine: syntheticSummary({ seconds: 1 }).volley.machine, ...over };
}

/** Runs savers in parallel; resolves with their exit codes. */
function savers(spec: string, writers: number, count: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: writers }, (_, w) =>
      new Promise<number>((resolve) => {
        const c = spawn(process.execPath, [SAVER, spec, String(count), String(w + 1), '5'], { stdio: ['ignore', 'ignore', 'inherit'] });
        c.on('close', (code) => resolve(code ?? -1));
      }),
    ),
  );
}

function contract(name: string, newSpec: () => string): void {
  describe(`run store on ${name}`, () => {
    test('round-trip: what is saved comes back, percentiles recomputable', async () => {
      const spec = newSpec();
      const store = await openStore(spec);
      try {
        const s = syntheticSummary({ seconds: 20, p50Ms: 40 });
        const id = await store.save(s, identity({ labels: { env: 'staging' } }));
        const back = (await store.get(id))!;
        assert.equal(back.identity.test, 'api.ts');
        assert.deepEqual(back.identity.git, { commit: 'c0ffee', branch: 'main', dirty: false });
        assert.deepEqual(back.identity.labels, { env: 'staging' });
        assert.equal(back.passed, true);
        assert.deepEqual(back.summary.metrics, s.metrics);
        assert.deepEqual(back.summary.volley.histograms, s.volley.histograms);
        assert.equal(back.summary.volley.timeSeries.t.length, 20);
        assert.ok(Math.abs(back.keyMetrics.p95! - 40 * Math.exp(0.3 * 1.645)) < 4, String(back.keyMetrics.p95));
        assert.equal(await store.get(id + 1000), undefined);
      } finally {
        await store.close();
      }
    });

    test('list: newest first, filters by test, branch, label, passed', async () => {
      const store = await openStore(newSpec());
      try {
        const a = await store.save(syntheticSummary({ seconds: 2 }), identity());
        const b = await store.save(syntheticSummary({ seconds: 2, exitCode: 99 }), identity({ git: { commit: 'beef', branch: 'feature', dirty: true }, labels: { env: 'ci' } }));
        const c = await store.save(syntheticSummary({ seconds: 2 }), identity({ test: 'other.ts', labels: { env: 'ci', region: 'eu' } }));
        assert.deepEqual((await store.list()).map((r) => r.id), [c, b, a]);
        assert.deepEqual((await store.list({ test: 'api.ts' })).map((r) => r.id), [b, a]);
        assert.deepEqual((await store.list({ branch: 'main' })).map((r) => r.id), [c, a]);
        assert.deepEqual((await store.list({ labels: { env: 'ci' } })).map((r) => r.id), [c, b]);
        assert.deepEqual((await store.list({ labels: { env: 'ci', region: 'eu' } })).map((r) => r.id), [c]);
        assert.deepEqual((await store.list({ passed: true, test: 'api.ts' })).map((r) => r.id), [a]);
        assert.deepEqual((await store.list({ beforeId: c, limit: 1 })).map((r) => r.id), [b]);
        assert.equal((await store.list({ test: 'api.ts' }))[0]!.identity.git!.dirty, true);
        assert.equal(await store.count(), 3);
      } finally {
        await store.close();
      }
    });

    test('migrations: reopening is a no-op, many openers at once migrate once', async () => {
      const spec = newSpec();
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(spec)));
      await Promise.all(stores.map((s) => s.close()));
      const s = await openStore(spec);
      try {
        const v = await s.db.all<{ version: number }>('SELECT version FROM schema_migrations');
        assert.deepEqual(v.map((r) => Number(r.version)), [1]);
        await s.db.run('INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)');
      } finally {
        await s.close();
      }
      await assert.rejects(openStore(spec), (e: { code: string; exitCode: number }) => e.code === 'E_STORE_VERSION' && e.exitCode === 104);
    });

    test('concurrent runs saving into the same store lose nothing', async () => {
      const spec = newSpec();
      (await openStore(spec)).close();
      const codes = await savers(spec, 4, 10);
      assert.deepEqual(codes, [0, 0, 0, 0]);
      const store = await openStore(spec);
      try {
        assert.equal(await store.count(), 40);
        const runs = await store.list({ limit: 100 });
        assert.equal(new Set(runs.map((r) => `${r.identity.labels.writer}/${r.identity.labels.n}`)).size, 40);
      } finally {
        await store.close();
      }
    });
  });
}

let pgServer: PgServer | undefined;
let dbN = 0;
const dir = mkdtempSync(join(tmpdir(), 'volley-store-'));
let fileN = 0;

contract('SQLite', () => join(dir, `s${++fileN}`, 'history.db'));

describe('PostgreSQL', () => {
  before(async () => {
    pgServer = await startPostgres();
  });
  after(() => pgServer?.stop());
  test('a PostgreSQL server is available (skipped only outside CI when not installed)', (t) => {
    if (!pgServer) t.skip('PostgreSQL not installed (Debian package postgresql)');
  });
  contract('PostgreSQL', () => {
    if (!pgServer) throw new Error('no PostgreSQL');
    return pgServer.createDatabase(`h${process.pid}_${++dbN}`);
  });
  test('a PostgreSQL that refuses the connection: exit 104 naming the URL without its password', async () => {
    await assert.rejects(openStore('postgres://u:secret@127.0.0.1:1/x'), (e: { code: string; exitCode: number; message: string }) => {
      assert.equal(e.code, 'E_STORE_OPEN');
      assert.equal(e.exitCode, 104);
      assert.match(e.message, /127\.0\.0\.1:1/);
      assert.match(e.message, /ECONNREFUSED/);
      assert.doesNotMatch(e.message, /secret/);
      return true;
    });
  });
});

test('SQLite: an unwritable store path is exit 104 naming the path', async () => {
  // A regular file where a directory should be: unwritable for root too (root ignores modes).
  const parent = join(mkdtempSync(join(tmpdir(), 'volley-ro-')), 'not-a-dir');
  writeFileSync(parent, 'x');
  const path = join(parent, 'history.db');
  await assert.rejects(openStore(path), (e: { code: string; exitCode: number; message: string }) => e.code === 'E_STORE_OPEN' && e.exitCode === 104 && e.message.includes(path));
});

test('SQLite: a writer killed with SIGKILL mid-save leaves a sound store with only whole runs', async () => {
  const spec = join(dir, 'killed', 'history.db');
  (await openStore(spec)).close();
  let saved = 0;
  await new Promise<void>((resolve) => {
    // Big runs (1 hour each) so that the kill lands inside a save more often than between two.
    const c = spawn(process.execPath, [SAVER, spec, '1000', '1', '3600'], { stdio: ['ignore', 'pipe', 'inherit'] });
    c.stdout.on('data', (d: Buffer) => {
      saved += d.toString().split('\n').filter((l) => l.startsWith('saved')).length;
      if (saved >= 3) c.kill('SIGKILL');
    });
    c.on('close', () => resolve());
  });
  const store = await openStore(spec);
  try {
    const [ok] = await store.db.all<{ integrity_check: string }>('PRAGMA integrity_check');
    assert.equal(ok!.integrity_check, 'ok');
    const n = await store.count();
    assert.ok(n >= 3, `runs ${n}`);
    const [orphans] = await store.db.all<{ n: number }>('SELECT COUNT(*) AS n FROM runs WHERE id NOT IN (SELECT run_id FROM run_data)');
    assert.equal(Number(orphans!.n), 0);
    for (const r of await store.list({ limit: 100 })) {
      const full = (await store.get(r.id))!;
      assert.equal(full.summary.volley.timeSeries.t.length, 3600);
      assert.deepEqual(Object.keys(full.identity.labels).sort(), ['n', 'writer']);
    }
    // And the store still takes writes.
    await store.save(syntheticSummary({ seconds: 2 }), identity());
  } finally {
    await store.close();
  }
});
