/**
 * Distributed runs for real: N `volley run --execution-segment` processes on loopback, started
 * together with --start-at, merged with `volley merge`, equal one process's totals exactly; the
 * merged percentiles equal the sum of the runners' HDR histograms bit for bit; a runner stopped
 * from outside still merges (marked incomplete); bad inputs are refused with exit 104.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { runVolley, startTestServer, writeScript, type TestServer } from './helpers.js';
import type { SummaryData } from '../src/summary/types.js';

let server: TestServer;
/** VU id → the segments that used it (each id must belong to one runner). */
const vuOwners = new Map<string, Set<string>>();

before(async () => {
  server = await startTestServer((req) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const vu = u.searchParams.get('vu');
    if (vu) {
      const set = vuOwners.get(vu) ?? new Set<string>();
      set.add(u.searchParams.get('seg') ?? '');
      vuOwners.set(vu, set);
    }
    return false;
  });
});
after(() => server.close());

const SCRIPT = `
import http from 'volley/http';
import exec from 'volley/execution';
import { check } from 'volley';
export const options = {
  scenarios: {
    shared: { executor: 'shared-iterations', vus: 5, iterations: 67, exec: 'shared' },
    pervu: { executor: 'per-vu-iterations', vus: 4, iterations: 5, exec: 'pervu' },
    open: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '1500ms', preAllocatedVUs: 30, maxVUs: 30, exec: 'open' },
  },
  thresholds: {
    'http_req_duration{scenario:open}': ['p(95)<2000'],
    'iterations{scenario:shared}': ['count==67'],
    checks: ['rate==1'],
  },
};
async function get(name) {
  const r = await http.get(__ENV.BASE + '/ok?vu=' + exec.vu.idInTest + '&seg=' + (__ENV.SEG ?? 'all'), { tags: { name } });
  check(r, { ok: (x) => x.status === 200 });
}
export async function shared() { await get('shared'); }
export async function pervu() { await get('pervu'); }
export async function open() { await get('open'); }
`;

const SEGMENTS = ['0:1/3', '1/3:2/3', '2/3:1'];

function read(file: string): SummaryData {
  return JSON.parse(readFileSync(file, 'utf8')) as SummaryData;
}
const scenario = (d: SummaryData, name: string) => d.volley.scenarios.find((s) => s.name === name)!;

