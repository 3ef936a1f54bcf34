// pgbench's built-in workload from Volley (bench/pgbench.mjs): one transaction per iteration.
import sql from 'volley/sql';
const WORKLOAD = __ENV.WORKLOAD || 'tpcb-like';
const db = sql.open(__ENV.DATABASE_URL, { max: Number(__ENV.POOL || 10) });
export default async function () {
  await sql.pgbench.run(db, WORKLOAD);
}
export function handleSummary(data) {
  return { [__ENV.OUT]: JSON.stringify(sql.pgbench.figures(data, { workload: WORKLOAD, durationS: Number(__ENV.SECONDS) })) };
}
