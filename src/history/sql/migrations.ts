import type { Dialect, SqlDb } from './db.js';

/**
 * Versioned schema migrations, one entry per version, never edited once released: a change is a
 * new version. Each is applied in its own transaction together with its row in
 * `schema_migrations`, under a lock (SQLite: the write lock of BEGIN IMMEDIATE; PostgreSQL: an
 * advisory lock), so two processes opening a fresh store at once migrate it once.
 */
export interface Migration {
  version: number;
  description: string;
  sql: Record<Dialect, string>;
}

const common = (id: string, blob: string, bool: string): string => `
CREATE TABLE runs (
  id ${id},
  started_at BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  test TEXT NOT NULL,
  script_hash TEXT NOT NULL,
  options_hash TEXT NOT NULL,
  git_commit TEXT,
  git_branch TEXT,
  git_dirty ${bool},
  volley_version TEXT NOT NULL,
  machine TEXT NOT NULL,
  passed ${bool} NOT NULL,
  exit_code INTEGER NOT NULL,
  key_metrics TEXT NOT NULL
);
CREATE INDEX runs_test_id ON runs (test, id);
CREATE INDEX runs_branch_id ON runs (git_branch, id);
CREATE TABLE run_labels (
  run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE INDEX run_labels_kv ON run_labels (key, value, run_id);
CREATE TABLE run_data (
  run_id BIGINT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  summary ${blob} NOT NULL,
  series ${blob} NOT NULL,
  histograms TEXT NOT NULL
)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, labels, run data (summary, per-second series, encoded histograms)',
    sql: {
      sqlite: common('INTEGER PRIMARY KEY AUTOINCREMENT', 'BLOB', 'INTEGER'),
      postgres: common('BIGSERIAL PRIMARY KEY', 'BYTEA', 'SMALLINT'),
    },
  },
];

/** Applies the migrations the store lacks; returns the schema version. Refuses a newer store. */
export async function migrate(db: SqlDb, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  const latest = migrations.at(-1)?.version ?? 0;
  for (;;) {
    const applied = await db.transaction(async (tx) => {
      if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(7270011)');
      await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const [row] = await tx.all<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
      const current = Number(row?.v ?? 0);
      if (current > latest) return { current, done: true, tooNew: true };
      const next = migrations.find((m) => m.version === current + 1);
      if (!next) return { current, done: true, tooNew: false };
      for (const stmt of next.sql[tx.dialect].split(';').map((s) => s.trim()).filter(Boolean)) await tx.run(stmt);
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [next.version, Date.now()]);
      return { current: next.version, done: next.version === latest, tooNew: false };
    });
    if (applied.tooNew) throw new StoreTooNewError(applied.current, latest);
    if (applied.done) return applied.current;
  }
}

export class StoreTooNewError extends Error {
  constructor(
    readonly storeVersion: number,
    readonly knownVersion: number,
  ) {
    super(`store schema version ${storeVersion} is newer than this Volley knows (${knownVersion})`);
  }
}
