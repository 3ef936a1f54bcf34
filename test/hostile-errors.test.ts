/**
 * What a hostile script or target does to the error reporting (issue 15): errors grouped by kind
 * with bounded memory and output, error text kept, distinct failures kept apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { runVolley, startTestServer, writeScript } from './helpers.js';
import type { SummaryData } from '../src/summary/types.js';

test('unique script-error messages are grouped by kind: bounded export, bounded stderr', async () => {
  const script = writeScript(`
    export const options = { vus: 2, duration: '1500ms' };
    let n = 0;
    export default function () {
      n++;
      if (n % 3 === 0) throw new Error('order ' + Math.random() + ' for ' + crypto.randomUUID());
      // Letters are not folded: each of these is its own kind, past the cap they go to "other".
      throw new Error('kind ' + Math.random().toString(36).replace(/[0-9.]/g, ''));
    }`);
  const out = join(dirname(script), 's.json');
  const r = await runVolley(['run', script, '--summary-export', out]);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  const script_ = d.volley.errors.filter((e) => e.kind === 'script');
  const order = script_.find((e) => e.key === 'order <n> for <uuid>');
  assert.ok(order, JSON.stringify(script_.slice(0, 3)));
  assert.match(order.example ?? '', /^order 0\.\d+ for [0-9a-f-]{36}$/);
  assert.ok(order.count > 100, `count ${order.count}`);
  assert.ok(script_.length <= 201, `${script_.length} kinds kept`);
  const other = script_.find((e) => e.key === '(other kinds of script error)');
  assert.ok(other && other.count > 0, 'the kinds past the cap are counted');
  const total = script_.reduce((a, e) => a + e.count, 0);
  assert.equal(total, d.metrics.iterations?.values.count, 'every exception is counted once');
  assert.ok(statSync(out).size < 1_000_000, `export is ${statSync(out).size} bytes`);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('volley: script error:')).length;
  assert.ok(lines <= 5 * 3, `${lines} script-error lines printed`);
  assert.match(r.stderr, /more kinds of script error suppressed/);
  assert.ok(r.stderr.length < 50_000, `stderr is ${r.stderr.length} chars`);
});

/** A raw TCP server answering by path with what no HTTP server library would send. */
async function startRawServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const bigHead = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\nContent-Length: 2\r\n\r\nok`;
  const server = createServer((sock) => {
    let buf = '';
    sock.on('error', () => {});
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const path = buf.slice(0, buf.indexOf('\r\n')).split(' ')[1];
      buf = buf.slice(end + 4);
      if (path === '/garbage') sock.end('SSH-2.0-OpenSSH_9.6\r\n\r\n');
      else if (path === '/fin') sock.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part');
      else if (path === '/badstatus') sock.end('HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n');
      else if (path === '/bighead') sock.end(bigHead);
      else if (path === '/close') sock.end();
      else sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('distinct failures of a hostile target keep apart, with code, k6 name and message', async () => {
  const raw = await startRawServer();
  try {
    const script = writeScript(`
      import http from 'volley/http';
      export const options = { vus: 1, iterations: 2 };
      export default async function () {
        for (const p of ['/garbage', '/fin', '/badstatus', '/bighead', '/close']) await http.get(__ENV.BASE_URL + p);
        await http.get(__ENV.BASE_URL + '/ok');
      }`);
    const out = join(dirname(script), 's.json');
    const r = await runVolley(['run', script, '-e', `BASE_URL=${raw.url}`, '--summary-export', out, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
    const http = d.volley.errors.filter((e) => e.kind === 'http');
    const byCode = new Map(http.map((e) => [e.code, e]));
    assert.deepEqual([...byCode.keys()].sort(), [1060, 1061, 1062, 1064, 1065], JSON.stringify(http));
    for (const e of http) {
      assert.equal(e.count, 2, JSON.stringify(e));
      assert.ok(e.name && e.message && e.message !== e.name, JSON.stringify(e));
    }
    assert.match(byCode.get(1062)!.message, /head larger than 16384 bytes \(raise maxResponseHeadSize\)/);
    const er = r.stdout.split('\n').filter((l) => / × error 10/.test(l));
    assert.equal(er.length, 5, r.stdout);
    assert.ok(er.some((l) => /2 × error 1060 malformed response \(not HTTP\): no "HTTP\/1\.x" status line/.test(l)), er.join('\n'));
    assert.ok(er.some((l) => /2 × error 1065 connection closed mid-response: unexpected EOF\s*$/.test(l)), er.join('\n'));
    assert.doesNotMatch(r.stdout, /error_code \d+ error_code/);

    // maxResponseHeadSize raises the limit of both transports.
    for (const transport of ['fast', 'undici']) {
      const big = writeScript(`
        import http from 'volley/http';
        export const options = { vus: 1, iterations: 1, maxResponseHeadSize: 65536 };
        export default async function () {
          const res = await http.get(__ENV.BASE_URL + '/bighead');
          if (res.status !== 200 || res.body !== 'ok') throw new Error('status ' + res.status + ' ' + res.error);
        }`);
      const r2 = await runVolley(['run', big, '-e', `BASE_URL=${raw.url}`, '--quiet'], { env: { VOLLEY_HTTP_TRANSPORT: transport } });
      assert.equal(r2.code, 0, r2.stderr);
      assert.doesNotMatch(r2.stdout + r2.stderr, /script error/, `${transport}: ${r2.stdout}`);
    }
  } finally {
    await raw.close();
  }
});

test('a URL without a scheme is an error naming it, and a threshold that measured nothing fails', async () => {
  const script = writeScript(`
    import http from 'volley/http';
    export const options = { vus: 1, iterations: 3, thresholds: { http_req_duration: ['p(95)<500'], http_reqs: ['count<100'] } };
    export default async function () {
      await http.get('127.0.0.1:8080/health');
    }`);
  const r = await runVolley(['run', script]);
  assert.equal(r.code, 99, r.stdout + r.stderr);
  assert.match(r.stderr, /script error: invalid URL "127\.0\.0\.1:8080\/health": no scheme \(write "http:\/\/127\.0\.0\.1:8080\/health"/);
  assert.match(r.stdout, /✗ 'p\(95\)<500' p\(95\)=no samples/);
  // An empty counter is a true 0: it still passes.
  assert.match(r.stdout, /✓ 'count<100'/);
  assert.match(r.stdout, /thresholds? on http_req_duration failed: no samples/);
  // k6's lenient behaviour, on request.
  const lenient = await runVolley(['run', script, '--quiet'], { env: { VOLLEY_THRESHOLDS_PASS_WITHOUT_SAMPLES: 'true' } });
  assert.equal(lenient.code, 0, lenient.stdout + lenient.stderr);
});

test('an output path that cannot be written stops the run before it starts (exit 104)', async () => {
  const script = writeScript(`export default function () {}`);
  const file = join(dirname(script), 'a-file');
  writeFileSync(file, 'x');
  const r = await runVolley(['run', script, '--summary-export', join(file, 's.json'), '--junit', join(dirname(script), 'ok.xml'), '--out', `json=${join(file, 'o.ndjson')}`]);
  assert.equal(r.code, 104, r.stderr);
  assert.match(r.stderr, /--summary-export .*a-file\/s\.json: .*a-file is not a directory/);
  assert.match(r.stderr, /--out json .*a-file\/o\.ndjson/);
  assert.doesNotMatch(r.stderr + r.stdout, /scenarios:/, 'nothing ran');
});

test('an export that fails at the end loses nothing else: summary, report, JUnit written, verdict kept', async () => {
  const script = writeScript(`
    import { rmSync, writeFileSync } from 'node:fs';
    export const options = { iterations: 1, thresholds: { iterations: ['count>0'] } };
    // The export's directory turns into a file while the test runs.
    export function setup() { rmSync(__ENV.OUT_DIR, { recursive: true }); writeFileSync(__ENV.OUT_DIR, 'x'); }
    export default function () {}`);
  const outDir = join(dirname(script), 'out');
  mkdirSync(outDir);
  const report = join(dirname(script), 'r.html');
  const junit = join(dirname(script), 'j.xml');
  const r = await runVolley(['run', script, '-e', `OUT_DIR=${outDir}`, '--summary-export', join(outDir, 's.json'), '--report', report, '--junit', junit]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /THRESHOLDS/);
  assert.ok(existsSync(report) && existsSync(junit));
  assert.match(r.stderr, /volley: error: cannot write the summary export to .*s\.json/);
});

test('scenario env values and credentials never reach the artefacts', async () => {
  const secret = 'sk-live-0123456789abcdef';
  const script = writeScript(`
    export const options = {
      scenarios: { s: { executor: 'shared-iterations', iterations: 1, env: { TOKEN: __ENV.API_TOKEN, MODE: 'plain' }, tags: { api_key: __ENV.API_TOKEN, site: 'https://bob:' + __ENV.API_TOKEN + '@example.com/x' } } },
      thresholds: { iterations: ['count>0'] },
    };
    export default function () {}`);
  const dir = dirname(script);
  const files = { export: join(dir, 's.json'), report: join(dir, 'r.html'), junit: join(dir, 'j.xml'), markdown: join(dir, 'm.md'), json: join(dir, 'o.ndjson'), csv: join(dir, 'o.csv') };
  const r = await runVolley(
    ['run', script, '--summary-export', files.export, '--report', files.report, '--junit', files.junit, '--markdown', files.markdown, '--out', `json=${files.json}`, '--out', `csv=${files.csv}`],
    { env: { API_TOKEN: secret } },
  );
  assert.match(readFileSync(files.json, 'utf8'), /"api_key":"\[redacted\]"/);
  assert.equal(r.code, 0, r.stderr);
  for (const [what, f] of Object.entries(files)) assert.ok(!readFileSync(f, 'utf8').includes(secret), `${what} holds the secret`);
  assert.ok(!(r.stdout + r.stderr).includes(secret), 'the console shows the secret');
  const d = JSON.parse(readFileSync(files.export, 'utf8')) as SummaryData;
  const sc = (d.volley.options.scenarios as Array<{ env: Record<string, string>; tags: Record<string, string> }>)[0]!;
  assert.deepEqual(sc.env, { TOKEN: '[redacted]', MODE: '[redacted]' });
  assert.equal(sc.tags.site, 'https://****:****@example.com/x');
});

test('unique URLs: a warning names the tag and suggests a name; a name folds the url tag', async () => {
  const server = await startTestServer();
  try {
    const script = writeScript(`
      import http from 'volley/http';
      export const options = { vus: 4, iterations: 10500 };
      export default async function () {
        const id = Math.random().toString(36).slice(2);
        await http.get(__ENV.BASE_URL + '/item/' + id, __ENV.NAMED ? { tags: { name: '/item/:id' } } : undefined);
      }`);
    const out = join(dirname(script), 'o.ndjson');
    const r = await runVolley(['run', script, '-e', `BASE_URL=${server.url}`, '--workers', '1', '--quiet'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: the tag "url" has too many distinct values .* give the requests a name tag/);
    const named = await runVolley(['run', script, '-e', `BASE_URL=${server.url}`, '-e', 'NAMED=1', '--workers', '1', '--quiet', '--out', `json=${out}`], { timeoutMs: 120_000 });
    assert.equal(named.code, 0, named.stderr);
    assert.doesNotMatch(named.stderr, /too many distinct values/);
    const urls = new Set(readFileSync(out, 'utf8').split('\n').filter((l) => l.includes('"http_reqs"') && l.includes('"Point"')).map((l) => (JSON.parse(l) as { data: { tags: { url: string } } }).data.tags.url));
    assert.deepEqual([...urls], ['/item/:id']);
  } finally {
    await server.close();
  }
});
