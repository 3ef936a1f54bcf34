// The floor for any Node.js client (bench/pgbench.mjs): tpcb-like written straight on `pg`, one
// Client per simulated client, no Volley. node raw-pg-tpcb.mjs URL CLIENTS SECONDS SCALE
import pg from 'pg';
const [url, C = 8, S = 10, scale = 1] = [process.argv[2], ...process.argv.slice(3).map(Number)];
const T = S * 1000;
const end = Date.now() + T; let n = 0; let lat = 0;
const r = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));
await Promise.all(Array.from({ length: C }, async () => {
  const c = new pg.Client(url); await c.connect();
  while (Date.now() < end) {
    const t0 = performance.now();
    const aid = r(1, 100000 * scale), bid = r(1, scale), tid = r(1, 10 * scale), d = r(-5000, 5000);
    await c.query('BEGIN');
    await c.query(`UPDATE pgbench_accounts SET abalance = abalance + ${d} WHERE aid = ${aid}`);
    await c.query(`SELECT abalance FROM pgbench_accounts WHERE aid = ${aid}`);
    await c.query(`UPDATE pgbench_tellers SET tbalance = tbalance + ${d} WHERE tid = ${tid}`);
    await c.query(`UPDATE pgbench_branches SET bbalance = bbalance + ${d} WHERE bid = ${bid}`);
    await c.query(`INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (${tid}, ${bid}, ${aid}, ${d}, CURRENT_TIMESTAMP)`);
    await c.query('COMMIT');
    n++; lat += performance.now() - t0;
  }
  await c.end();
}));
console.log(JSON.stringify({ tps: n / S, lat: lat / n }));