test('three segments started together and merged equal one run: iterations, requests, VUs, thresholds; percentiles bit for bit', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-dist-'));
  const script = writeScript(SCRIPT);
  const base = ['-e', `BASE=${server.url}`, '--quiet', '--no-summary'];

  const single = await runVolley(['run', script, ...base, '-e', 'SEG=all', '--summary-export', join(dir, 'single.json')]);
  assert.equal(single.code, 0, single.stderr + JSON.stringify(read(join(dir, 'single.json')).volley.thresholds));
  const singleReqs = server.total();
  vuOwners.clear();

  const parts = SEGMENTS.map((_, i) => join(dir, `part${i}.json`));
  const runs = await Promise.all(
    SEGMENTS.map((seg, i) =>
      runVolley(['run', script, ...base, '-e', `SEG=${seg}`, '--execution-segment', seg, '--execution-segment-sequence', '0,1/3,2/3,1', '--start-at', '+6s', '--summary-export', parts[i]!]),
    ),
  );
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const runnersReqs = server.total() - singleReqs;

  const merged = join(dir, 'merged.json');
  const m = await runVolley(['merge', ...parts, '-o', merged, '--report', join(dir, 'r.html'), '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 'm.md')]);
  assert.equal(m.code, 0, m.stderr + m.stdout);
  assert.match(m.stdout, /checks/);
  const one = read(join(dir, 'single.json'));
  const all = read(merged);
  for (const name of ['shared', 'pervu']) {
    assert.equal(scenario(all, name).iterations, scenario(one, name).iterations, `${name} iterations`);
    assert.equal(scenario(all, name).vusMax, scenario(one, name).vusMax, `${name} VUs`);
  }
  // VUs: the runners' add up (vus_max exactly; the peak of vus is at least any one runner's, at most their sum).
  const gauge = (d: ReturnType<typeof read>, m: string) => d.metrics[m]!.values.max!;
  assert.equal(gauge(all, 'vus_max'), parts.reduce((s, p) => s + gauge(read(p), 'vus_max'), 0));
  assert.ok(gauge(all, 'vus') >= Math.max(...parts.map((p) => gauge(read(p), 'vus'))));
  assert.ok(gauge(all, 'vus') <= parts.reduce((s, p) => s + gauge(read(p), 'vus'), 0));
  assert.equal(scenario(all, 'shared').iterations, 67);
  assert.equal(scenario(all, 'pervu').iterations, 20);
  // The open model's arrivals: exactly the schedule's 60, each started or (on a loaded machine) dropped.
  const open = scenario(all, 'open');
  assert.equal(open.iterations + open.droppedIterations, 60);
  assert.equal(scenario(one, 'open').iterations + scenario(one, 'open').droppedIterations, 60);
  // One request per iteration: the merged count is what the server saw from the runners.
  assert.equal(all.metrics.http_reqs!.values.count, runnersReqs);
  assert.equal(all.metrics.http_reqs!.values.count, 67 + 20 + open.iterations);
  assert.equal(one.metrics.http_reqs!.values.count, singleReqs);
  if (open.droppedIterations === 0 && scenario(one, 'open').droppedIterations === 0) assert.equal(runnersReqs, singleReqs);
  assert.equal(all.metrics.checks!.values.passes, all.metrics.http_reqs!.values.count);
  assert.deepEqual(all.volley.thresholds.map((t) => [t.metric, t.ok]), one.volley.thresholds.map((t) => [t.metric, t.ok]));
  assert.equal(all.metrics['iterations{scenario:shared}']!.values.count, 67);
  for (const f of ['r.html', 'j.xml', 'm.md']) assert.ok(readFileSync(join(dir, f), 'utf8').length > 100, f);

  // VU ids: unique across the whole test (no id used by two runners), as many as the VUs.
  for (const [id, segs] of vuOwners) assert.equal(segs.size, 1, `VU id ${id} used by ${[...segs].join(' and ')}`);
  assert.ok(vuOwners.size >= 5 + 4 + 1 && vuOwners.size <= 5 + 4 + 30, `${vuOwners.size} VU ids`);

  // Percentiles: the sum of the runners' histograms, decoded independently, gives the merged values exactly.
  const sum = hdr.build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let max = 0;
  for (const p of parts) {
    const a = read(p).volley.part!.aggregates.find((x) => x.metric === 'http_req_duration' && x.part === 'total')!;
    sum.add(hdr.decodeFromCompressedBase64(a.trend!.hdr, 32, false));
    max = Math.max(max, a.trend!.max);
  }
  for (const [stat, p] of [['p(90)', 90], ['p(95)', 95], ['p(99)', 99]] as const) {
    assert.equal(all.metrics.http_req_duration!.values[stat], Math.min(sum.getValueAtPercentile(p) / 1000, max), stat);
  }

  // Start skew: measured by every runner, reported per runner and in the merge.
  for (const p of parts) assert.equal(typeof read(p).volley.part!.startSkewMs, 'number');
  assert.equal(all.volley.merged!.length, 3);
});

test('a runner stopped from outside still merges; the merge is marked incomplete and names it', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-dist-'));
  const script = writeScript(`
import http from 'volley/http';
export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '8s' } } };
export default async function () { await http.get(__ENV.BASE + '/run-' + __ENV.WHO); }
`);
  const base = ['-e', `BASE=${server.url}`, '--quiet', '--no-summary', '--execution-segment-sequence', '0,1/2,1'];
  const a = runVolley(['run', script, ...base, '-e', 'WHO=a', '--execution-segment', '0:1/2', '--summary-export', join(dir, 'a.json')]);
  let pid = 0;
  const b = runVolley(['run', script, ...base, '-e', 'WHO=b', '--execution-segment', '1/2:1', '--summary-export', join(dir, 'b.json')], { onSpawn: (p) => (pid = p) });
  // Stop it from outside once it has run a little.
  for (let i = 0; i < 600 && (server.counts.get('/run-b') ?? 0) < 20; i++) await new Promise((r) => setTimeout(r, 50));
  process.kill(pid, 'SIGINT');
  const br = await b;
  assert.notEqual(br.code, 0);
  assert.equal((await a).code, 0);
  const m = await runVolley(['merge', join(dir, 'a.json'), join(dir, 'b.json'), '-o', join(dir, 'm.json'), '-q']);
  assert.equal(m.code, 105, m.stderr);
  assert.match(m.stderr, /incomplete: .*b\.json did not finish/);
  const d = read(join(dir, 'm.json'));
  assert.equal(d.metrics.http_reqs!.values.count, read(join(dir, 'a.json')).metrics.http_reqs!.values.count + read(join(dir, 'b.json')).metrics.http_reqs!.values.count);
});

