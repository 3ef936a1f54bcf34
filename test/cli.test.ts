/**
 * `volley run` end to end against a real HTTP server on loopback: exit codes, thresholds,
 * summary export shape, and every user error path (clear message, right exit code, no stack).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runVolley, startTestServer, writeScript, type TestServer } from './helpers.js';
import type { SummaryData } from '../src/summary/types.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

function assertNoStack(s: string): void {
  assert.doesNotMatch(s, /\n\s+at .*(dist|node:internal)/, `unexpected stack trace:\n${s}`);
}

test('passing thresholds exit 0; the summary shows metrics, checks and thresholds', async () => {
  const script = writeScript(`
    import http from 'volley/http';
    import { check, group } from 'volley';
    export const options = { vus: 2, iterations: 20, thresholds: { http_req_duration: ['p(95)<2000'], checks: ['rate==1'], 'http_req_duration{name:ok}': ['max<5000'] } };
    export default async function () {
      await group('api', async () => {
        const r = await http.get(__ENV.BASE_URL + '/ok', { tags: { name: 'ok' } });
        check(r, { 'status 200': (r) => r.status === 200, 'has id': (r) => r.json('id') === 42 });
      });
    }`);
  const out = join(dirname(script), 's.json');
  const r = await runVolley(['run', script, '-e', `BASE_URL=${server.url}`, '--summary-export', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /http_req_duration/);
  assert.match(r.stdout, /status 200/);
  assert.match(r.stdout, /p\(95\)<2000/);
  const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  // k6 handleSummary shape.
  assert.equal(d.metrics.http_reqs?.type, 'counter');
  assert.equal(d.metrics.http_reqs?.values.count, 20);
  assert.equal(d.metrics.http_req_duration?.contains, 'time');
  for (const k of ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']) assert.equal(typeof d.metrics.http_req_duration?.values[k], 'number', k);
  assert.deepEqual(d.metrics.http_req_duration?.thresholds, { 'p(95)<2000': { ok: true } });
  assert.equal(d.metrics['http_req_duration{name:ok}']?.values.count === undefined, true);
  assert.equal(d.metrics.checks?.values.passes, 40);
  assert.equal(d.root_group.groups[0]?.name, 'api');
  assert.equal(d.root_group.groups[0]?.checks.length, 2);
  assert.equal(typeof d.state.testRunDurationMs, 'number');
  assert.equal(d.volley.schemaVersion, 1);
  assert.equal(d.volley.routes[0]?.name, 'ok');
  assert.equal(d.volley.routes[0]?.requests, 20);
});

test('a failing threshold exits 99 and is marked in the summary', async () => {
  const script = writeScript(`
    import http from 'volley/http';
    export const options = { vus: 1, iterations: 5, thresholds: { http_req_duration: ['p(95)<0.001'] } };
    export default async function () { await http.get(__ENV.BASE_URL + '/delay?ms=5'); }`);
  const r = await runVolley(['run', script, '-e', `BASE_URL=${server.url}`]);
  assert.equal(r.code, 99, r.stderr);
  assert.match(r.stdout, /✗.*p\(95\)<0\.001|p\(95\)<0\.001.*✗|✗/);
});

test('abortOnFail stops the test early with exit 99', async () => {
  const script = writeScript(`
    import http from 'volley/http';
    export const options = { vus: 2, duration: '30s', thresholds: { http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '1s' }] } };
    export default async function () { await http.get(__ENV.BASE_URL + '/status/500'); }`);
  const t0 = Date.now();
  const r = await runVolley(['run', script, '-e', `BASE_URL=${server.url}`, '--quiet']);
  assert.equal(r.code, 99, r.stderr);
  assert.ok(Date.now() - t0 < 20_000, 'aborted early');
  assert.match(r.stderr, /abort/i);
});

test('an unreachable target counts failed requests with error codes, no crash', async () => {
  const script = writeScript(`
    import http from 'volley/http';
    import { check } from 'volley';
    export const options = { iterations: 3, thresholds: { http_req_failed: ['rate<0.5'] } };
    export default async function () {
      const r = await http.get('http://127.0.0.1:9/');
      check(r, { 'status 0': (r) => r.status === 0, 'has error_code': (r) => r.error_code > 0 });
    }`);
  const out = join(dirname(script), 's.json');
  const r = await runVolley(['run', script, '--summary-export', out, '--quiet']);
  assert.equal(r.code, 99, r.stderr);
  const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  assert.equal(d.metrics.http_req_failed?.values.passes, 3);
  assert.equal(d.metrics.checks?.values.fails, 0);
  assert.ok(d.volley.errors.some((e) => e.kind === 'http' && e.count === 3), JSON.stringify(d.volley.errors));
});

test('an exception in the default function is counted, shown once with its location, and the test goes on', async () => {
  const script = writeScript(`
    export const options = { vus: 1, iterations: 10 };
    export default function () {
      if (__ITER % 2 === 0) throw new Error('boom ' + 'on even');
    }`);
  const out = join(dirname(script), 's.json');
  const r = await runVolley(['run', script, '--summary-export', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.match(/boom on even/g)?.length, 1, r.stderr);
  assert.match(r.stderr, /test\.ts:4:\d+/);
  const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  const e = d.volley.errors.find((x) => x.kind === 'script');
  assert.equal(e?.count, 5);
  assert.equal(d.metrics.iterations?.values.count, 10);
});

test('a syntax error names file and line, exit 107', async () => {
  const script = writeScript(`export default function () {\n  const x = ;\n}\n`);
  const r = await runVolley(['run', script]);
  assert.equal(r.code, 107);
  assert.match(r.stderr, /test\.ts:2:\d+/);
  assertNoStack(r.stderr);
});

test('a file that is not a script (.json, .txt) names itself and the accepted types, exit 107', async () => {
  const txt = writeScript('hello', 'load.txt');
  const r = await runVolley(['run', txt]);
  assert.equal(r.code, 107, r.stderr);
  assert.match(r.stderr, /load\.txt/);
  assert.match(r.stderr, /\.ts, \.mts, \.cts, \.js, \.mjs, \.cjs, \.yml, \.yaml/);
  assert.doesNotMatch(r.stderr, /No loader is configured|fix the script/);
  assertNoStack(r.stderr);
  const json = writeScript('{"vus": 1}', 'options.json');
  const r2 = await runVolley(['run', json]);
  assert.equal(r2.code, 107, r2.stderr);
  assert.match(r2.stderr, /options\.json.*not a test script/);
});

test('a YAML file that is not an Artillery test definition says so, exit 107', async () => {
  const yml = writeScript('just: a map\n', 'load.yml');
  const r = await runVolley(['run', yml]);
  assert.equal(r.code, 107, r.stderr);
  assert.match(r.stderr, /load\.yml is not an Artillery test definition/);
  assertNoStack(r.stderr);
});

test('an exception in the init context names its location, exit 107', async () => {
  const script = writeScript(`const a: any = undefined;\nconst b = a.field;\nexport default function () {}\n`);
  const r = await runVolley(['run', script]);
  assert.equal(r.code, 107);
  assert.match(r.stderr, /test\.ts:2:\d+/);
  assertNoStack(r.stderr);
});

test('unknown options, bad durations, unknown executors and bad thresholds are all reported, exit 104', async () => {
  const script = writeScript(`
    export const options = {
      scenarios: {
        a: { executor: 'ramping-vu', stages: [] },
        b: { executor: 'constant-vus', vus: 1, duration: '10x' },
        c: { executor: 'constant-vus', vus: 1, duraton: '1s', duration: '1s' },
      },
      thresholds: { http_req_duration: ['p95<300'] },
    };
    export default function () {}`);
  const r = await runVolley(['run', script]);
  assert.equal(r.code, 104, r.stderr);
  assert.match(r.stderr, /ramping-vus/);
  assert.match(r.stderr, /10x/);
  assert.match(r.stderr, /duraton/);
  assertNoStack(r.stderr);
  const t = writeScript(`export const options = { thresholds: { http_req_duration: ['p95<300'] } }; export default function () {}`);
  const r2 = await runVolley(['run', t]);
  assert.equal(r2.code, 104, r2.stderr);
  assert.match(r2.stderr, /p\(95\)<300/);
});

test('a missing script and a bad flag get clear messages', async () => {
  const r = await runVolley(['run', '/nonexistent/x.ts']);
  assert.equal(r.code, 107);
  assert.match(r.stderr, /not found/);
  const r2 = await runVolley(['run', 'examples/smoke.ts', '--vus', 'many']);
  assert.equal(r2.code, 104);
  assert.match(r2.stderr, /--vus/);
  const r3 = await runVolley(['run', 'examples/smoke.ts', '--duraton', '1s']);
  assert.equal(r3.code, 104);
  assert.match(r3.stderr, /--duration/);
});

test('CLI flags override script options (--vus/--iterations)', async () => {
  const script = writeScript(`export const options = { vus: 1, iterations: 2 }; export default function () {}`);
  const out = join(dirname(script), 's.json');
  const r = await runVolley(['run', script, '--vus', '3', '--iterations', '9', '--summary-export', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  assert.equal(d.metrics.iterations?.values.count, 9);
  assert.equal(d.metrics.vus_max?.values.max, 3);
});

test('setup data reaches every VU and teardown; --out json streams k6 JSON lines', async () => {
  const script = writeScript(`
    import { check } from 'volley';
    import http from 'volley/http';
    export const options = { vus: 2, iterations: 4 };
    export async function setup() { return { token: 'abc' }; }
    export default async function (data) {
      await http.get(__ENV.BASE_URL + '/ok');
      check(data, { 'has token': (d) => d.token === 'abc' });
    }
    export function teardown(data) { if (data.token !== 'abc') throw new Error('no data in teardown'); }`);
  const dir = dirname(script);
  const r = await runVolley(['run', script, '-e', `BASE_URL=${server.url}`, '--out', `json=${join(dir, 'out.ndjson')}`, '--summary-export', join(dir, 's.json'), '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as SummaryData;
  assert.equal(d.metrics.checks?.values.passes, 4);
  const lines = readFileSync(join(dir, 'out.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string; data: { value?: number; tags?: Record<string, string> } });
  const points = lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs');
  assert.equal(points.length, 4);
  assert.equal(points[0]?.data.tags?.method, 'GET');
  assert.ok(lines.some((l) => l.type === 'Metric' && l.metric === 'http_req_duration'));
});

test('Ctrl-C stops gracefully: exit 105, summary printed and exported', async () => {
  const script = writeScript(`
    import { sleep } from 'volley';
    export const options = { vus: 2, duration: '60s' };
    export default async function () { await sleep(0.1); }`);
  const out = join(dirname(script), 's.json');
  let pid = 0;
  const p = runVolley(['run', script, '--summary-export', out, '--quiet'], { onSpawn: (x) => (pid = x) });
  await new Promise((r) => setTimeout(r, 3000));
  process.kill(pid, 'SIGINT');
  const r = await p;
  assert.equal(r.code, 105, r.stderr);
  assert.ok(existsSync(out));
  assert.match(r.stdout, /iterations/);
});

test('volley version and --help', async () => {
  const v = await runVolley(['version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /volley \d+\.\d+\.\d+/);
  const h = await runVolley(['run', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /--summary-export/);
});

test('--out influxdb pushes the run’s metrics to a line-protocol endpoint while the test runs', async () => {
  const bodies: string[] = [];
  const sink = await startTestServer((req, res) => {
    if (!req.url?.startsWith('/write')) return false;
    let b = '';
    req.on('data', (d: Buffer) => (b += d.toString()));
    req.on('end', () => {
      bodies.push(b);
      res.statusCode = 204;
      res.end();
    });
    return true;
  });
  try {
    const script = writeScript(`
      import http from 'volley/http';
      export const options = { vus: 1, iterations: 7 };
      export default async function () { await http.get(__ENV.BASE_URL + '/ok'); }`);
    const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${server.url}`, '--out', `influxdb=${sink.url}/write?db=k6`]);
    assert.equal(r.code, 0, r.stderr);
    const lines = bodies.join('\n').split('\n').filter((l) => l.startsWith('http_reqs'));
    assert.ok(lines.length > 0, `no http_reqs line in ${bodies.join('\n').slice(0, 500)}`);
    // The final push carries the whole test: 7 requests.
    assert.ok(lines.some((l) => /count=7(i)?\b/.test(l)), lines.join('\n'));
  } finally {
    await sink.close();
  }
});

test('a plain .mjs script in its own project resolves volley, its own node_modules, JSON and relative files', async () => {
  const script = writeScript(
    `import { check } from 'volley';
     import http from 'volley/http';
     import { shout } from 'shouty';
     import data from './data.json' with { type: 'json' };
     import { helper } from './lib/helper.mjs';
     export const options = { iterations: 2 };
     export default async function () {
       const r = await http.get(__ENV.BASE_URL + '/ok');
       check(r, { 'package works': () => shout('a') === 'A!', 'json works': () => data.n === 7, 'relative works': () => helper() === 42 });
     }`,
    'test.mjs',
  );
  const dir = dirname(script);
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(join(dir, 'node_modules', 'shouty'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'shouty', 'package.json'), JSON.stringify({ name: 'shouty', type: 'module', exports: { '.': { import: './index.js' } } }));
  writeFileSync(join(dir, 'node_modules', 'shouty', 'index.js'), 'export const shout = (s) => s.toUpperCase() + "!";');
  writeFileSync(join(dir, 'data.json'), '{"n":7}');
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', 'helper.mjs'), 'export const helper = () => 42;');
  const out = join(dir, 's.json');
  const r = await runVolley(['run', script, '-e', `BASE_URL=${server.url}`, '--summary-export', out, '--quiet'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  assert.equal(d.metrics.checks?.values.passes, 6);
  assert.equal(d.metrics.checks?.values.fails, 0);
});

test('setup() that throws exits 107 naming it; one that hangs past setupTimeout exits 100', async () => {
  const throws = writeScript(`
    export async function setup() { throw new Error('no token for you'); }
    export default function () {}`);
  const r = await runVolley(['run', throws, '--quiet']);
  assert.equal(r.code, 107, r.stderr);
  assert.match(r.stderr, /setup\(\) threw: no token for you/);
  assert.match(r.stderr, /test\.ts:2:\d+/);
  assertNoStack(r.stderr);
  // Identity travels as a code, not in the words: an error that merely says it timed out is the script's.
  const says = writeScript(`
    export async function setup() { throw new Error('login did not finish within 5s'); }
    export default function () {}`);
  const r1 = await runVolley(['run', says, '--quiet']);
  assert.equal(r1.code, 107, r1.stderr);
  const hangs = writeScript(`
    export const options = { setupTimeout: '1s' };
    export async function setup() { await new Promise((r) => setTimeout(r, 30_000)); }
    export default function () {}`);
  const t0 = Date.now();
  const r2 = await runVolley(['run', hangs, '--quiet']);
  assert.equal(r2.code, 100, r2.stderr);
  assert.match(r2.stderr, /setup\(\) did not finish within 1s/);
  assert.ok(Date.now() - t0 < 20_000);
});

test('errors thrown outside the iteration (a timer, a promise nobody awaits) are counted; a timer left open at init does not keep volley running', async () => {
  const script = writeScript(`
    setInterval(() => {}, 1000);
    export const options = { iterations: 3 };
    export default async function () {
      setTimeout(() => { throw new Error('boom in a timer'); }, 5);
      Promise.reject(new Error('nobody awaits me'));
      await new Promise((r) => setTimeout(r, 50));
    }`);
  const out = join(dirname(script), 's.json');
  const t0 = Date.now();
  const r = await runVolley(['run', script, '--quiet', '--summary-export', out], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Date.now() - t0 < 20_000, 'exited by itself');
  const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  const scriptErrors = d.volley.errors.filter((e) => e.kind === 'script').map((e) => [e.message, e.count]);
  assert.deepEqual(scriptErrors.sort(), [['boom in a timer', 3], ['nobody awaits me', 3]].sort());
});

test('an iteration that never waits does not starve the engine: per-second series fill and Ctrl-C still stops it', async () => {
  const script = writeScript(`
    let x = 0;
    export const options = { vus: 1, duration: '20s' };
    export default function () { x++; }`);
  const out = join(dirname(script), 's.json');
  let pid = 0;
  const p = runVolley(['run', script, '--quiet', '--summary-export', out], { onSpawn: (x) => (pid = x), timeoutMs: 60_000 });
  await new Promise((r) => setTimeout(r, 4000));
  const t0 = Date.now();
  process.kill(pid, 'SIGINT');
  const r = await p;
  assert.equal(r.code, 105, r.stderr);
  assert.ok(Date.now() - t0 < 8000, `took ${Date.now() - t0} ms to stop`);
  const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  const perSecond = d.volley.timeSeries.series.iterations ?? [];
  assert.ok(perSecond.filter((v) => (v ?? 0) > 0).length >= 2, JSON.stringify(perSecond));
});
