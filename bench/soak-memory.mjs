#!/usr/bin/env node
/**
 * Volley's own memory over a long soak (issue 13: "Volley's own memory stays flat however long the
 * run"): `volley run` at a constant arrival rate against `volley target` (a separate process, on
 * loopback), the RSS of the Volley process (main thread and workers are one process) sampled from
 * /proc every 10 s. Prints the samples' summary: RSS after warm-up, at the end, the least-squares
 * slope after the first 5 minutes (MB per hour) and the peak.
 *
 *   npm run build && node bench/soak-memory.mjs [--minutes 60] [--rate 1000]
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: a } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, rate: { type: 'string', default: '1000' } } });
const minutes = Number(a.minutes);
const cpu = (spawnSync('lscpu', { encoding: 'utf8' }).stdout.match(/Model name:\s*(.*)/) ?? [])[1] ?? 'unknown';
const rssMb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  } catch {
    return NaN;
  }
};

const target = spawn(process.execPath, [join(ROOT, 'bin/volley.js'), 'target', '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  target.stdout.on('data', (d) => {
    out += d;
    const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
    if (m) resolve(m[0]);
  });
  target.on('exit', () => reject(new Error(`target exited: ${out}`)));
  setTimeout(() => reject(new Error(`target did not start: ${out}`)), 15_000);
});
console.log(`CPU: ${cpu}; Node ${process.version}; ${a.rate} req/s for ${minutes} min against ${url}; load average at start ${loadavg()[0].toFixed(2)}`);
const run = spawn(process.execPath, [join(ROOT, 'bin/volley.js'), 'run', join(ROOT, 'bench/scripts/volley-soak.mjs'), '--quiet', '--workers', '1', '-e', `BASE_URL=${url}`, '-e', `RATE=${a.rate}`, '-e', `DURATION=${minutes}m`], { stdio: ['ignore', 'pipe', 'pipe'] });
let summary = '';
run.stdout.on('data', (d) => (summary += d));
run.stderr.on('data', (d) => (summary += d));
const t0 = Date.now();
const samples = [];
const timer = setInterval(() => samples.push([(Date.now() - t0) / 60_000, rssMb(run.pid)]), 10_000);
const code = await new Promise((r) => run.on('exit', r));
clearInterval(timer);
target.kill('SIGTERM');
const ok = samples.filter(([, v]) => Number.isFinite(v));
const after = ok.filter(([m]) => m >= 5);
const n = after.length;
const mx = after.reduce((s, [m]) => s + m, 0) / n;
const my = after.reduce((s, [, v]) => s + v, 0) / n;
const slope = after.reduce((s, [m, v]) => s + (m - mx) * (v - my), 0) / after.reduce((s, [m]) => s + (m - mx) ** 2, 0);
const at = (min) => ok.reduce((best, s) => (Math.abs(s[0] - min) < Math.abs(best[0] - min) ? s : best), ok[0]);
console.log(`exit ${code}; ${ok.length} RSS samples`);
console.log(`RSS at 1 min ${at(1)[1].toFixed(1)} MB, 5 min ${at(5)[1].toFixed(1)} MB, ${Math.round(minutes / 2)} min ${at(minutes / 2)[1].toFixed(1)} MB, end ${ok[ok.length - 1][1].toFixed(1)} MB, peak ${Math.max(...ok.map(([, v]) => v)).toFixed(1)} MB`);
console.log(`slope after 5 min: ${(slope * 60).toFixed(2)} MB/h; load average at end ${loadavg()[0].toFixed(2)}`);
console.log(summary.split('\n').filter((l) => /http_reqs|http_req_duration\.|PASSED|FAILED|dropped/.test(l)).join('\n'));
