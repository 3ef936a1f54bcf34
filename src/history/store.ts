import { decodeSummary, encodeSeries, encodeSummary } from './codec.js';
import type { SqlDb, SqlRunner, SqlValue } from './sql/db.js';
import { migrate } from './sql/migrations.js';
import type { KeyMetrics, RunFilter, RunIdentity, RunInfo, StoredRun } from './types.js';
import type { SummaryData } from '../summary/types.js';
import { keyMetricsOf } from './identity.js';

interface RunRow {
  id: number;
  started_at: number;
  duration_ms: number;
  test: string;
  script_hash: string;
  options_hash: string;
  git_commit: string | null;
  git_branch: string | null;
  git_dirty: number | null;
  volley_version: string;
  machine: string;
  passed: number;
  exit_code: number;
  key_metrics: string;
}

const RUN_COLUMNS = 'id, started_at, duration_ms, test, script_hash, options_hash, git_commit, git_branch, git_dirty, volley_version, machine, passed, exit_code, key_metrics';

/**
 * The run store: saves finished runs and reads them back, on SQLite or PostgreSQL (sql/db.ts).
 * A save is one transaction (run row, labels, data), so a store never holds half a run; ids come
 * from the database, so concurrent savers never collide.
 */
export class RunStore {
  private constructor(readonly db: SqlDb) {}

  /** Opens a store on a connected database, migrating its schema to the current version. */
  static async open(db: SqlDb): Promise<RunStore> {
    await migrate(db);
    return new RunStore(db);
  }

  get description(): string {
    return this.db.description;
  }

  /** Saves a finished run; returns its id. */
  async save(summary: SummaryData, identity: RunIdentity): Promise<number> {
    const startedAt = Date.parse(summary.volley.startTime);
    const km = keyMetricsOf(summary);
    const summaryBlob = encodeSummary(summary);
    const seriesBlob = encodeSeries(summary.volley.timeSeries);
    const histograms = JSON.stringify(summary.volley.histograms ?? {});
    const g = identity.git;
    return this.db.transaction(async (tx) => {
      const [row] = await tx.all<{ id: number }>(
        `INSERT INTO runs (started_at, duration_ms, test, script_hash, options_hash, git_commit, git_branch, git_dirty, volley_version, machine, passed, exit_code, key_metrics)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [
          Number.isFinite(startedAt) ? startedAt : Date.now(),
          Math.round(summary.state.testRunDurationMs),
          identity.test,
          identity.scriptHash,
          identity.optionsHash,
          g?.commit ?? null,
          g?.branch ?? null,
          g ? (g.dirty ? 1 : 0) : null,
          identity.version,
          JSON.stringify(identity.machine),
          summary.volley.verdict.exitCode === 0 ? 1 : 0,
          summary.volley.verdict.exitCode,
          JSON.stringify(km),
        ],
      );
      const id = Number(row!.id);
      for (const [k, v] of Object.entries(identity.labels)) await tx.run('INSERT INTO run_labels (run_id, key, value) VALUES (?, ?, ?)', [id, k, v]);
      await tx.run('INSERT INTO run_data (run_id, summary, series, histograms) VALUES (?, ?, ?, ?)', [id, summaryBlob, seriesBlob, histograms]);
      return id;
    });
  }

  /** Runs matching `filter`, newest first. */
  async list(filter: RunFilter = {}): Promise<RunInfo[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.test !== undefined) (where.push('test = ?'), params.push(filter.test));
    if (filter.branch !== undefined) (where.push('git_branch = ?'), params.push(filter.branch));
    if (filter.passed !== undefined) (where.push('passed = ?'), params.push(filter.passed ? 1 : 0));
    if (filter.beforeId !== undefined) (where.push('id < ?'), params.push(filter.beforeId));
    for (const [k, v] of Object.entries(filter.labels ?? {})) {
      where.push('id IN (SELECT run_id FROM run_labels WHERE key = ? AND value = ?)');
      params.push(k, v);
    }
    params.push(filter.limit ?? 50);
    const rows = await this.db.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, params);
    return this.withLabels(this.db, rows);
  }

  /** One run with its summary, or undefined. `series: false` skips the per-second series (trends). */
  async get(id: number, opts: { series?: boolean } = {}): Promise<StoredRun | undefined> {
    const rows = await this.db.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`, [id]);
    if (rows.length === 0) return undefined;
    const [info] = await this.withLabels(this.db, rows);
    const withSeries = opts.series !== false;
    const [data] = await this.db.all<{ summary: Buffer; series: Buffer | null; histograms: string }>(`SELECT summary, ${withSeries ? 'series' : 'NULL AS series'}, histograms FROM run_data WHERE run_id = ?`, [id]);
    if (!info || !data) return undefined;
    return { ...info, summary: decodeSummary(Buffer.from(data.summary), data.series ? Buffer.from(data.series) : undefined, data.histograms) };
  }

  /** Number of stored runs. */
  async count(): Promise<number> {
    const [r] = await this.db.all<{ n: number }>('SELECT COUNT(*) AS n FROM runs');
    return Number(r?.n ?? 0);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private async withLabels(db: SqlRunner, rows: RunRow[]): Promise<RunInfo[]> {
    const labels = new Map<number, Record<string, string>>();
    if (rows.length > 0) {
      const ids = rows.map((r) => Number(r.id));
      const ls = await db.all<{ run_id: number; key: string; value: string }>(`SELECT run_id, key, value FROM run_labels WHERE run_id IN (${ids.map(() => '?').join(',')})`, ids);
      for (const l of ls) {
        const id = Number(l.run_id);
        const o = labels.get(id) ?? {};
        o[l.key] = l.value;
        labels.set(id, o);
      }
    }
    return rows.map((r) => toInfo(r, labels.get(Number(r.id)) ?? {}));
  }
}

function toInfo(r: RunRow, labels: Record<string, string>): RunInfo {
  return {
    id: Number(r.id),
    startedAt: Number(r.started_at),
    durationMs: Number(r.duration_ms),
    identity: {
      test: r.test,
      scriptHash: r.script_hash,
      optionsHash: r.options_hash,
      git: r.git_commit ? { commit: r.git_commit, branch: r.git_branch ?? 'HEAD', dirty: Number(r.git_dirty) === 1 } : undefined,
      labels,
      version: r.volley_version,
      machine: JSON.parse(r.machine) as RunIdentity['machine'],
    },
    passed: Number(r.passed) === 1,
    exitCode: Number(r.exit_code),
    keyMetrics: JSON.parse(r.key_metrics) as KeyMetrics,
  };
}
