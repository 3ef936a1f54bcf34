#!/usr/bin/env node
/**
 * Heap bytes per sleeping user: Locust-style workflow users (`executor: 'users'`) against plain VUs,
 * at `--small` and `--large` users, one worker thread, no network. Per user = (heap at large − heap
 * at small) ÷ (large − small), the heap read after a GC in the worker (`--expose-gc`) at the end of the run.
 *
 *   npm run build && node bench/user-memory.mjs [--small 100] [--large 10000] [--seconds 6]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: a } = parseArgs({ options: { small: { type: 'string', default: '100' }, large: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '6' } } });
const dir = mkdtempSync(join(tmpdir(), 'volley-usermem-'));
const cpu = (spawnSync('lscpu', { encoding: 'utf8' }).stdout.match(/Model name:\s*(.*)/) ?? [])[1] ?? 'unknown';

function heapAt(kind, users) {
  const out = join(dir, `${kind}-${users}.json`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(ROOT, 'bin/volley.js'), 'run', join(ROOT, 'bench/scripts/volley-user-memory.mjs'), '--workers', '1', '--quiet', '--no-summary',
    '--summary-export', out, '-e', `USERS=${users}`, '-e', `KIND=${kind}`, '-e', `DURATION=${a.seconds}s`], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--expose-gc' } });
  if (r.status !== 0) throw new Error(`${kind} ${users}: ${r.stderr}${r.stdout}`);
  const s = JSON.parse(readFileSync(out, 'utf8'));
  return { heap: s.metrics.bench_heap_used?.values?.value ?? NaN, iterations: s.metrics.iterations?.values?.count ?? 0 };
}

console.log(`CPU: ${cpu}; Node ${process.version}; ${a.small} and ${a.large} users, ${a.seconds} s each, 1 worker\n`);
console.log('| kind | heap at small | heap at large | bytes per user |');
console.log('| --- | --- | --- | --- |');
for (const kind of ['vu', 'workflow']) {
  const s = heapAt(kind, Number(a.small));
  const l = heapAt(kind, Number(a.large));
  const per = (l.heap - s.heap) / (Number(a.large) - Number(a.small));
  console.log(`| ${kind === 'vu' ? 'VU (constant-vus, sleep(1))' : "workflow user (executor: 'users', constant(1))"} | ${(s.heap / 1048576).toFixed(1)} MiB | ${(l.heap / 1048576).toFixed(1)} MiB | ${per.toFixed(0)} B |`);
}
