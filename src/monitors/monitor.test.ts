import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePrometheusText } from './prometheus-text.js';
import { monitorMetricName, parseMonitorSpec, PrometheusMonitor, type MonitorValues } from './monitor.js';

test('the Prometheus text format: types, labels with escapes, special values, timestamps', () => {
  const s = parsePrometheusText(
    [
      '# HELP http_requests_total The total.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",path="/a\\"b}"} 3',
      'process_resident_memory_bytes 4.5e+07',
      'x_seconds{quantile="0.5"} NaN',
      'y +Inf',
      'garbage line',
    ].join('\n'),
  );
  assert.equal(s.types.get('http_requests_total'), 'counter');
  assert.deepEqual(s.samples.map((x) => [x.name, x.value]), [['http_requests_total', 1027], ['http_requests_total', 3], ['process_resident_memory_bytes', 45_000_000], ['x_seconds', NaN], ['y', Infinity]]);
  assert.equal(s.samples[1]!.labels, '{method="post",path="/a\\"b}"}');
});

test('monitor specs: URL and series; bad ones are named', () => {
  assert.deepEqual(parseMonitorSpec('prometheus=http://127.0.0.1:9100/metrics#process_resident_memory_bytes+node_load1').series, ['process_resident_memory_bytes', 'node_load1']);
  assert.equal(parseMonitorSpec('prometheus=http://127.0.0.1:9100/metrics').series, undefined);
  assert.equal(monitorMetricName('http_requests_total{code="500"}'), 'monitor_http_requests_total_code_500');
  for (const [bad, re] of [
    ['http://x/metrics', /expected prometheus=URL/],
    ['prometheus=not a url', /"not a url" is not a URL/],
    ['prometheus=ftp://x/metrics', /only http and https/],
    ['prometheus=http://x/m#1bad', /"1bad" is not a series name/],
  ] as const) {
    assert.throws(() => parseMonitorSpec(bad), (e: Error & { code?: string; exitCode?: number }) => e.code === 'E_MONITOR' && e.exitCode === 104 && re.test(e.message) && e.message.includes(JSON.stringify(bad)), bad);
  }
});

test('a monitor keeps the chosen series, sums label sets, turns counters into rates, and warns once when the endpoint fails', async () => {
  let cpu = 10;
  let up = true;
  const server = createServer((_req, res) => {
    if (!up) {
      res.statusCode = 503;
      res.end();
      return;
    }
    cpu += 0.5;
    res.end(`# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ${cpu}\nq{route="a"} 2\nq{route="b"} 3\nprocess_resident_memory_bytes 1000\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const got: MonitorValues[] = [];
  const warnings: string[] = [];
  const m = new PrometheusMonitor(parseMonitorSpec(`prometheus=${url}#process_cpu_seconds_total+q+q{route="b"}+missing`), (v) => got.push(v), (w) => warnings.push(w));
  try {
    await m.scrapeOnce();
    await new Promise((r) => setTimeout(r, 200));
    await m.scrapeOnce();
    assert.deepEqual(got[0], { monitor_q: 5, monitor_q_route_b: 3 }, 'a counter needs two scrapes for a rate');
    const rate = got[1]!.monitor_process_cpu_seconds_total!;
    assert.ok(rate > 0.5 && rate < 3, `0.5 CPU-second in ~0.2 s: ${rate}`);
    up = false;
    await m.scrapeOnce();
    await m.scrapeOnce();
    up = true;
    await m.scrapeOnce();
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0]!, /did not answer \(HTTP 503\); the run goes on/);
    assert.match(warnings[1]!, /answers again/);
  } finally {
    await m.stop();
    server.close();
  }
});
