import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUrl, redactUrl } from './url.js';
import { classifySqlError } from './errors.js';
import { diffStats, type PgStatSnapshot } from './stats.js';
import { pgbenchFigures } from './report.js';
import { metricCatalog } from '../index.js';
import { SQL_QUERY, Q_COUNT, Q_DURATION, Q_FAILED, Q_CORRECTED } from './metrics.js';

test('connection strings: the password is redacted, bad ones name the value', () => {
  assert.equal(redactUrl('postgres://app:s3cret@db:5432/x'), 'postgres://app:****@db:5432/x');
  assert.equal(redactUrl('postgres://db/x?password=s3cret&sslmode=require'), 'postgres://db/x?password=****&sslmode=require');
  assert.equal(checkUrl('postgresql://u@127.0.0.1/x'), 'postgresql://u@127.0.0.1/x');
  for (const [bad, why] of [
    ['mysql://u:pw@h/x', /"mysql:\/\/u:\*\*\*\*@h\/x": unsupported scheme "mysql"/],
    ['not a url', /"not a url": not a URL/],
    ['', /connection string is required/],
    ['postgres://u:pw@h:99999/x', /not a URL|bad port/],
  ] as const) {
    assert.throws(() => checkUrl(bad), (e: Error & { code?: string }) => e.code === 'E_SQL_URL' && why.test(e.message) && !e.message.includes('pw@'));
  }
});

test('failures classify by SQLSTATE class; network errors as class 08', () => {
  assert.deepEqual(classifySqlError({ code: '40P01', message: 'deadlock detected' }), { sqlstate: '40P01', sqlstateClass: '40', message: 'deadlock detected' });
  assert.equal(classifySqlError({ code: '23505', message: 'duplicate key' }).sqlstateClass, '23');
  assert.equal(classifySqlError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }).sqlstate, '08001');
  assert.equal(classifySqlError({ code: 'ECONNRESET', message: 'read ECONNRESET' }).sqlstate, '08006');
  assert.equal(classifySqlError(new Error('Connection terminated unexpectedly')).sqlstate, '08006');
  assert.equal(classifySqlError(new Error('weird')).sqlstateClass, 'XX');
});

test('the SQL protocol is in the catalog, its query group in slot order', () => {
  const c = metricCatalog();
  for (const m of ['sql_queries', 'sql_query_duration', 'sql_query_failed', 'sql_tx_duration', 'pg_cache_hit_ratio']) assert.ok(c.metrics.some((x) => x.name === m), m);
  assert.deepEqual(c.breakdowns.find((b) => b.name === 'sql_statement')?.by, ['name']);
  assert.deepEqual([Q_COUNT, Q_DURATION, Q_FAILED, Q_CORRECTED].map((i) => SQL_QUERY.metrics[i]!.name), ['sql_queries', 'sql_query_duration', 'sql_query_failed', 'sql_query_corrected_duration']);
});

const snap = (o: Partial<PgStatSnapshot>): PgStatSnapshot => ({
  at: 0, database: 'x', xactCommit: 0, xactRollback: 0, blksRead: 0, blksHit: 0, deadlocks: 0, tempBytes: 0, connections: 0, lockWaits: 0, statements: null, ...o,
});

test('pg_stat diff: cache hit ratio over the run, top statements by time spent during it', () => {
  const d = diffStats(
    snap({ at: 1000, blksHit: 1000, blksRead: 500, xactCommit: 10, statements: { a: ['SELECT 1', 5, 10, 5], b: ['UPDATE t', 1, 1, 1] } }),
    snap({ at: 11_000, blksHit: 1950, blksRead: 550, xactCommit: 110, connections: 4, statements: { a: ['SELECT 1', 105, 30, 105], b: ['UPDATE t', 11, 101, 11], c: ['INSERT', 1, 5, 1] } }),
  );
  assert.equal(d.seconds, 10);
  assert.equal(d.cacheHitRatio, 0.95);
  assert.equal(d.commits, 100);
  assert.deepEqual(d.topStatements?.map((s) => [s.query, s.calls, s.totalMs]), [['UPDATE t', 10, 100], ['SELECT 1', 100, 20], ['INSERT', 1, 5]]);
  assert.equal(diffStats(snap({}), snap({})).cacheHitRatio, null);
  assert.equal(diffStats(snap({}), snap({})).topStatements, null);
});

test('pgbench figures: tps with and without the initial connection time, per-statement rows in pgbench order', () => {
  const row = (name: string, avg: number) => ({ tags: { name }, metrics: { sql_query_duration: { avg, 'p(95)': avg * 2, count: 100 }, sql_query_failed: { passes: 0, fails: 100 } } });
  const f = pgbenchFigures(
    {
      state: { testRunDurationMs: 99_000 },
      metrics: { sql_connections: { values: { count: 4 } }, sql_connect_duration: { values: { avg: 500 } } },
      volley: {
        options: { scenarios: { s: { duration: '10s' } } },
        scenarios: [{ vusMax: 4 }],
        breakdowns: {
          sql_transaction: [{ tags: { name: 'tpcb-like' }, metrics: { sql_txs: { count: 1000 }, sql_tx_failed: { passes: 10, fails: 990 }, sql_tx_duration: { avg: 4, 'p(95)': 9, 'p(99)': 12 } } }],
          sql_statement: [row('COMMIT', 0.5), row('BEGIN', 0.1), row('UPDATE pgbench_accounts', 1)],
        },
      },
    },
    { workload: 'tpcb-like' },
  );
  assert.equal(f.transactions, 1000);
  assert.equal(f.failed, 10);
  assert.equal(f.tps, 99);
  assert.equal(f.initialConnectionMs, 500);
  assert.equal(f.tpsExcludingConnections, 990 / 9.5);
  assert.deepEqual(f.statements.map((s) => s.name), ['BEGIN', 'UPDATE pgbench_accounts', 'COMMIT']);
});
