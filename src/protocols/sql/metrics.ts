/**
 * What the SQL protocol records, and how readers keep it. xk6-sql records no metrics of its own, so
 * the names follow k6's HTTP ones (`sql_queries` ~ `http_reqs`, `sql_query_duration` ~
 * `http_req_duration`, `sql_query_failed` ~ `http_req_failed`).
 *
 * - one query: `SQL_QUERY` (count, duration, failure, open-model corrected duration);
 * - one transaction (`db.transaction`): `SQL_TX` (count, duration, failure);
 * - one new connection: `SQL_CONNECT` (its duration; pgbench's "initial connection time");
 * - the pg_stat snapshot difference (stats.ts, once per run in teardown): `PG_STAT` gauges and
 *   counters, and `PG_STATEMENT` per top statement of pg_stat_statements.
 */
import { declareSampleGroup } from '../../metrics/group.js';
import type { MetricDeclarations } from '../../metrics/catalog.js';
import type { MetricSpec } from '../../metrics/metric.js';

const trend = (name: string): MetricSpec => ({ name, type: 'trend', contains: 'time' });
const counter = (name: string): MetricSpec => ({ name, type: 'counter', contains: 'default' });
const rate = (name: string): MetricSpec => ({ name, type: 'rate', contains: 'default' });
const gauge = (name: string): MetricSpec => ({ name, type: 'gauge', contains: 'default' });

export const SQL_METRICS = {
  sql_queries: counter('sql_queries'),
  sql_query_duration: trend('sql_query_duration'),
  sql_query_failed: rate('sql_query_failed'),
  /** Open models: the latency a client arriving on schedule would have seen (pgbench -R's "latency" vs its "lag"). */
  sql_query_corrected_duration: trend('sql_query_corrected_duration'),
  sql_txs: counter('sql_txs'),
  sql_tx_duration: trend('sql_tx_duration'),
  sql_tx_failed: rate('sql_tx_failed'),
  sql_connect_duration: trend('sql_connect_duration'),
  sql_connections: counter('sql_connections'),
  /** pg_stat_database over the run (stats.ts): shared-buffer hit ratio (0..1), as plan 001's "≥ 95 %". */
  pg_cache_hit_ratio: gauge('pg_cache_hit_ratio'),
  pg_xact_commit: counter('pg_xact_commit'),
  pg_xact_rollback: counter('pg_xact_rollback'),
  pg_deadlocks: counter('pg_deadlocks'),
  pg_temp_bytes: counter('pg_temp_bytes'),
  /** Backends connected to the database at the end, and lock waits seen then (pg_locks not granted). */
  pg_connections: gauge('pg_connections'),
  pg_lock_waits: gauge('pg_lock_waits'),
  /** pg_stat_statements over the run, per top statement (`query` tag): calls and total execution time. */
  pg_statement_calls: counter('pg_statement_calls'),
  pg_statement_time: { name: 'pg_statement_time', type: 'counter', contains: 'time' },
} as const satisfies Record<string, MetricSpec>;

const M = SQL_METRICS;

export const SQL_QUERY = declareSampleGroup('sql_query', [M.sql_queries, M.sql_query_duration, M.sql_query_failed, M.sql_query_corrected_duration]);
export const Q_COUNT = 0;
export const Q_DURATION = 1;
export const Q_FAILED = 2;
export const Q_CORRECTED = 3;

export const SQL_TX = declareSampleGroup('sql_tx', [M.sql_txs, M.sql_tx_duration, M.sql_tx_failed]);
export const T_COUNT = 0;
export const T_DURATION = 1;
export const T_FAILED = 2;

export const SQL_CONNECT = declareSampleGroup('sql_connect', [M.sql_connections, M.sql_connect_duration]);

export const PG_STAT = declareSampleGroup('pg_stat', [M.pg_cache_hit_ratio, M.pg_xact_commit, M.pg_xact_rollback, M.pg_deadlocks, M.pg_temp_bytes, M.pg_connections, M.pg_lock_waits]);
export const PG_STATEMENT = declareSampleGroup('pg_statement', [M.pg_statement_calls, M.pg_statement_time]);

export const SQL_DECLARATIONS: MetricDeclarations = {
  name: 'sql',
  metrics: Object.values(SQL_METRICS),
  breakdowns: [
    // `name`: the statement's name (tags.name, else its first words); pgbench -r per statement, with percentiles.
    { name: 'sql_statement', by: ['name'], max: 200, metrics: ['sql_queries', 'sql_query_duration', 'sql_query_failed'] },
    { name: 'sql_transaction', by: ['name'], max: 100, metrics: ['sql_txs', 'sql_tx_duration', 'sql_tx_failed'] },
    // Failures by SQLSTATE class ('40' serialization/deadlock, '23' integrity, '08' connection) and code.
    { name: 'sql_error', by: ['sqlstate_class', 'sqlstate', 'error'], max: 100, metrics: ['sql_query_failed'] },
    { name: 'pg_statement', by: ['query'], max: 50, metrics: ['pg_statement_calls', 'pg_statement_time'] },
    { name: 'scenario', metrics: ['sql_queries', 'sql_query_duration', 'sql_query_failed'] },
  ],
  // Two columns (a trend is six more); present only in runs that ran SQL.
  series: [
    { metric: 'sql_queries', as: 'per-second' },
    { metric: 'sql_query_failed', as: 'rate' },
  ],
};
