// Plan 000 "LLM Experimentation & Attribution Platform", §3.5 Database Performance: "test query
// performance on large datasets with indexing and caching strategies. Tools: pgbench (for
// Postgres/Supabase)", with plan 001 §1.2's "DB buffer cache hit ratio ≥ 95 %".
// pgbench's own workloads, run by Volley (volley/sql): its schema at a scale factor (`volley sql
// init` or, here, setup()), tpcb-like read-write clients then select-only readers, per-statement
// percentiles (pgbench -r gives averages only), pg_stat_database/pg_stat_statements over the run,
// and pgbench's end-of-run report.
// Full scale (SCALE=1): pgbench -s 50 (5 M accounts), 50 clients, 10 min of each workload.
//   npx volley run examples/seeds/000-3.5-pgbench.ts -e DATABASE_URL=postgres://USER@HOST:5432/DB -e SCALE=0.1
// seed-needs: postgres
import sql from 'volley/sql';
import { textSummary } from 'volley/summary';
import type { Options } from 'volley';
import { SCALE, count, dur } from './lib/scale.js';

const scale = count(50);
const clients = count(50, 2);
const seconds = 600;
const db = sql.open(__ENV.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', { max: clients });
// Below SCALE 0.1 this is a smoke run on a shared CI machine: the plan's budgets apply at scale.
const p95 = SCALE < 0.1 ? 250 : 50;

export const options: Options = {
  scenarios: {
    tpcb: { executor: 'constant-vus', vus: clients, duration: dur(seconds), exec: 'tpcb' },
    selects: { executor: 'constant-vus', vus: clients, duration: dur(seconds), startTime: dur(seconds), exec: 'selects' },
  },
  thresholds: {
    'sql_tx_duration{name:tpcb-like}': [`p(95)<${p95 * 5}`],
    'sql_query_duration{name:SELECT pgbench_accounts}': [`p(95)<${p95}`],
    sql_query_failed: ['rate<0.01'],
    pg_cache_hit_ratio: ['value>=0.95'],
  },
};

export async function setup() {
  await db.exec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => {}); // top queries when available
  await sql.pgbench.init(db, { scale });
  return { before: await db.stats() };
}

export async function tpcb() {
  await sql.pgbench.run(db, 'tpcb-like');
}

export async function selects() {
  await sql.pgbench.run(db, 'select-only');
}

export async function teardown(data: { before: Awaited<ReturnType<typeof db.stats>> }) {
  console.log(sql.formatStats(sql.recordStats(data.before, await db.stats())));
}

export function handleSummary(data: Parameters<typeof textSummary>[0]) {
  const report = sql.pgbench.report(data, { workload: 'tpcb-like', scale, clients, durationS: Number.parseInt(dur(seconds)) });
  return { stdout: `${report}\n${textSummary(data)}` };
}
