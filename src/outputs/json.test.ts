import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { JsonOutput } from './json.js';
import { T0, batches, context, tempDir } from './testing/helpers.js';

describe('JsonOutput (k6 JSON format)', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a Metric line on first sight, then Point lines, exactly as k6', async () => {
    const ctx = context(dir, {
      thresholds: {
        http_req_duration: [
          { threshold: 'p(95)<300', abortOnFail: false, delayAbortEvalMs: 0 },
          { threshold: 'p(99)<500', abortOnFail: true, delayAbortEvalMs: 10_000 },
        ],
        'http_req_duration{ route:/api/query }': [{ threshold: 'p(95)<900', abortOnFail: false, delayAbortEvalMs: 0 }],
      },
    });
    const out = new JsonOutput('sub/samples.ndjson', ctx);
    assert.equal(out.description, `json (${join('sub', 'samples.ndjson')})`);
    await out.start();
    const [a, b] = batches();
    out.addSamples(a);
    out.addSamples(b);
    await out.stop();
    const lines = (await readFile(join(dir, 'sub', 'samples.ndjson'), 'utf8')).split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines.slice(0, 4), [
      '{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}',
      '{"type":"Point","data":{"time":"2025-01-15T09:30:00Z","value":5,"tags":{}},"metric":"vus"}',
      '{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}',
      '{"type":"Point","data":{"time":"2025-01-15T09:30:00.0015Z","value":1,"tags":{"method":"GET","name":"http://127.0.0.1/api/query","status":"200","scenario":"browse","expected_response":"true","route":"/api/query"},"metadata":{"vu":"3","iter":"7"}},"metric":"http_reqs"}',
    ]);
    assert.equal(
      lines[4],
      '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time",' +
        '"thresholds":["p(95)<300",{"threshold":"p(99)<500","abortOnFail":true,"delayAbortEval":"10s"}],' +
        '"submetrics":[{"name":"http_req_duration{route:/api/query}","suffix":"route:/api/query","tags":{"route":"/api/query"}}]},"metric":"http_req_duration"}',
    );
    const parsed = lines.map((l) => JSON.parse(l));
    assert.equal(parsed.filter((p) => p.type === 'Point').length, 7);
    assert.equal(parsed.filter((p) => p.type === 'Metric').length, 4);
    const points = parsed.filter((p) => p.type === 'Point');
    assert.deepEqual(points[3].data, { time: '2025-01-15T09:30:00.00225Z', value: 1, tags: { check: 'status is 200, "really"', group: '::browse', scenario: 'browse' } });
    // second batch: tag set 1 reused by id, inline tags for id -1, µs precision
    assert.equal(points[4].metric, 'http_reqs');
    assert.equal(points[4].data.tags.route, '/api/query');
    assert.equal(points[5].data.time, '2025-01-15T09:30:01Z'); // 1000.000001 ms rounds to the µs
    assert.equal(points[5].data.value, 1500);
    assert.deepEqual(points[6].data.tags, { check: 'inline', custom: 'x y' });
    assert.equal(out.samplesWritten, 7);
    assert.equal(out.samplesDropped, 0);
    assert.deepEqual(ctx.warnings, []);
    assert.ok(T0);
  });

  it('gzips when the file name ends in .gz, and keeps samples added before start', async () => {
    const out = new JsonOutput(join(dir, 'samples.ndjson.gz'), context(dir));
    const [a, b] = batches();
    out.addSamples(a); // before start: queued
    await out.start();
    out.addSamples(b);
    await out.stop();
    out.addSamples(a); // after stop: ignored
    const raw = await readFile(join(dir, 'samples.ndjson.gz'));
    assert.equal(raw[0], 0x1f);
    assert.equal(raw[1], 0x8b);
    const lines = gunzipSync(raw).toString('utf8').trimEnd().split('\n');
    assert.equal(lines.length, 7 + 4);
    assert.ok(lines.every((l) => JSON.parse(l)));
  });

  it('drops (and counts, and warns once) when the disk cannot keep up, keeping whole lines', async () => {
    const ctx = context(dir, { maxBufferedBytes: 2048 });
    const out = new JsonOutput(join(dir, 'slow.ndjson'), ctx);
    await out.start();
    const [a, b] = batches();
    out.addSamples(a);
    // Synchronous adds: the stream cannot drain in between, so the buffer fills and later batches drop.
    for (let i = 0; i < 200; i++) out.addSamples(b);
    assert.ok(out.samplesDropped > 0, 'some batches dropped');
    assert.ok(out.samplesWritten > 0);
    assert.equal(ctx.warnings.length, 1);
    assert.match(ctx.warnings[0]!, /disk cannot keep up/);
    await out.stop();
    assert.equal(ctx.warnings.length, 2);
    assert.match(ctx.warnings[1]!, new RegExp(`${out.samplesDropped} of ${out.samplesDropped + out.samplesWritten} samples were dropped`));
    const lines = (await readFile(join(dir, 'slow.ndjson'), 'utf8')).trimEnd().split('\n');
    const points = lines.map((l) => JSON.parse(l)).filter((p) => p.type === 'Point');
    assert.equal(points.length, out.samplesWritten);
    // a dropped batch's tag sets are still known to later batches: every inline/ref tag resolved
    assert.ok(points.every((p) => typeof p.data.tags === 'object'));
  });

  it('tag-set ids are per source (worker)', async () => {
    const out = new JsonOutput(join(dir, 'sources.ndjson'), context(dir));
    await out.start();
    const mk = (source: number, tags: Record<string, string>) => ({
      metricNames: ['http_reqs'],
      tagSets: new Map([[0, tags]]),
      metric: [0],
      value: [1],
      tagSet: [0],
      time: [T0],
      length: 1,
      source,
    });
    out.addSamples(mk(0, { scenario: 'a' }));
    out.addSamples(mk(1, { scenario: 'b' }));
    out.addSamples({ ...mk(0, {}), tagSets: new Map() });
    await out.stop();
    const points = (await readFile(join(dir, 'sources.ndjson'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l)).filter((p) => p.type === 'Point');
    assert.deepEqual(points.map((p) => p.data.tags.scenario), ['a', 'b', 'a']);
  });

  it('start() fails with E_OUTPUT when the file cannot be created', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'a-file'), 'x');
    const out = new JsonOutput(join(dir, 'a-file', 'samples.ndjson'), context(dir));
    await assert.rejects(out.start(), (e: any) => e.code === 'E_OUTPUT' && e.exitCode === 104 && e.message.includes('a-file'));
    await out.stop();
  });
});
