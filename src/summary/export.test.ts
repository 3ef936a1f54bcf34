import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isVolleyError } from '../errors/index.js';
import { writeSummaryExport } from './export.js';
import { summaryFixture } from './testing/fixtures.js';

describe('writeSummaryExport', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'volley-export-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes pretty JSON in the shape of k6's handleSummary data", async () => {
    const file = join(dir, 'nested', 'deeper', 'summary.json');
    await writeSummaryExport(file, summaryFixture());
    const text = await readFile(file, 'utf8');
    assert.ok(text.startsWith('{\n  "root_group": {'));
    assert.ok(text.endsWith('}\n'));
    const data = JSON.parse(text) as Record<string, any>;

    // metrics[name] = { type, contains, values, thresholds? }
    for (const [name, m] of Object.entries<any>(data.metrics)) {
      assert.ok(['counter', 'gauge', 'rate', 'trend'].includes(m.type), name);
      assert.ok(['default', 'time', 'data'].includes(m.contains), name);
      assert.equal(typeof m.values, 'object', name);
      for (const v of Object.values(m.values)) assert.equal(typeof v, 'number', name);
      if (m.thresholds) for (const t of Object.values<any>(m.thresholds)) assert.equal(typeof t.ok, 'boolean');
    }
    assert.deepEqual(Object.keys(data.metrics.http_req_duration.values), ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)']);
    assert.deepEqual(data.metrics.http_req_duration.thresholds, { 'p(95)<300': { ok: true }, 'p(99)<500': { ok: false } });
    assert.deepEqual(Object.keys(data.metrics.http_reqs.values), ['count', 'rate']);
    assert.deepEqual(Object.keys(data.metrics.http_req_failed.values), ['rate', 'passes', 'fails']);
    assert.deepEqual(Object.keys(data.metrics.vus.values), ['value', 'min', 'max']);
    assert.ok(data.metrics['http_req_duration{route:/api/query}']);

    // root_group with checks and nested groups
    assert.equal(data.root_group.name, '');
    assert.equal(data.root_group.path, '');
    const browse = data.root_group.groups[0];
    assert.equal(browse.path, '::browse');
    assert.deepEqual(Object.keys(browse.checks[0]), ['name', 'path', 'id', 'passes', 'fails']);
    assert.equal(browse.groups[0].path, '::browse::details');

    // options and state as k6 has them
    assert.deepEqual(Object.keys(data.options).sort(), ['noColor', 'summaryTimeUnit', 'summaryTrendStats']);
    assert.deepEqual(Object.keys(data.state).sort(), ['isStdErrTTY', 'isStdOutTTY', 'testRunDurationMs']);
    assert.equal(data.volley.schemaVersion, 1);

    // no temp files left behind
    assert.deepEqual(await readdir(join(dir, 'nested', 'deeper')), ['summary.json']);
  });

  it('replaces an existing file and writes non-finite numbers as null', async () => {
    const file = join(dir, 'again.json');
    await writeFile(file, 'old');
    const d = summaryFixture();
    d.metrics.iterations!.values.rate = Number.POSITIVE_INFINITY;
    await writeSummaryExport(file, d);
    const data = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(data.metrics.iterations.values.rate, null);
  });

  it('reports an unwritable path as a VolleyError naming the file, leaving no temp file', async (t) => {
    if (process.getuid?.() === 0) return t.skip('root can write anywhere');
    const ro = join(dir, 'readonly');
    await mkdir(ro);
    await chmod(ro, 0o500);
    const file = join(ro, 'summary.json');
    await assert.rejects(writeSummaryExport(file, summaryFixture()), (e: unknown) => isVolleyError(e) && e.code === 'E_SUMMARY_EXPORT' && e.message.includes(file));
    await chmod(ro, 0o700);
    assert.deepEqual(await readdir(ro), []);
  });

  it('reports a parent that is a file', async () => {
    const f = join(dir, 'plain-file');
    await writeFile(f, 'x');
    await assert.rejects(writeSummaryExport(join(f, 'summary.json'), summaryFixture()), (e: unknown) => isVolleyError(e) && e.code === 'E_SUMMARY_EXPORT');
  });
});
