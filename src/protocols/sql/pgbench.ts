/**
 * pgbench's built-in workloads in Volley: the same schema and initialisation (`pgbench -i -s N`,
 * server-side data generation, `-I dtGvp`), the same three scripts (tpcb-like, simple-update,
 * select-only) with the same random draws, the same statements sent in the same order on one
 * connection per transaction, and a report in pgbench's words (tps with and without the initial
 * connection time, latency average, per-statement latencies as `pgbench -r`, plus percentiles).
 */
import { VolleyError, ExitCode } from '../../errors/index.js';
import type { Database, Transaction } from './db.js';

export type PgbenchWorkload = 'tpcb-like' | 'simple-update' | 'select-only';
export const PGBENCH_WORKLOADS: readonly PgbenchWorkload[] = ['tpcb-like', 'simple-update', 'select-only'];

/** pgbench's sizes per unit of scale. */
const ACCOUNTS = 100_000;
const TELLERS = 10;

export interface InitOptions {
  /** pgbench -s. Default 1 (100 000 accounts). */
  scale?: number;
  /** Keep existing tables when they already have this scale (default true: init is idempotent). */
  reuse?: boolean;
}

/** Creates and fills pgbench's tables (as `pgbench -i -s scale`); returns the scale. Unrecorded (setup). */
export async function pgbenchInit(db: Database, opts: InitOptions = {}): Promise<number> {
  const scale = opts.scale ?? 1;
  if (!(Number.isInteger(scale) && scale > 0)) {
    throw new VolleyError('E_SQL_OPTIONS', `pgbench init: scale must be a positive integer, got ${String(scale)}`, { exitCode: ExitCode.ScriptException });
  }
  if (opts.reuse !== false) {
    const have = await existingScale(db);
    if (have === scale) return scale;
  }
  await db.exec('DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers');
  await db.exec('CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))');
  await db.exec('CREATE TABLE pgbench_tellers (tid int not null, bid int, tbalance int, filler char(84)) WITH (fillfactor=100)');
  await db.exec('CREATE TABLE pgbench_accounts (aid int not null, bid int, abalance int, filler char(84)) WITH (fillfactor=100)');
  await db.exec('CREATE TABLE pgbench_branches (bid int not null, bbalance int, filler char(88)) WITH (fillfactor=100)');
  await db.exec(`INSERT INTO pgbench_branches (bid, bbalance) SELECT bid, 0 FROM generate_series(1, ${scale}) AS bid`);
  await db.exec(`INSERT INTO pgbench_tellers (tid, bid, tbalance) SELECT tid, (tid - 1) / ${TELLERS} + 1, 0 FROM generate_series(1, ${TELLERS * scale}) AS tid`);
  await db.exec(`INSERT INTO pgbench_accounts (aid, bid, abalance, filler) SELECT aid, (aid - 1) / ${ACCOUNTS} + 1, 0, '' FROM generate_series(1, ${ACCOUNTS * scale}) AS aid`);
  await db.exec('VACUUM ANALYZE pgbench_branches, pgbench_tellers, pgbench_accounts, pgbench_history');
  await db.exec('ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid)');
  await db.exec('ALTER TABLE pgbench_tellers ADD PRIMARY KEY (tid)');
  await db.exec('ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid)');
  return scale;
}

/** The scale of the existing tables (pgbench reads it the same way), or 0 when there are none. */
export async function existingScale(db: Database): Promise<number> {
  try {
    return Number((await db.exec('SELECT count(*) AS n FROM pgbench_branches')).rows[0]?.n ?? 0);
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return 0; // undefined_table
    throw err;
  }
}

export interface RunOptions {
  /** Default: read from pgbench_branches once per thread (as pgbench does). */
  scale?: number;
  /** 'simple' (default, pgbench's -M simple: values inline) or 'prepared' (-M prepared). */
  protocol?: 'simple' | 'prepared';
}

const scales = new WeakMap<Database, Promise<number>>();

function random(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}

/** Statement names as pgbench -r lists them (its script's lines), shortened to the table touched. */
const S = {
  accountsUpdate: 'UPDATE pgbench_accounts',
  accountsSelect: 'SELECT pgbench_accounts',
  tellersUpdate: 'UPDATE pgbench_tellers',
  branchesUpdate: 'UPDATE pgbench_branches',
  historyInsert: 'INSERT pgbench_history',
};
const TAGS = Object.fromEntries(Object.entries(S).map(([k, v]) => [k, { tags: { name: v } }])) as Record<keyof typeof S, { tags: { name: string } }>;
const TAGS_P = Object.fromEntries(Object.entries(S).map(([k, v]) => [k, { tags: { name: v }, prepare: true }])) as Record<keyof typeof S, { tags: { name: string }; prepare: true }>;

/** One transaction of `workload` (one pgbench "transaction"), recorded as `sql_tx{name:<workload>}`. */
export async function pgbenchRun(db: Database, workload: PgbenchWorkload, opts: RunOptions = {}): Promise<void> {
  if (!PGBENCH_WORKLOADS.includes(workload)) {
    throw new VolleyError('E_SQL_OPTIONS', `pgbench: unknown workload "${String(workload)}" (one of ${PGBENCH_WORKLOADS.join(', ')})`, { exitCode: ExitCode.ScriptException });
  }
  let scale = opts.scale;
  if (scale === undefined) {
    let p = scales.get(db);
    if (p === undefined) scales.set(db, (p = existingScale(db)));
    scale = await p;
    if (scale === 0) {
      throw new VolleyError('E_SQL_PGBENCH_SCHEMA', `pgbench: no pgbench tables in ${db.url}`, {
        hint: 'initialise them first: `volley sql init --scale N URL`, pgbench -i, or sql.pgbench.init(db) in setup()',
        exitCode: ExitCode.ScriptException,
      });
    }
  }
  const aid = random(1, ACCOUNTS * scale);
  const bid = random(1, scale);
  const tid = random(1, TELLERS * scale);
  const delta = random(-5000, 5000);
  const prepared = opts.protocol === 'prepared';
  const t = prepared ? TAGS_P : TAGS;
  if (workload === 'select-only') {
    // pgbench -S: one statement, no transaction block.
    await (prepared
      ? db.query('SELECT abalance FROM pgbench_accounts WHERE aid = $1', [aid], t.accountsSelect)
      : db.query(`SELECT abalance FROM pgbench_accounts WHERE aid = ${aid}`, undefined, t.accountsSelect));
    return;
  }
  const q = (tx: Transaction, text: string, values: number[], o: { tags: { name: string }; prepare?: boolean }): Promise<unknown> =>
    prepared ? tx.query(text, values, o) : tx.query(text.replace(/\$(\d)/g, (_, i: string) => String(values[Number(i) - 1])), undefined, o);
  await db.transaction(
    async (tx) => {
      await q(tx, 'UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2', [delta, aid], t.accountsUpdate);
      await q(tx, 'SELECT abalance FROM pgbench_accounts WHERE aid = $1', [aid], t.accountsSelect);
      if (workload === 'tpcb-like') {
        await q(tx, 'UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2', [delta, tid], t.tellersUpdate);
        await q(tx, 'UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2', [delta, bid], t.branchesUpdate);
      }
      await q(tx, 'INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)', [tid, bid, aid, delta], t.historyInsert);
    },
    { tags: { name: workload } },
  );
}
