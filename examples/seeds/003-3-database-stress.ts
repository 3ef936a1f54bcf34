// Plan 003 "A/B testing platform", Test Scenarios §3 Database Stress Test — concurrent writes
// 1K/s, read queries 10K/s, complex joins 100/s — with its acceptance criteria "Database queries:
// P95 < 50ms" and "Database handles 10K queries/sec", and Phase 3's "slow query identification"
// (pg_stat_statements' top statements over the run, in the summary's `pg_statement` rows).
// Three open-model scenarios at the plan's rates on the platform's own tables (experiments,
// assignments, events), created and filled idempotently in setup().
// Full scale (SCALE=1): 1,000 writes/s, 10,000 reads/s, 100 joins/s for 5 minutes.
//   npx volley run examples/seeds/003-3-database-stress.ts -e DATABASE_URL=postgres://USER@HOST:5432/DB -e SCALE=0.1
// seed-needs: postgres
import sql from 'volley/sql';
import type { Options } from 'volley';
import { SCALE, count, dur } from './lib/scale.js';

const db = sql.open(__ENV.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', { max: count(100, 4) });
const experiments = 100;
const users = count(1_000_000, 10_000);
const writes = count(1000);
const reads = count(10_000);
const joins = count(100);
// Below SCALE 0.1 this is a smoke run on a shared CI machine: the plan's budgets apply at scale.
const p95 = SCALE < 0.1 ? 250 : 50;

const rate = (r: number, exec: string, vus: number) => ({
  executor: 'constant-arrival-rate' as const,
  rate: r,
  timeUnit: '1s',
  duration: dur(300),
  preAllocatedVUs: vus,
  maxVUs: vus * 4,
  exec,
});

export const options: Options = {
  scenarios: {
    writes: rate(writes, 'write', count(50, 2)),
    reads: rate(reads, 'read', count(200, 4)),
    joins: rate(joins, 'join', count(20, 1)),
  },
  thresholds: {
    sql_query_duration: [`p(95)<${p95}`],
    'sql_query_duration{name:results by variant}': [`p(95)<${p95 * 4}`],
    sql_query_failed: ['rate<0.001'],
    // "10K queries/sec": the rate over the run (setup included), so with 50 % slack at small scale.
    sql_queries: [`rate>=${Math.floor((writes + reads + joins) * (SCALE < 0.1 ? 0.5 : 0.95))}`],
  },
};

export async function setup() {
  await db.exec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => {});
  await db.exec(`CREATE TABLE IF NOT EXISTS experiments (id int PRIMARY KEY, name text NOT NULL, variants int NOT NULL)`);
  await db.exec(`CREATE TABLE IF NOT EXISTS assignments (user_id int NOT NULL, experiment_id int NOT NULL REFERENCES experiments, variant int NOT NULL,
    PRIMARY KEY (user_id, experiment_id))`);
  await db.exec(`CREATE TABLE IF NOT EXISTS events (id bigserial PRIMARY KEY, user_id int NOT NULL, experiment_id int NOT NULL, kind text NOT NULL, value real, at timestamptz DEFAULT now())`);
  await db.exec('CREATE INDEX IF NOT EXISTS events_experiment ON events (experiment_id, kind)');
  await db.exec(`INSERT INTO experiments SELECT e, 'exp_' || e, 2 + e % 3 FROM generate_series(1, ${experiments}) e ON CONFLICT DO NOTHING`);
  await db.exec(`INSERT INTO assignments SELECT u, 1 + u % ${experiments}, u % 2 FROM generate_series(1, ${users}) u ON CONFLICT DO NOTHING`);
  await db.exec('ANALYZE');
  return { before: await db.stats() };
}

const rnd = (n: number) => 1 + Math.floor(Math.random() * n);

export async function write() {
  await db.query('INSERT INTO events (user_id, experiment_id, kind, value) VALUES ($1, $2, $3, $4)', [rnd(users), rnd(experiments), Math.random() < 0.1 ? 'conversion' : 'view', Math.random()], {
    tags: { name: 'insert event' },
    prepare: true,
  });
}

export async function read() {
  const user = rnd(users);
  await db.query('SELECT experiment_id, variant FROM assignments WHERE user_id = $1 AND experiment_id = $2', [user, 1 + (user % experiments)], { tags: { name: 'assignment by user' }, prepare: true });
}

export async function join() {
  await db.query(
    `SELECT a.variant, count(*) AS events, count(*) FILTER (WHERE e.kind = 'conversion') AS conversions, avg(e.value) AS mean
       FROM events e JOIN assignments a ON a.user_id = e.user_id AND a.experiment_id = e.experiment_id
       JOIN experiments x ON x.id = e.experiment_id
      WHERE e.experiment_id = $1 GROUP BY a.variant`,
    [rnd(experiments)],
    { tags: { name: 'results by variant' }, prepare: true },
  );
}

export async function teardown(data: { before: Awaited<ReturnType<typeof db.stats>> }) {
  console.log(sql.formatStats(sql.recordStats(data.before, await db.stats(), 5)));
}