test('bad inputs: overlapping or missing segments, another script, a summary without histograms, a start time in the past → exit 104 naming the file', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-dist-'));
  const src = (n: number) => `export const options = { iterations: ${n} };\nexport default function () {}\n`;
  const s1 = writeScript(src(3));
  const s2 = writeScript(src(4));
  const run = (script: string, seg: string, out: string) => runVolley(['run', script, '--quiet', '--no-summary', '--execution-segment', seg, '--summary-export', join(dir, out)]);
  for (const [s, seg, out] of [[s1, '0:1/2', 'a.json'], [s1, '1/2:1', 'b.json'], [s2, '1/2:1', 'c.json']] as const) assert.equal((await run(s, seg, out)).code, 0);
  const merge = (...files: string[]) => runVolley(['merge', ...files.map((f) => join(dir, f)), '-o', join(dir, 'm.json'), '-q']);

  let r = await merge('a.json', 'a.json', 'b.json');
  assert.equal(r.code, 104);
  assert.match(r.stderr, /a\.json \(segment 0:1\/2\) overlaps/);
  r = await merge('b.json');
  assert.equal(r.code, 104);
  assert.match(r.stderr, /gap before .*b\.json/);
  r = await merge('a.json', 'c.json');
  assert.equal(r.code, 104);
  assert.match(r.stderr, /c\.json comes from another script/);
  writeFileSync(join(dir, 'k6.json'), JSON.stringify({ metrics: { http_reqs: { type: 'counter', values: { count: 1 } } }, root_group: {} }));
  r = await merge('a.json', 'k6.json');
  assert.equal(r.code, 104);
  assert.match(r.stderr, /k6\.json has no histograms to merge/);
  assert.equal((await merge('a.json', 'b.json')).code, 0);

  r = await runVolley(['run', s1, '--quiet', '--start-at', '2020-01-01T00:00:00Z']);
  assert.equal(r.code, 104);
  assert.match(r.stderr, /already past/);
  r = await runVolley(['run', s1, '--quiet', '--execution-segment', '2/3:1/3']);
  assert.equal(r.code, 104);
  assert.match(r.stderr, /--execution-segment.*empty/);
});

test('JOB_COMPLETION_INDEX with VOLLEY_SEGMENTS runs that index\'s segment, as a Kubernetes Indexed Job pod would', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-dist-'));
  const s = writeScript(`export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 4, iterations: 40 } } };\nexport default function () {}\n`);
  const runs = await Promise.all([0, 1, 2, 3].map((i) => runVolley(['run', s, '--quiet', '--no-summary', '--summary-export', join(dir, `p${i}.json`)], { env: { JOB_COMPLETION_INDEX: String(i), VOLLEY_SEGMENTS: '4' } })));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([0, 1, 2, 3].map((i) => read(join(dir, `p${i}.json`)).volley.part!.segment), ['0:1/4', '1/4:1/2', '1/2:3/4', '3/4:1']);
  assert.deepEqual([0, 1, 2, 3].map((i) => read(join(dir, `p${i}.json`)).metrics.iterations!.values.count), [10, 10, 10, 10]);
  const m = await runVolley(['merge', ...[0, 1, 2, 3].map((i) => join(dir, `p${i}.json`)), '-o', join(dir, 'm.json'), '-q']);
  assert.equal(m.code, 0, m.stderr);
  assert.equal(read(join(dir, 'm.json')).metrics.iterations!.values.count, 40);
});

test('seed: plan 003\'s 100K users and "P99 < 100 ms under 10K RPS" as 2 segments against volley target, merged and gated, watched live by volley aggregate', { timeout: 180_000 }, async () => {
  const { startTarget } = await import('../src/target/index.js');
  const { startAggregate } = await import('../src/cli/aggregate/command.js');
  const target = await startTarget({ port: 0 });
  const agg = await startAggregate({ listen: '127.0.0.1:0', runners: 2, quiet: true });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'volley-dist-'));
    const seed = join('examples', 'seeds', '003-acceptance-distributed.ts');
    const env = ['-e', `BASE_URL=${target.url}`, '-e', 'SCALE=0.0002', '--quiet', '--no-summary', '--execution-segment-sequence', '0,1/2,1', '--start-at', '+8s', '--aggregate', agg.url];
    const runs = await Promise.all(['0:1/2', '1/2:1'].map((seg, i) => runVolley(['run', seed, ...env, '--execution-segment', seg, '--summary-export', join(dir, `p${i}.json`)])));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const m = await runVolley(['merge', join(dir, 'p0.json'), join(dir, 'p1.json'), '-o', join(dir, 'm.json'), '--markdown', join(dir, 'm.md')]);
    const d = read(join(dir, 'm.json'));
    assert.equal(scenario(d, 'users').vusMax, 20);
    const open = scenario(d, 'assignment_rps');
    assert.equal(open.iterations + open.droppedIterations, 2);
    assert.equal(d.volley.thresholds.length, 3);
    // Errors and checks must pass; the p99 < 100 ms verdict is the merged histogram's (on a machine
    // overloaded by other jobs it can exceed 100 ms: then the merge must exit 99, as one run would).
    const [p99, failed, checks] = d.volley.thresholds;
    assert.ok(failed!.ok && checks!.ok, JSON.stringify(d.volley.thresholds));
    assert.equal(p99!.ok, p99!.value! < Number(/<(\d+)/.exec(p99!.expr)![1]));
    assert.equal(m.code, p99!.ok ? 0 : 99, m.stderr + m.stdout);
    // The live aggregate saw the runners' last pushes: its verdict is the merge's.
    assert.equal(await Promise.race([agg.finished, new Promise((r) => setTimeout(r, 20_000, 'still waiting after 20 s'))]), m.code);
  } finally {
    agg.stop();
    await target.close();
  }
});
