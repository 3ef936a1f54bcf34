/**
 * Monitors end to end: `volley run --monitor prometheus=…` against `volley target`'s real /metrics
 * (its process memory and CPU), thresholds on them, and a leaking service flagged by drift analysis.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { runVolley, runWithDashboard, startTestServer, writeScript } from './helpers.js';

const script = (seconds: number, thresholds: string) => `
import http from 'volley/http';
export const options = {
  scenarios: { s: { executor: 'constant-arrival-rate', rate: 20, duration: '${seconds}s', preAllocatedVUs: 5, maxVUs: 20 } },
  thresholds: ${thresholds},
};
export default async function () { await http.get(__ENV.BASE_URL + '/api/items/1'); }
`;

test("the target's memory and CPU are scraped beside the load and carry thresholds", async () => {
  const target = await startTarget({ port: 0 });
  const out = join(mkdtempSync(join(tmpdir(), 'volley-monitor-')), 's.json');
  try {
    const path = writeScript(script(4, `{ monitor_process_resident_memory_bytes: ['max<1e12', 'max<1000'], monitor_process_cpu_seconds_total: ['max<64'] }`));
    const r = await runVolley(['run', path, '-e', `BASE_URL=${target.url}`, '--monitor', `prometheus=${target.url}/metrics`, '--summary-export', out, '--report', out.replace(/json$/, 'html')]);
    assert.equal(r.code, 99, r.stderr + r.stdout);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    // The report draws them beside the load.
    const html = readFileSync(out.replace(/json$/, 'html'), 'utf8');
    assert.match(html, /<div class="chart" id="chart-monitors"><h3>System under test<\/h3>/);
    assert.match(html, /"label":"process_resident_memory_bytes","unit":"size"/);
    const rss = s.metrics.monitor_process_resident_memory_bytes.values;
    assert.ok(rss.max > 10e6 && rss.max < 4e9, `RSS of the target ${rss.max}`);
    const th = s.volley.thresholds.map((t: { expr: string; ok: boolean }) => [t.expr, t.ok]);
    assert.deepEqual(th, [['max<1e12', true], ['max<1000', false], ['max<64', true]]);
    const col = s.volley.timeSeries.series.monitor_process_resident_memory_bytes as (number | null)[];
    assert.ok(col.filter((v) => v !== null && v > 10e6).length >= 3, `a memory point per second: ${JSON.stringify(col)}`);
    assert.ok((s.volley.timeSeries.series.monitor_process_cpu_seconds_total as (number | null)[]).some((v) => v !== null && v > 0), 'CPU as cores in use');
  } finally {
    await target.close();
  }
});

test('the live dashboard gets the monitored series in its per-second rows', async () => {
  const target = await startTarget({ port: 0 });
  const path = writeScript(script(4, '{}'));
  try {
    const { events, code } = await runWithDashboard([path, '-e', `BASE_URL=${target.url}`, '--monitor', `prometheus=${target.url}/metrics#process_resident_memory_bytes`]);
    const rows = events.filter((e) => e.event === 'update').map((e) => (e.data as { row: { v: Record<string, number | null> } | null }).row);
    const rss = rows.map((r) => r?.v.monitor_process_resident_memory_bytes).filter((v): v is number => typeof v === 'number');
    assert.ok(rss.length >= 2 && rss.every((v) => v > 10e6), `memory in the live rows: ${JSON.stringify(rss)}`);
    assert.equal(code, 0);
  } finally {
    await target.close();
  }
});

test('a service whose memory grows is flagged as a leak; an endpoint that does not answer is a warning', async () => {
  let first = 0;
  const leaky = await startTestServer((req, res) => {
    if (req.url === '/metrics') {
      first ||= Date.now();
      // 50 MB, growing 2 MB a second (plus a little noise), as a cache without eviction would.
      const rss = 50e6 + 2e6 * ((Date.now() - first) / 1000) + (Date.now() % 7) * 1e4;
      res.end(`# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes ${rss}\n`);
      return true;
    }
    return false;
  });
  const out = join(mkdtempSync(join(tmpdir(), 'volley-monitor-')), 's.json');
  try {
    const path = writeScript(script(12, `{ 'monitor_process_resident_memory_bytes': ['max<300e6', 'drift<=0'] }`));
    const r = await runVolley(['run', path, '-e', `BASE_URL=${leaky.url}`, '--monitor', `prometheus=${leaky.url}/metrics,prometheus=http://127.0.0.1:1/metrics`, '--summary-export', out]);
    assert.equal(r.code, 99, r.stderr + r.stdout);
    assert.match(r.stderr + r.stdout, /monitor http:\/\/127\.0\.0\.1:1\/metrics did not answer .*the run goes on/);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    const leak = s.volley.drift.find((d: { series: string }) => d.series === 'monitor_process_resident_memory_bytes');
    assert.equal(leak.drift, 'up', leak.text);
    assert.ok(Math.abs(leak.slopePerHour - 7.2e9) < 1.5e9, `2 MB/s is 7.2 GB/h: ${leak.slopePerHour}`);
    assert.match(r.stdout, /⚠ process_resident_memory_bytes grew [\d,.]+ % over \d+ s \(\+[\d,]+ %\/h\)/);
    // "No memory leaks" as a gate: the peak is under 300 MB, but the memory grows.
    assert.deepEqual(s.volley.thresholds.map((t: { expr: string; ok: boolean }) => [t.expr, t.ok]), [['max<300e6', true], ['drift<=0', false]]);
    assert.match(r.stdout, /✗ 'drift<=0' drift=\+[\d,]+ %\/h \(monitor_process_resident_memory_bytes grew/);
  } finally {
    await leaky.close();
  }
});

test('a monitor that is not a Prometheus URL stops the run before it starts (exit 104), naming the value', async () => {
  const path = writeScript('export default function () {}');
  const r = await runVolley(['run', path, '--monitor', 'prometheus=ftp://x/metrics']);
  assert.equal(r.code, 104, r.stderr);
  assert.match(r.stderr, /monitor "prometheus=ftp:\/\/x\/metrics": only http and https endpoints are scraped/);
});
