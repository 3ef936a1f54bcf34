/**
 * `volley/sql`: PostgreSQL queries and transactions as Volley metrics, pgbench's workloads, and
 * pg_stat snapshots. See docs/sql.md.
 *
 *   import sql from 'volley/sql';
 *   const db = sql.open(__ENV.DATABASE_URL);
 */
export { default } from '../protocols/sql/module.js';
export * from '../protocols/sql/module.js';
