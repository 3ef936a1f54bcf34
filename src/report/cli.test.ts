import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { isVolleyError } from '../errors/index.js';
import { summaryFixture } from '../summary/testing/fixtures.js';
import { reportCommand, writeReports } from './cli.js';
import { parseSummaryJson } from './input.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'volley-reports-'));

/** Asserts a VolleyError E_REPORT_INPUT, exit 104, naming the file, with a message matching `re`. */
function inputError(re: RegExp, file: string) {
  return (e: unknown) => {
    assert.ok(isVolleyError(e), String(e));
    assert.equal(e.code, 'E_REPORT_INPUT');
    assert.equal(e.exitCode, 104);
    assert.ok(e.message.includes(JSON.stringify(file)), e.message);
    assert.match(e.message, re);
    assert.ok(e.hint);
    return true;
  };
}

test('writeReports writes each requested file and says so', async () => {
  const dir = tmp();
  const files = { report: join(dir, 'r.html'), junit: join(dir, 'j.xml'), markdown: join(dir, 'm.md') };
  const lines = await writeReports(summaryFixture(), { ...files, env: {} });
  assert.deepEqual(lines, [`report: ${files.report}`, `junit: ${files.junit}`, `markdown: ${files.markdown}`]);
  assert.match(readFileSync(files.report, 'utf8'), /^<!doctype html>/);
  assert.match(readFileSync(files.junit, 'utf8'), /^<\?xml/);
  assert.match(readFileSync(files.markdown, 'utf8'), /^### ❌ FAILED/);
  assert.deepEqual(await writeReports(summaryFixture(), { env: {} }), [], 'nothing requested, nothing written');
});

test('GITHUB_STEP_SUMMARY gets the Markdown appended, even without --markdown', async () => {
  const dir = tmp();
  const step = join(dir, 'step.md');
  writeFileSync(step, '# earlier step\n');
  const lines = await writeReports(summaryFixture(), { env: { GITHUB_STEP_SUMMARY: step } });
  assert.deepEqual(lines, ['markdown: appended to $GITHUB_STEP_SUMMARY']);
  const text = readFileSync(step, 'utf8');
  assert.match(text, /^# earlier step\n### ❌ FAILED/);
  const bad = await writeReports(summaryFixture(), { env: { GITHUB_STEP_SUMMARY: join(dir, 'missing-dir', 'x.md') } });
  assert.match(bad[0]!, /^markdown: cannot append to \$GITHUB_STEP_SUMMARY \(ENOENT\)/, 'a CI nicety never fails the run');
});

test('a failing output does not stop the others; the failure names its file', async () => {
  const dir = tmp();
  const blocker = join(dir, 'file');
  writeFileSync(blocker, 'x');
  const junit = join(dir, 'j.xml');
  await assert.rejects(writeReports(summaryFixture(), { report: join(blocker, 'r.html'), junit, env: {} }), (e: unknown) => {
    assert.ok(isVolleyError(e));
    assert.equal(e.code, 'E_REPORT_WRITE');
    assert.match(e.message, /r\.html/);
    return true;
  });
  assert.match(readFileSync(junit, 'utf8'), /<testsuites/, 'JUnit written although the HTML failed');
});

test('volley report: renders a saved summary and prints what it wrote', async () => {
  const dir = tmp();
  const json = join(dir, 's.json');
  writeFileSync(json, JSON.stringify(summaryFixture()));
  const out = new PassThrough();
  let printed = '';
  out.on('data', (b: Buffer) => (printed += b.toString()));
  const code = await reportCommand(json, { output: join(dir, 'report.html'), junit: join(dir, 'j.xml') }, out);
  assert.equal(code, 0);
  assert.equal(printed, `report: ${join(dir, 'report.html')}\njunit: ${join(dir, 'j.xml')}\n`);
  assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /examples\/shop\.ts/);
});

test('volley report: clear errors for a missing file, bad JSON, a k6 export and an unknown schema', async () => {
  const dir = tmp();
  const out = new PassThrough();
  const missing = join(dir, 'nope.json');
  await assert.rejects(reportCommand(missing, { output: join(dir, 'r.html') }, out), inputError(/does not exist/, missing));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"metrics": ');
  await assert.rejects(reportCommand(bad, { output: join(dir, 'r.html') }, out), inputError(/is not valid JSON/, bad));
  const k6 = join(dir, 'k6.json');
  const { volley: _v, ...k6Shape } = summaryFixture();
  writeFileSync(k6, JSON.stringify(k6Shape));
  await assert.rejects(reportCommand(k6, { output: join(dir, 'r.html') }, out), inputError(/not a Volley summary: it has no "volley" block \(a k6 summary export/, k6));
  const future = join(dir, 'future.json');
  const f = summaryFixture() as unknown as { volley: { schemaVersion: number; version: string } };
  f.volley.schemaVersion = 7;
  f.volley.version = '9.0.0';
  writeFileSync(future, JSON.stringify(f));
  await assert.rejects(reportCommand(future, { output: join(dir, 'r.html') }, out), inputError(/unknown summary schemaVersion 7 \(written by Volley 9\.0\.0\); this Volley reads schemaVersion 1/, future));
});

test('parseSummaryJson names every shape problem, and fills what a report can do without', () => {
  const d = summaryFixture() as unknown as { volley: Record<string, unknown> };
  d.volley.routes = 'x';
  (d.volley.timeSeries as { series: Record<string, unknown> }).series.vus = [1, 2];
  assert.throws(() => parseSummaryJson(JSON.stringify(d), 's.json'), inputError(/volley\.routes: not an array; volley\.timeSeries\.series\["vus"\]: 2 values for 35 times/, 's.json'));
  // The declared tables and charts (LLM ROUTES…): a damaged one is named, not an internal error.
  const declared = summaryFixture() as unknown as { volley: Record<string, unknown> };
  declared.volley.tables = [{ title: 'LLM ROUTES', breakdown: 'llm_route', by: ['name'] }];
  declared.volley.charts = {};
  declared.volley.breakdowns = { llm_route: 3 };
  assert.throws(
    () => parseSummaryJson(JSON.stringify(declared), 's.json'),
    inputError(/volley\.breakdowns\["llm_route"\]: not an array; volley\.tables\[0\]\.columns: not an array of objects; volley\.charts: not an array/, 's.json'),
  );
  // A damaged error budget (its numbers are printed in the notes and margins).
  const budget = summaryFixture() as unknown as { volley: Record<string, unknown> };
  budget.volley.thresholds = [{ metric: 'http_req_duration', expr: 'p(95)<350 budget 28800s over 30d', ok: false, value: 400, budget: { unit: 'seconds', used: 3 } }];
  budget.volley.timeBudgets = [{}];
  assert.throws(
    () => parseSummaryJson(JSON.stringify(budget), 's.json'),
    inputError(/volley\.thresholds\[0\]\.budget: allowed, remaining, burnRate, windowMs, periodMs not a number; volley\.timeBudgets\[0\]: used, .*thresholds missing/, 's.json'),
  );
  const min = summaryFixture() as unknown as { volley: Record<string, unknown> };
  delete min.volley.timeSeries;
  delete min.volley.routes;
  const parsed = parseSummaryJson(JSON.stringify(min), 's.json');
  assert.deepEqual(parsed.volley.routes, []);
  assert.deepEqual(parsed.volley.timeSeries.t, []);
  assert.throws(() => parseSummaryJson('[1]', 'a.json'), inputError(/not a JSON object/, 'a.json'));
});
