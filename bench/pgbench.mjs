#!/usr/bin/env node
/**
 * Volley's pgbench workloads against pgbench itself, on the same throwaway PostgreSQL (test/pg.ts:
 * Debian's postgresql, fsync off, on loopback), same client count and duration, alternating.
 *
 *   npm run build && node bench/pgbench.mjs [--clients 8] [--seconds 10] [--rounds 2] [--scale 1] [--workload tpcb-like]
 *
 * pgbench: `pgbench -c C -j W -T S -b WORKLOAD` (W = Volley's worker count, 2 on this machine).
 * Volley: `volley run -u C -d Ss` of bench/scripts/volley-pgbench.mjs, pool size C / workers per worker.
 * Prints a Markdown table: tps (without initial connection time) and latency average, per run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: a } = parseArgs({
  options: {
    clients: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    scale: { type: 'string', default: '1' },
    workload: { type: 'string', default: 'tpcb-like' },
  },
});
const { startPostgres, postgresBinDir } = await import(join(ROOT, 'dist/test/pg.js'));
const bin = postgresBinDir();
if (!bin) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql)');
const pg = await startPostgres();
const url = pg.createDatabase('bench');
const workers = Math.max(1, Math.min(availableParallelism(), Number(a.clients)));
const dir = mkdtempSync(join(tmpdir(), 'volley-pgbench-'));
const cpu = (spawnSync('lscpu', { encoding: 'utf8' }).stdout.match(/Model name:\s*(.*)/) ?? [])[1] ?? 'unknown';
const rows = [];
// CPU seconds (user + system) of a command, by GNU time when present.
const hasTime = spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0;
function timed(cmd, args) {
  const cpuFile = join(dir, 'cpu');
  const r = hasTime ? spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  const cpuS = hasTime ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).reduce((s, x) => s + Number(x), 0) : NaN;
  return { ...r, cpuS };
}
try {
  const init = spawnSync(join(bin, 'pgbench'), ['-i', '-q', '-s', a.scale, url], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  for (let round = 1; round <= Number(a.rounds); round++) {
    const p = timed(join(bin, 'pgbench'), ['-c', a.clients, '-j', String(workers), '-T', a.seconds, '-b', a.workload, '-n', url]);
    if (p.status !== 0) throw new Error(`pgbench failed: ${p.stderr}`);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(p.stdout)?.[1]);
    const lat = Number(/latency average = ([\d.]+) ms/.exec(p.stdout)?.[1]);
    const conn = Number(/initial connection time = ([\d.]+) ms/.exec(p.stdout)?.[1]);
    rows.push({ tool: 'pgbench', round, tps, lat, conn, p95: NaN, cpuUs: (p.cpuS * 1e6) / (tps * Number(a.seconds)) });
    if (a.workload === 'tpcb-like') {
      const raw = timed(process.execPath, [join(ROOT, 'bench/scripts/raw-pg-tpcb.mjs'), url, a.clients, a.seconds, a.scale]);
      if (raw.status !== 0) throw new Error(`raw pg failed: ${raw.stderr}`);
      const f = JSON.parse(raw.stdout);
      rows.push({ tool: 'pg, no Volley', round, tps: f.tps, lat: f.lat, conn: NaN, p95: NaN, cpuUs: (raw.cpuS * 1e6) / (f.tps * Number(a.seconds)) });
    }
    const out = join(dir, `volley-${round}.json`);
    const v = timed(process.execPath, [join(ROOT, 'bin/volley.js'), 'run', join(ROOT, 'bench/scripts/volley-pgbench.mjs'), '-u', a.clients, '-d', `${a.seconds}s`, '--workers', String(workers), '--quiet',
      '-e', `DATABASE_URL=${url}`, '-e', `WORKLOAD=${a.workload}`, '-e', `POOL=${Math.ceil(Number(a.clients) / workers)}`, '-e', `SECONDS=${a.seconds}`, '-e', `OUT=${out}`]);
    if (v.status !== 0) throw new Error(`volley failed: ${v.stderr}${v.stdout}`);
    const f = JSON.parse(readFileSync(out, 'utf8'));
    rows.push({ tool: 'volley', round, tps: f.tpsExcludingConnections, lat: f.latencyAvgMs, conn: f.initialConnectionMs, p95: f.latencyP95Ms, statements: f.statements, cpuUs: (v.cpuS * 1e6) / (f.transactions || 1) });
  }
} finally {
  pg.stop();
}
console.log(`${a.workload}, scale ${a.scale}, ${a.clients} clients, ${a.seconds} s, ${workers} threads/workers; CPU: ${cpu}, ${availableParallelism()} cores, Node ${process.version}\n`);
console.log('| run | tool | tps (without initial connection time) | latency average | p95 | initial connection time | client CPU per transaction |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const ms = (x) => (Number.isNaN(x) ? '—' : `${x.toFixed(3)} ms`);
for (const r of rows) console.log(`| ${r.round} | ${r.tool} | ${r.tps.toFixed(0)} | ${ms(r.lat)} | ${ms(r.p95)} | ${Number.isNaN(r.conn) ? '—' : `${r.conn.toFixed(1)} ms`} | ${Number.isNaN(r.cpuUs) ? '—' : `${r.cpuUs.toFixed(0)} µs`} |`);
const last = rows.filter((r) => r.tool === 'volley').at(-1);
if (last?.statements) {
  console.log('\nVolley, last run, per statement (average, p95 ms):');
  for (const s of last.statements) console.log(`  ${s.avgMs.toFixed(3)}  ${s.p95Ms.toFixed(3)}  ${s.name}`);
}
const mean = (t) => rows.filter((r) => r.tool === t).reduce((s, r) => s + r.tps, 0) / Number(a.rounds);
console.log(`\nmean tps: pgbench ${mean('pgbench').toFixed(0)}, volley ${mean('volley').toFixed(0)} (${((100 * mean('volley')) / mean('pgbench')).toFixed(1)} %)${rows.some((r) => r.tool === 'pg, no Volley') ? `, pg without Volley ${mean('pg, no Volley').toFixed(0)}` : ''}`);
