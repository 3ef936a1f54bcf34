/**
 * Run history end to end, as a user runs it: `volley run --save`, `runs`, `compare`, `trend`,
 * and the regression gate, against `volley target` with a latency model. An unchanged target run
 * several times never trips the gate; the same target 20 % slower does (exit 98).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';
import { startPostgres, type PgServer } from './pg.js';

type Target = Awaited<ReturnType<typeof startTarget>>;

const SCRIPT = `import http from 'volley/http';
export const options = {
  scenarios: { api: { executor: 'constant-arrival-rate', rate: 30, timeUnit: '1s', duration: __ENV.DUR || '6s', preAllocatedVUs: 30 } },
};
export default async function () {
  await http.get(__ENV.BASE_URL + '/api/items', { tags: { name: 'GET /api/items' } });
}
`;

let fast: Target;
let slow: Target;
let script: string;
let dir: string;

before(async () => {
  // The latency model sets the level. Machine noise adds milliseconds, mostly to the tail: at 100 ms
  // that was ±20 % of p95 from run to run on a loaded 2-core machine; at 250 ms it is a few %.
  fast = await startTarget({ port: 0, routes: [{ path: '/api/items', latency: { normal: { mean: '250ms', stddev: '8ms' } } }] });
  slow = await startTarget({ port: 0, routes: [{ path: '/api/items', latency: { normal: { mean: '300ms', stddev: '9.6ms' } } }] });
  script = writeScript(SCRIPT, 'api-test.ts');
  dir = join(script, '..');
});
after(async () => {
  await fast?.close();
  await slow?.close();
});

const run = (url: string, extra: string[]) => runVolley(['run', 'api-test.ts', '-q', '--no-summary', '-e', `BASE_URL=${url}`, ...extra], { cwd: dir });
// The median is in the gate as well as p95: on a loaded 2-core machine p95 wanders ±5–10 % from
// run to run, and with 4 earlier runs the noise floor for p95 (a t prediction interval) can exceed
// 20 %, so a +20 % p95 is then honestly "not significant". The median's floor stays at a few %.
const GATE = ['--max-regression', 'http_req_duration:p(95)=+10%', '--max-regression', 'http_req_duration:med=+10%', '--max-regression', 'http_reqs:rate=-5%'];

test('unchanged target: saved, compared, never trips the gate; +20 % latency: regressed, exit 98', async () => {
  const first = await run(fast.url, ['--save', '--label', 'env=ci']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /saved run #1 \(api-test\.ts\) in .*\.volley\/history\.db/);
  for (let i = 0; i < 3; i++) {
    const r = await run(fast.url, ['--save', '--label', 'env=ci', '--baseline', 'latest', ...GATE]);
    assert.equal(r.code, 0, `unchanged run ${i + 2} tripped the gate:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /ok {2}http_req_duration:p\(95\)=\+10%/);
  }
  const bad = await run(slow.url, ['--save', '--label', 'env=ci', '--baseline', 'latest', '--report', 'report.html', ...GATE]);
  assert.equal(bad.code, 98, `${bad.stdout}\n${bad.stderr}`);
  const report = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(report, /<section class="panel" id="comparison">/);
  assert.equal((report.match(/<polyline class="(base|cand)"/g) ?? []).length, 2, 'both distributions on one chart');
  assert.match(report, /http_req_duration\{name:GET \/api\/items\}:p\(95\)/);
  assert.match(bad.stdout, /http_req_duration:p\(50\)\s.*regressed/);
  assert.match(bad.stdout, /FAIL {2}http_req_duration:med=\+10%/);
  assert.match(bad.stderr, /regression beyond budget: .*http_req_duration:med=\+10%/);
  assert.match(bad.stderr, /saved run #5/);

  const runs = await runVolley(['runs', '--label', 'env=ci', '--test', 'api-test.ts'], { cwd: dir });
  assert.equal(runs.code, 0, runs.stderr);
  assert.deepEqual([...runs.stdout.matchAll(/^#(\d+)/gm)].map((m) => Number(m[1])), [5, 4, 3, 2, 1]);

  const cmp = await runVolley(['compare', '4', '5', '--json', 'cmp.json', '--markdown', 'cmp.md', ...GATE], { cwd: dir });
  assert.equal(cmp.code, 98, cmp.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'cmp.json'), 'utf8')) as { failed: boolean; historyRuns: number; rows: Array<{ key: string; verdict: string; change: number }> };
  assert.equal(json.failed, true);
  assert.equal(json.historyRuns, 4);
  const p50 = json.rows.find((r) => r.key === 'http_req_duration:p(50)')!;
  assert.equal(p50.verdict, 'regressed');
  assert.ok(p50.change > 0.12 && p50.change < 0.3, String(p50.change));
  assert.match(readFileSync(join(dir, 'cmp.md'), 'utf8'), /### Volley comparison: ❌ regression beyond budget/);

  const trend = await runVolley(['trend', 'api-test.ts', '--metric', 'http_req_duration:p(95)', '-o', 'trend.html'], { cwd: dir });
  assert.equal(trend.code, 0, trend.stderr);
  const html = readFileSync(join(dir, 'trend.html'), 'utf8');
  assert.match(html, /<svg/);
  assert.equal((html.match(/<tr>|<tr class/g) ?? []).length, 6); // header + 5 runs
});

test('compare summary files (ours and k6 --summary-export) without a store', async () => {
  const a = await run(fast.url, ['--summary-export', 'a.json', '-e', 'DUR=3s']);
  assert.equal(a.code, 0, a.stderr);
  // k6's --summary-export shape: stats straight on each metric.
  writeFileSync(join(dir, 'k6.json'), JSON.stringify({ metrics: { http_req_duration: { avg: 150, med: 140, 'p(90)': 170, 'p(95)': 180 }, http_reqs: { count: 60, rate: 20 } }, root_group: {} }));
  const r = await runVolley(['compare', 'a.json', 'k6.json', '--store', join(dir, 'nowhere', 'never.db')], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /http_req_duration:p\(95\)\s.*noise unknown/);
  assert.equal(existsSync(join(dir, 'nowhere')), false, 'summary files alone must not create a store');
});

test('bad input: exit 104 with a message naming the value', async () => {
  const budget = await run(fast.url, ['--baseline', 'latest', '--max-regression', 'p95=+10']);
  assert.equal(budget.code, 104);
  assert.match(budget.stderr, /--max-regression "p95=\+10"/);
  const unknownMetric = await runVolley(['compare', '1', '2', '--max-regression', 'http_req_durtion:p(95)=+10%'], { cwd: dir });
  assert.equal(unknownMetric.code, 104);
  assert.match(unknownMetric.stderr, /"http_req_durtion"/);
  const id = await runVolley(['compare', '999', '1'], { cwd: dir });
  assert.equal(id.code, 104);
  assert.match(id.stderr, /no run with id 999/);
  const branch = await runVolley(['compare', 'latest', '--baseline', 'no-such-branch'], { cwd: dir });
  assert.equal(branch.code, 104);
  assert.match(branch.stderr, /"no-such-branch"/);
  const other = writeScript(SCRIPT, 'other-test.ts');
  writeFileSync(join(dir, 'other-test.ts'), readFileSync(other));
  const o = await runVolley(['run', 'other-test.ts', '-q', '--no-summary', '-e', `BASE_URL=${fast.url}`, '-e', 'DUR=2s', '--save'], { cwd: dir });
  assert.equal(o.code, 0, o.stderr);
  const diff = await runVolley(['compare', '1', 'latest'], { cwd: dir });
  assert.equal(diff.code, 104);
  assert.match(diff.stderr, /"api-test\.ts" but .* ran "other-test\.ts"/);
});

test('a store that cannot be written: checked before the run; a save that fails keeps the results', async () => {
  writeFileSync(join(dir, 'afile'), 'x');
  const early = await run(fast.url, ['--save', '--store', join(dir, 'afile', 'h.db'), '-e', 'DUR=1s']);
  assert.equal(early.code, 104);
  assert.match(early.stderr, /cannot open the run store .*afile\/h\.db/);
});

test('PostgreSQL store from the CLI: save, list, compare', async (t) => {
  let pg: PgServer | undefined;
  try {
    pg = await startPostgres();
    if (!pg) return t.skip('PostgreSQL not installed');
    const url = pg.createDatabase('cli');
    for (let i = 0; i < 2; i++) {
      const r = await run(fast.url, ['--save', '--store', url, '-e', 'DUR=3s', '--label', `i=${i}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`saved run #${i + 1} .* in postgres://volley@127\\.0\\.0\\.1`));
    }
    const runs = await runVolley(['runs', '--store', url, '--label', 'i=1'], { cwd: dir });
    assert.match(runs.stdout, /^#2 /m);
    assert.doesNotMatch(runs.stdout, /^#1 /m);
    const cmp = await runVolley(['compare', 'latest', '--store', url], { cwd: dir });
    assert.equal(cmp.code, 0, cmp.stderr);
    assert.match(cmp.stdout, /baseline #1, candidate #2/);

    // PostgreSQL goes away during the run: the save fails, the results do not.
    const server = pg;
    pg = undefined;
    const lost = run(fast.url, ['--save', '--store', url, '-e', 'DUR=6s', '--summary-export', 'kept.json']);
    // Stop the server once volley has opened the store (its pool keeps a connection), mid-run.
    for (let i = 0; i < 200 && server.connections('cli') === 0; i++) await new Promise((r) => setTimeout(r, 50));
    server.stop();
    const r = await lost;
    assert.equal(r.code, 104, r.stderr);
    assert.match(r.stderr, /the run could not be saved in postgres:\/\/volley@127\.0\.0\.1/);
    const kept = JSON.parse(readFileSync(join(dir, 'kept.json'), 'utf8')) as { metrics: { http_reqs: { values: { count: number } } } };
    assert.ok(kept.metrics.http_reqs.values.count > 50);
  } finally {
    pg?.stop();
  }
});
