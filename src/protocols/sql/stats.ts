/**
 * pg_stat snapshots: `db.stats()` reads pg_stat_database (this database), pg_stat_activity,
 * pg_locks and, when the extension is installed, pg_stat_statements, into plain data (structured
 * clone safe: setup() returns it, teardown() gets it back). `recordStatsDiff(before, after)` turns
 * two snapshots into the run's figures and records them as metrics, so that summaries, outputs and
 * thresholds read them like any other (`pg_cache_hit_ratio: ['value>=0.95']`, plan 001 §1.2):
 * readers never query the database.
 */
import { currentVu } from '../../vu/context.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import { PG_STAT, PG_STATEMENT } from './metrics.js';

export interface PgStatements {
  /** queryid → [normalised query, calls, total execution time ms, rows]. */
  [queryid: string]: [string, number, number, number];
}

export interface PgStatSnapshot {
  /** Epoch ms. */
  at: number;
  database: string;
  xactCommit: number;
  xactRollback: number;
  blksRead: number;
  blksHit: number;
  deadlocks: number;
  tempBytes: number;
  /** Backends connected to this database. */
  connections: number;
  /** Lock requests waiting (pg_locks, not granted). */
  lockWaits: number;
  /** null: pg_stat_statements is not installed in this database. */
  statements: PgStatements | null;
}

export interface PgStatDiff {
  seconds: number;
  /** Shared-buffer hits / (hits + reads) over the run; null when no block was read or hit. */
  cacheHitRatio: number | null;
  commits: number;
  rollbacks: number;
  deadlocks: number;
  tempBytes: number;
  connections: number;
  lockWaits: number;
  /** By total execution time over the run, largest first (null without pg_stat_statements). */
  topStatements: Array<{ query: string; calls: number; totalMs: number; meanMs: number; rows: number }> | null;
}

type Exec = (text: string) => Promise<{ rows: Array<Record<string, unknown>>; rowCount: number }>;

export async function takeStats(exec: Exec): Promise<PgStatSnapshot> {
  const d = (
    await exec(
      `SELECT current_database() AS db, xact_commit, xact_rollback, blks_read, blks_hit, deadlocks, temp_bytes,
        (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS conns,
        (SELECT count(*) FROM pg_locks WHERE NOT granted) AS waits
       FROM pg_stat_database WHERE datname = current_database()`,
    )
  ).rows[0] as Record<string, unknown> | undefined;
  let statements: PgStatements | null = null;
  const ext = await exec(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`);
  if (ext.rowCount > 0) {
    statements = {};
    const rows = await exec(
      `SELECT queryid::text AS id, query, calls, total_exec_time AS ms, rows FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 500`,
    ).catch(() => undefined); // e.g. not in shared_preload_libraries: no statements, not an error
    if (rows === undefined) statements = null;
    else for (const r of rows.rows) statements[String(r.id)] = [String(r.query), Number(r.calls), Number(r.ms), Number(r.rows)];
  }
  const n = (k: string): number => Number(d?.[k] ?? 0);
  return {
    at: Date.now(),
    database: String(d?.db ?? ''),
    xactCommit: n('xact_commit'),
    xactRollback: n('xact_rollback'),
    blksRead: n('blks_read'),
    blksHit: n('blks_hit'),
    deadlocks: n('deadlocks'),
    tempBytes: n('temp_bytes'),
    connections: n('conns'),
    lockWaits: n('waits'),
    statements,
  };
}

export function diffStats(before: PgStatSnapshot, after: PgStatSnapshot, top = 10): PgStatDiff {
  const hit = after.blksHit - before.blksHit;
  const read = after.blksRead - before.blksRead;
  let topStatements: PgStatDiff['topStatements'] = null;
  if (after.statements !== null) {
    topStatements = [];
    for (const [id, [query, calls, ms, rows]] of Object.entries(after.statements)) {
      const b = before.statements?.[id];
      const dc = calls - (b?.[1] ?? 0);
      if (dc <= 0) continue;
      const dms = ms - (b?.[2] ?? 0);
      topStatements.push({ query: query.replace(/\s+/g, ' ').trim(), calls: dc, totalMs: dms, meanMs: dms / dc, rows: rows - (b?.[3] ?? 0) });
    }
    topStatements.sort((a, b) => b.totalMs - a.totalMs);
    topStatements = topStatements.slice(0, top);
  }
  return {
    seconds: (after.at - before.at) / 1000,
    cacheHitRatio: hit + read > 0 ? hit / (hit + read) : null,
    commits: after.xactCommit - before.xactCommit,
    rollbacks: after.xactRollback - before.xactRollback,
    deadlocks: after.deadlocks - before.deadlocks,
    tempBytes: after.tempBytes - before.tempBytes,
    connections: after.connections,
    lockWaits: after.lockWaits,
    topStatements,
  };
}

const statValues = new Float64Array(PG_STAT.metrics.length);
const stmtValues = new Float64Array(PG_STATEMENT.metrics.length);

/** Records a diff as the pg_* metrics (call it once, from teardown). */
export function recordStatsDiff(diff: PgStatDiff): void {
  const vu = currentVu('recordStats()');
  statValues[0] = diff.cacheHitRatio ?? NO_SAMPLE;
  statValues[1] = diff.commits;
  statValues[2] = diff.rollbacks;
  statValues[3] = diff.deadlocks;
  statValues[4] = diff.tempBytes;
  statValues[5] = diff.connections;
  statValues[6] = diff.lockWaits;
  vu.recorder.record(PG_STAT, vu.tags, statValues);
  const cache = vu.recorder.tagSets;
  for (const s of diff.topStatements ?? []) {
    stmtValues[0] = s.calls;
    stmtValues[1] = s.totalMs;
    vu.recorder.record(PG_STATEMENT, cache.with1(vu.tags, 'query', s.query.length > 100 ? `${s.query.slice(0, 100)}…` : s.query), stmtValues);
  }
}

/** The diff as a few lines of text (teardown's console, handleSummary). */
export function formatStatsDiff(d: PgStatDiff): string {
  const lines = [
    `pg_stat over ${d.seconds.toFixed(1)} s: cache hit ratio ${d.cacheHitRatio === null ? 'n/a' : `${(d.cacheHitRatio * 100).toFixed(2)} %`}, ` +
      `${d.commits} commits, ${d.rollbacks} rollbacks, ${d.deadlocks} deadlocks, ${d.connections} connections, ${d.lockWaits} lock waits at the end`,
  ];
  if (d.topStatements === null) lines.push('  (pg_stat_statements not installed: CREATE EXTENSION pg_stat_statements for top queries)');
  else for (const s of d.topStatements) lines.push(`  ${s.totalMs.toFixed(1).padStart(10)} ms ${String(s.calls).padStart(8)} calls ${s.meanMs.toFixed(3).padStart(9)} ms/call  ${s.query.slice(0, 90)}`);
  return lines.join('\n');
}
