// What `volley merge` costs: wall time and peak RSS (GNU time) to merge N runners' part files.
// One real runner part is recorded first (a 3 s run against a loopback server, 24 routes, checks,
// 2 scenarios, a threshold sub-metric), then copied N times with the segments i/N:(i+1)/N, so
// every merge reads N parts of the same size as a real runner's. Needs /usr/bin/time (apt-get
// install time). Run: npm run build && node bench/merge.mjs [N ...]   (default 2 8 32 128)
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'volley.js');
const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const NS = counts.length > 0 ? counts : [2, 8, 32, 128];

const server = createServer((req, res) => res.end('{"ok":true}'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const dir = mkdtempSync(join(tmpdir(), 'volley-merge-bench-'));
writeFileSync(join(dir, 'test.js'), `
import http from 'volley/http';
import { check } from 'volley';
export const options = {
  scenarios: {
    browse: { executor: 'constant-vus', vus: 8, duration: '3s', exec: 'browse' },
    api: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '3s', preAllocatedVUs: 10, maxVUs: 20, exec: 'api' },
  },
  thresholds: { 'http_req_duration{scenario:api}': ['p(99)<500'], checks: ['rate>0.99'] },
};
export async function browse() {
  const r = await http.get(__ENV.BASE + '/page', { tags: { name: 'GET /page/' + (__ITER % 20) } });
  check(r, { 'page 200': (x) => x.status === 200 });
}
export async function api() {
  const r = await http.get(__ENV.BASE + '/api', { tags: { name: 'GET /api/' + (__ITER % 4) } });
  check(r, { 'api 200': (x) => x.status === 200, 'api json': (x) => x.body.length > 0 });
}
`);

function run(args) {
  return new Promise((res) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code) => res({ code, err }));
  });
}

const seed = join(dir, 'seed.json');
const r = await run(['run', join(dir, 'test.js'), '-e', `BASE=${base}`, '--quiet', '--no-summary', '--execution-segment', '0:1/2', '--summary-export', seed]);
server.close();
if (r.code !== 0) throw new Error(`runner failed (${r.code}): ${r.err}`);
const part = JSON.parse(readFileSync(seed, 'utf8'));
const reqs = part.metrics.http_reqs.values.count;
console.log(`one part: ${(statSync(seed).size / 1024).toFixed(0)} KB, ${part.volley.part.aggregates.length} aggregates, ${reqs} requests`);
console.log(`cpu: ${cpus()[0].model} (${cpus().length} cores), node ${process.version}`);
console.log('| runners | part files | merge wall time | peak RSS |');
console.log('| ---: | ---: | ---: | ---: |');
for (const n of NS) {
  const files = [];
  for (let i = 0; i < n; i++) {
    part.volley.part.segment = `${i}/${n}:${i + 1}/${n}`;
    const f = join(dir, `part-${n}-${i}.json`);
    writeFileSync(f, JSON.stringify(part));
    files.push(f);
  }
  const t = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, BIN, 'merge', ...files, '-o', join(dir, `merged-${n}.json`), '-q'], { encoding: 'utf8' });
  const last = t.stderr.trim().split('\n').at(-1).split(' ');
  const mb = (n * statSync(files[0]).size) / 1e6;
  console.log(`| ${n} | ${mb.toFixed(1)} MB | ${Number(last[0]).toFixed(2)} s | ${(Number(last[1]) / 1024).toFixed(0)} MB |`);
}
