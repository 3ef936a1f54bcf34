/**
 * volley/sql against a real PostgreSQL (test/pg.ts, with pg_stat_statements preloaded): queries,
 * transactions, SQLSTATE-classed failures, pgbench's tpcb-like workload and its report, pg_stat
 * snapshots, bad connection strings and a refused connection, `volley sql init`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startPostgres, type PgServer } from './pg.js';
import { runVolley, writeScript } from './helpers.js';

let pg: PgServer | undefined;
before(async () => {
  pg = await startPostgres({ settings: { shared_preload_libraries: 'pg_stat_statements' } });
});
after(() => pg?.stop());

interface Row { tags: Record<string, string>; metrics: Record<string, Record<string, number>> }
interface Out {
  metrics: Record<string, { values: Record<string, number> }>;
  volley: { breakdowns: Record<string, Row[]> };
  report: string;
  counts: { history: number; t: number };
}

test('queries, transactions, SQLSTATE failures, pgbench tpcb-like and pg_stat over the run', async (t) => {
  if (!pg) return t.skip('PostgreSQL not installed (Debian package postgresql)');
  const url = pg.createDatabase('sqlrun');
  const script = writeScript(`
    import sql from 'volley/sql';
    import { check } from 'volley';
    const db = sql.open(__ENV.DATABASE_URL, { max: 2 });
    export const options = { vus: 2, iterations: 20, thresholds: {
      'sql_query_duration{name:UPDATE pgbench_accounts}': ['p(95)<10000'],
      'pg_cache_hit_ratio': ['value>0'],
    } };
    export async function setup() {
      await db.exec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text)');
      await db.exec("INSERT INTO t VALUES (1, 'taken')");
      await sql.pgbench.init(db, { scale: 1 });
      return { before: await db.stats() };
    }
    export default async function () {
      await sql.pgbench.run(db, 'tpcb-like');
      const r = await db.query('SELECT $1::int + 1 AS n', [41], { tags: { name: 'answer' } });
      check(r, { 'answer is 42': (x) => x.rows[0].n === 42 });
      // Half the iterations: a duplicate key (23505) inside a transaction that therefore rolls back.
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1, $2)', [__ITER % 2 === 0 ? 1000 + __VU * 100 + __ITER : 1, 'x'], { tags: { name: 'insert t' } });
      }, { tags: { name: 'insert' } }).catch((e) => check(e, { 'duplicate key is 23505': (x) => x.code === '23505' || x.code === undefined }));
    }
    export async function teardown(d) {
      sql.recordStats(d.before, await db.stats());
      globalThis.counts = {
        history: Number((await db.exec('SELECT count(*) AS n FROM pgbench_history')).rows[0].n),
        t: Number((await db.exec('SELECT count(*) AS n FROM t')).rows[0].n),
      };
      console.log('COUNTS ' + JSON.stringify(globalThis.counts));
    }
    export function handleSummary(data) {
      return { [__ENV.OUT]: JSON.stringify({ metrics: data.metrics, volley: data.volley, report: sql.pgbench.report(data, { workload: 'tpcb-like', scale: 1 }) }) };
    }`);
  const out = join(dirname(script), 'out.json');
  const r = await runVolley(['run', script, '--quiet', '-e', `DATABASE_URL=${url}`, '-e', `OUT=${out}`]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const o = JSON.parse(readFileSync(out, 'utf8')) as Out;
  const counts = JSON.parse(/COUNTS (.*)/.exec(r.stdout + r.stderr)?.[1] ?? '{}') as Out['counts'];
  const rows = (b: string): Row[] => o.volley.breakdowns[b] ?? [];
  const stmt = (name: string): Row | undefined => rows('sql_statement').find((x) => x.tags.name === name);

  // pgbench's transaction: 7 statements per transaction, each with its own percentiles, 20 committed.
  const tx = rows('sql_transaction').find((x) => x.tags.name === 'tpcb-like');
  assert.equal(tx?.metrics.sql_txs?.count, 20);
  assert.equal(tx?.metrics.sql_tx_failed?.passes, 0);
  for (const s of ['UPDATE pgbench_accounts', 'SELECT pgbench_accounts', 'UPDATE pgbench_tellers', 'UPDATE pgbench_branches', 'INSERT pgbench_history']) {
    assert.equal(stmt(s)?.metrics.sql_query_duration?.count, 20, s);
    assert.ok((stmt(s)?.metrics.sql_query_duration?.['p(95)'] ?? 0) > 0, s);
  }
  assert.equal(counts.history, 20);
  // Our own statement, and the failed inserts: class 23, their transactions rolled back (10 rows kept, plus setup's).
  assert.equal(stmt('answer')?.metrics.sql_queries?.count, 20);
  assert.equal(stmt('insert t')?.metrics.sql_query_failed?.passes, 10);
  const err = rows('sql_error').find((x) => x.tags.sqlstate === '23505');
  assert.equal(err?.tags.sqlstate_class, '23');
  assert.equal(err?.metrics.sql_query_failed?.passes, 10);
  assert.equal(rows('sql_transaction').find((x) => x.tags.name === 'insert')?.metrics.sql_tx_failed?.passes, 10);
  assert.equal(counts.t, 11); // the 10 committed, and row 1 from setup
  assert.equal(o.metrics.checks?.values.fails, 0);
  // Connections: 2 per worker at most, each timed once.
  assert.ok((o.metrics.sql_connections?.values.count ?? 0) >= 1 && (o.metrics.sql_connections?.values.count ?? 0) <= 4);
  // pg_stat: a hit ratio in (0, 1], commits counted, top statements from pg_stat_statements.
  const hit = o.metrics.pg_cache_hit_ratio?.values.value ?? -1;
  assert.ok(hit > 0 && hit <= 1, String(hit));
  assert.ok(rows('pg_statement').some((x) => /pgbench_accounts/.test(x.tags.query ?? '') && (x.metrics.pg_statement_calls?.count ?? 0) >= 20), JSON.stringify(rows('pg_statement').map((x) => x.tags.query)));
  // pgbench's report, from the summary.
  assert.match(o.report, /transaction type: <builtin: TPC-B \(sort of\)>/);
  assert.match(o.report, /number of transactions actually processed: 20\n/);
  assert.match(o.report, /tps = [\d.]+ \(without initial connection time\)/);
  assert.match(o.report, /^ +[\d.]+ +[\d.]+ +0 +UPDATE pgbench_branches$/m);
});

test('a bad connection string fails the init context naming it (password hidden); a refused connection is counted, the run goes on', async (t) => {
  if (!pg) return t.skip('PostgreSQL not installed (Debian package postgresql)');
  const bad = writeScript(`import sql from 'volley/sql'; const db = sql.open('postgres://app:hunter2@127.0.0.1:99999/x'); export default async () => {};`);
  const r1 = await runVolley(['run', bad, '--quiet', '-i', '1']);
  assert.equal(r1.code, 107, r1.stderr);
  assert.match(r1.stderr, /bad connection string "postgres:\/\/app:\*\*\*\*@127\.0\.0\.1:99999\/x"/);
  assert.doesNotMatch(r1.stderr, /hunter2/);

  // A port nothing listens on (the test cluster's port + 1 is not guaranteed free: use port 1).
  const refused = writeScript(`
    import sql from 'volley/sql';
    import { check } from 'volley';
    const db = sql.open('postgres://app:hunter2@127.0.0.1:1/x', { connectTimeoutMs: 2000 });
    export const options = { vus: 1, iterations: 3 };
    export default async function () {
      try { await db.query('SELECT 1'); } catch (e) { check(e, { 'class 08 naming the URL': (x) => x.code === '08001' && /cannot connect to postgres:\\/\\/app:\\*\\*\\*\\*@127.0.0.1:1\\/x/.test(x.message) }); }
    }
    export function handleSummary(data) { return { [__ENV.OUT]: JSON.stringify(data) }; }`);
  const out = join(dirname(refused), 'out.json');
  const r2 = await runVolley(['run', refused, '--quiet', '-e', `OUT=${out}`]);
  assert.equal(r2.code, 0, r2.stderr);
  const o = JSON.parse(readFileSync(out, 'utf8')) as Out;
  assert.equal(o.metrics.iterations?.values.count, 3);
  assert.equal(o.metrics.sql_query_failed?.values.passes, 3);
  assert.equal(o.metrics.checks?.values.passes, 3);
  assert.deepEqual([...new Set((o.volley.breakdowns.sql_error ?? []).filter((x) => (x.metrics.sql_query_failed?.passes ?? 0) > 0).map((x) => x.tags.sqlstate_class))], ['08']);
});

test('volley sql init creates pgbench tables at a scale, once', async (t) => {
  if (!pg) return t.skip('PostgreSQL not installed (Debian package postgresql)');
  const url = pg.createDatabase('sqlinit');
  const r1 = await runVolley(['sql', 'init', url, '--scale', '1']);
  assert.equal(r1.code, 0, r1.stderr);
  assert.match(r1.stdout, /pgbench tables at scale 1 \(100,000 accounts\)/);
  const r2 = await runVolley(['sql', 'init', url, '-s', '1']);
  assert.match(r2.stdout, /already at scale 1/);
  const r3 = await runVolley(['sql', 'init', 'postgres://u:pw@127.0.0.1:1/x']);
  assert.equal(r3.code, 1);
  assert.match(r3.stderr, /cannot connect to postgres:\/\/u:\*\*\*\*@127\.0\.0\.1:1\/x/);
});

test('connections killed mid-run (pg_terminate_backend): failures counted by SQLSTATE class, the pool reconnects, the run goes on', async (t) => {
  if (!pg) return t.skip('PostgreSQL not installed (Debian package postgresql)');
  const url = pg.createDatabase('sqldrop');
  const script = writeScript(`
    import sql from 'volley/sql';
    import { sleep } from 'volley';
    const db = sql.open(__ENV.DATABASE_URL, { max: 2, applicationName: 'victim' });
    const admin = sql.open(__ENV.DATABASE_URL, { max: 1, applicationName: 'admin' });
    export const options = { scenarios: {
      load: { executor: 'constant-vus', vus: 2, duration: '3s', exec: 'load' },
      killer: { executor: 'per-vu-iterations', vus: 1, iterations: 2, exec: 'kill', startTime: '500ms' },
    } };
    export async function load() {
      await db.query('SELECT pg_sleep(0.01)', undefined, { tags: { name: 'work' } }).catch(() => {});
    }
    export async function kill() {
      await admin.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim'");
      await sleep(1);
    }
    export function handleSummary(data) { return { [__ENV.OUT]: JSON.stringify(data) }; }`);
  const out = join(dirname(script), 'out.json');
  const r = await runVolley(['run', script, '--quiet', '--workers', '1', '-e', `DATABASE_URL=${url}`, '-e', `OUT=${out}`]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const o = JSON.parse(readFileSync(out, 'utf8')) as Out;
  const work = o.volley.breakdowns.sql_statement?.find((x) => x.tags.name === 'work');
  const failed = work?.metrics.sql_query_failed?.passes ?? 0;
  const ok = work?.metrics.sql_query_failed?.fails ?? 0;
  // Killed connections fail the queries on them (57P01 admin shutdown, or 08006 connection lost)...
  assert.ok(failed >= 1, `failed ${failed}`);
  const classes = new Set((o.volley.breakdowns.sql_error ?? []).filter((x) => x.tags.sqlstate_class !== undefined).map((x) => x.tags.sqlstate_class));
  assert.ok(classes.size > 0);
  assert.ok([...classes].every((c) => c === '57' || c === '08'), [...classes].join());
  // ... and the pool opens new ones: most queries succeed, more connections than the pool's 2.
  assert.ok(ok > 10 * failed, `ok ${ok}, failed ${failed}`);
  assert.ok((o.metrics.sql_connections?.values.count ?? 0) > 2, String(o.metrics.sql_connections?.values.count));
});
