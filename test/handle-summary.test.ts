/**
 * k6's handleSummary(data) in a Volley script: its returned keys are files, `stdout` and
 * `stderr`; it replaces the default summary; the npm package k6-junit and volley/summary's
 * textSummary work inside it; a failure or a hang past handleSummaryTimeout falls back to the
 * default summary with a clear error, and the exit code stays the test's verdict.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, runVolley, startTestServer, writeScript, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const TEST = `
import http from 'volley/http';
import { check, group } from 'volley';
export const options = { vus: 1, iterations: 4, thresholds: { http_req_duration: ['p(95)<5000'], checks: ['rate==1'] } };
export default async function () {
  await group('api', async () => {
    const r = await http.get(__ENV.BASE_URL + '/ok');
    check(r, { 'status 200': (x) => x.status === 200 });
  });
}
`;

test('handleSummary: k6-junit and textSummary outputs go to files, stdout and stderr, and replace the default summary', async () => {
  const script = writeScript(`${TEST}
import { jUnit } from 'k6-junit';
import { textSummary, type SummaryData } from 'volley/summary';
export function handleSummary(data: SummaryData) {
  return {
    stdout: 'CUSTOM SUMMARY\\n' + textSummary(data, { indent: '> ', enableColors: false }),
    stderr: 'custom stderr line\\n',
    'reports/junit.xml': jUnit(data),
    'reports/requests.txt': String(data.metrics.http_reqs!.values.count),
  };
}
`);
  const dir = dirname(script);
  // The script's own node_modules, where k6-junit is installed (a devDependency of Volley's).
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${server.url}`, '--summary-export', 'summary.json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^CUSTOM SUMMARY\n/);
  const rest = r.stdout.split('\n').slice(1).filter((l) => l.trim() !== '');
  assert.ok(rest.length > 10 && rest.every((l) => l.startsWith('> ')), `only the script's summary is printed:\n${r.stdout}`);
  assert.match(r.stdout, /> .*http_req_duration/);
  assert.match(r.stderr, /custom stderr line/);
  assert.match(r.stderr, /handleSummary: reports\/junit\.xml/);
  const xml = readFileSync(join(dir, 'reports', 'junit.xml'), 'utf8');
  assert.match(xml, /<testsuite id="\d+" name="api" tests="1" failures="0">/);
  assert.match(xml, /<testcase name="status 200" classname="api" \/>/);
  assert.match(xml, /<testcase name="http_req_duration: p\(95\)&lt;5000" classname="Thresholds" \/>/);
  assert.equal(readFileSync(join(dir, 'reports', 'requests.txt'), 'utf8'), '4');
  assert.ok(existsSync(join(dir, 'summary.json')), '--summary-export is still written');
});

test('handleSummary that throws: the error names the script line, the default summary is printed, the verdict is the exit code', async () => {
  const script = writeScript(`${TEST}
export function handleSummary() {
  throw new Error('no summary today');
}
`);
  const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${server.url}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /handleSummary\(\) failed: no summary today\n\s+at .*test\.ts:13:\d+/);
  assert.match(r.stdout, /http_reqs/);
});

test('handleSummary past handleSummaryTimeout (even a synchronous loop) is stopped; the default summary is printed', async () => {
  const script = writeScript(`
export const options = { iterations: 1, handleSummaryTimeout: '1s', thresholds: { iterations: ['count>5'] } };
export default function () {}
export function handleSummary() {
  for (;;) {}
}
`);
  const t0 = Date.now();
  const r = await runVolley(['run', script, '--quiet'], { timeoutMs: 60_000 });
  assert.equal(r.code, 99, r.stderr);
  assert.ok(Date.now() - t0 < 30_000, 'not hung');
  assert.match(r.stderr, /handleSummary\(\) did not finish within 1s/);
  assert.match(r.stdout, /iterations/);
});
