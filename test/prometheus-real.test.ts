/**
 * The Prometheus outputs against a real Prometheus server (Debian's `prometheus` package): the
 * test starts it on 127.0.0.1 with a temporary data directory, the remote-write receiver enabled
 * and a 1 s scrape of a `prometheus=` output; feeds snapshots with known values through both
 * outputs, and reads them back with the HTTP query API. Prometheus is stopped by its PID.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SnapshotFixture, standardLoad } from '../src/outputs/testing/monitoring-fixture.js';
import { createRemoteWriteOutput, type RemoteWriteOutput } from '../src/outputs/prometheus/remote-write-output.js';
import { createScrapeOutput, type ScrapeOutput } from '../src/outputs/prometheus/scrape-output.js';
import { context } from '../src/outputs/testing/helpers.js';
import { runVolley, startTestServer, writeScript } from './helpers.js';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? 'prometheus';

let prom: ChildProcess | undefined;
let promLog = '';
let dataDir: string | undefined;
let rw: RemoteWriteOutput | undefined;
let scrape: ScrapeOutput | undefined;

after(async () => {
  await rw?.stop();
  await scrape?.stop();
  await stopProcess(prom);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** SIGTERM to the child we started (by its PID), SIGKILL after 5 s; waits for it to exit. */
async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  const killTimer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(killTimer);
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** `/api/v1/query` → [{ metric labels, value }]. */
async function query(base: string, promql: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  assert.equal(body.status, 'success', body.error);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** Polls `promql` until it returns exactly one series whose value is `want` (bounded). */
async function waitFor(base: string, promql: string, want: number, timeoutMs = 20_000): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  let last: Array<{ metric: Record<string, string>; value: number }> = [];
  while (Date.now() < deadline) {
    last = await query(base, promql);
    if (last.length === 1 && Math.abs(last[0]!.value - want) <= 1e-9 * Math.max(1, Math.abs(want))) return last[0]!.metric;
    await sleep(250);
  }
  assert.fail(`${promql}: expected one series = ${want}, got ${JSON.stringify(last)}\nprometheus log:\n${promLog.slice(-2000)}`);
}

test('Prometheus holds the run metrics, by remote write and by scrape, with the right values', { timeout: 60_000 }, async () => {
  const version = spawnSync(PROMETHEUS, ['--version'], { encoding: 'utf8' });
  if (version.error) {
    assert.fail(`prometheus is not installed (${(version.error as NodeJS.ErrnoException).code}): install it with \`apt-get install -y prometheus\` (Debian), or set PROMETHEUS_BIN`);
  }

  // The scrape endpoint first: Prometheus' config names its address.
  const scrapeCtx = context('/tmp');
  scrape = createScrapeOutput('127.0.0.1:0,testid=scrape', scrapeCtx);
  await scrape.start();

  dataDir = mkdtempSync(join(tmpdir(), 'volley-prom-'));
  const config = join(dataDir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: volley',
      '    scrape_interval: 1s',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${scrape.address.port}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  prom = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dataDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  prom.stderr!.on('data', (d: Buffer) => (promLog += d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    assert.equal(prom.exitCode, null, `prometheus exited: ${promLog}`);
    const ok = await fetch(`${base}/-/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    assert.ok(Date.now() < deadline, `prometheus not ready in 20 s: ${promLog}`);
    await sleep(200);
  }

  const rwCtx = context('/tmp');
  rw = createRemoteWriteOutput(`${base}/api/v1/write,testid=rw,pushInterval=250ms`, rwCtx);
  await rw.start();

  // Known values: 15 requests (10 to /a, 5 to /b), checks 3 of 4, vus 7.
  const f = new SnapshotFixture();
  standardLoad(f);
  const snap1 = f.snapshot(Date.now());
  rw.addSnapshot(snap1);
  scrape.addSnapshot(snap1);
  const p95 = snap1.series.find((s) => s.name === 'http_req_duration' && Object.keys(s.tags).length === 0)!.values['p(95)']! / 1000;

  for (const testid of ['rw', 'scrape']) {
    await waitFor(base, `k6_http_reqs_total{testid="${testid}"}`, 15);
    await waitFor(base, `k6_vus{testid="${testid}"}`, 7);
    await waitFor(base, `k6_checks_rate{testid="${testid}"}`, 0.75);
    await waitFor(base, `k6_http_req_duration_max{testid="${testid}"}`, 0.2);
    await waitFor(base, `k6_http_req_duration_p95{testid="${testid}"}`, p95);
    await waitFor(base, `k6_by_route_http_reqs_total{testid="${testid}",name="http://127.0.0.1/a",method="GET"}`, 10);
    await waitFor(base, `k6_by_check_checks_rate{testid="${testid}",group="::browse",check="status is 200"}`, 2 / 3);
  }
  // Scraped series carry Prometheus' job label.
  const scraped = await waitFor(base, 'k6_http_reqs_total{testid="scrape"}', 15);
  assert.equal(scraped.job, 'volley');

  // A later snapshot replaces the values; sum() over a k6 name is the total (views do not overlap).
  for (let i = 0; i < 5; i++) f.request({ name: 'http://127.0.0.1/b', method: 'POST', status: 201, durationMs: 50 });
  const snap2 = f.snapshot(Date.now());
  rw.addSnapshot(snap2);
  scrape.addSnapshot(snap2);
  // The last snapshot is flushed by stop() for remote write.
  await rw.stop();
  await waitFor(base, 'sum(k6_http_reqs_total{testid="rw"})', 20);
  await waitFor(base, 'k6_by_route_http_reqs_total{testid="rw",method="POST"}', 10);
  await waitFor(base, 'sum(k6_http_reqs_total{testid="scrape"})', 20);
  assert.deepEqual(rwCtx.warnings, []);
  assert.deepEqual(scrapeCtx.warnings, []);
  assert.equal(rw.queue.dropped, 0);
  assert.ok(scrape.scrapes >= 2);
});

test('native histograms: 3 runners push http_req_duration as Prometheus native histograms; Prometheus adds them into the merged percentiles; a run with k6Tags fills the k6 tag filters', { timeout: 90_000 }, async () => {
  const version = spawnSync(PROMETHEUS, ['--version'], { encoding: 'utf8' });
  if (version.error) assert.fail(`prometheus is not installed (${(version.error as NodeJS.ErrnoException).code}): apt-get install -y prometheus, or set PROMETHEUS_BIN`);
  const dir = mkdtempSync(join(tmpdir(), 'volley-prom-nh-'));
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1s\n');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const p = spawn(
    PROMETHEUS,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver', '--enable-feature=native-histograms', '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  p.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const outputs: RemoteWriteOutput[] = [];
  try {
    const deadline = Date.now() + 20_000;
    while (!(await fetch(`${base}/-/ready`).then((r) => r.status === 200, () => false))) {
      assert.equal(p.exitCode, null, `prometheus exited: ${log}`);
      assert.ok(Date.now() < deadline, `prometheus not ready in 20 s: ${log}`);
      await sleep(200);
    }
    // Three runners with different latency profiles; `all` records every sample, as one run would.
    const all = new SnapshotFixture();
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let r = 0; r < 3; r++) {
      const f = new SnapshotFixture();
      for (let i = 0; i < 3000; i++) {
        const ms = 2 + r * 15 + rnd() * rnd() * (40 + r * 200);
        const req = { name: 'http://127.0.0.1/a', method: 'GET', status: 200, durationMs: ms };
        f.request(req);
        all.request(req);
      }
      const ctx = context('/tmp');
      const o = createRemoteWriteOutput(`${base}/api/v1/write,testid=nh,label.instance=runner-${r},trendAsNativeHistogram=true`, ctx);
      assert.equal(o.exponentialSchema, 8);
      await o.start();
      outputs.push(o);
      o.addSnapshot(f.snapshot(Date.now(), 1000, { exponentialSchema: o.exponentialSchema! }));
      await o.stop();
      assert.deepEqual(ctx.warnings, []);
    }
    const merged = all.snapshot(Date.now()).series.find((s) => s.name === 'http_req_duration' && s.view === 'total')!.values;
    await waitFor(base, 'count(k6_http_req_duration_seconds{testid="nh"})', 3);
    await waitFor(base, 'histogram_count(sum(k6_http_req_duration_seconds{testid="nh"}))', 9000);
    const [sum] = await query(base, 'histogram_sum(sum(k6_http_req_duration_seconds{testid="nh"}))');
    assert.ok(Math.abs(sum!.value - merged.sum! / 1000) < 1e-6 * merged.sum!, `sum ${sum!.value} vs ${merged.sum! / 1000}`);
    // Percentiles across runners: within one bucket (0.27 %) plus HDR's 0.1 % of the merged summary's.
    for (const [q, stat] of [[0.5, 'med'], [0.95, 'p(95)'], [0.99, 'p(99)']] as const) {
      const [r] = await query(base, `histogram_quantile(${q}, sum(k6_http_req_duration_seconds{testid="nh"}))`);
      const want = merged[stat]! / 1000;
      assert.ok(Math.abs(r!.value - want) <= 0.004 * want, `p${q * 100}: Prometheus ${r!.value} s, merged summary ${want} s`);
    }
    // The stat gauges are replaced by the histogram; counters stay.
    assert.deepEqual(await query(base, 'k6_http_req_duration_p95{testid="nh"}'), []);
    await waitFor(base, 'sum(k6_http_reqs_total{testid="nh"})', 9000);

    // A real run with k6Tags: the k6 dashboards' filters (expected_response, status, name) have series.
    const target = await startTestServer();
    try {
      const script = writeScript(`
import http from 'volley/http';
import exec from 'volley/execution';
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 25 } } };
export default async function () { await http.get(__ENV.BASE + (exec.scenario.iterationInTest % 5 === 4 ? '/status/500' : '/ok')); }
`);
      const r = await runVolley(['run', script, '-e', `BASE=${target.url}`, '--quiet', '--no-summary', '--out', `prometheus-rw=${base}/api/v1/write,testid=k6t,k6Tags=true,trendAsNativeHistogram=true`]);
      assert.equal(r.code, 0, r.stderr);
      await waitFor(base, 'sum(k6_http_reqs_total{testid="k6t"})', 25);
      await waitFor(base, 'sum(k6_http_reqs_total{testid="k6t",expected_response="false",status="500"})', 5);
      await waitFor(base, 'histogram_count(sum(k6_http_req_duration_seconds{testid="k6t",expected_response="true"}))', 20);
      const byName = await query(base, 'sum by (name) (k6_http_reqs_total{testid="k6t"})');
      assert.equal(byName.length, 2, JSON.stringify(byName));
    } finally {
      await target.close();
    }
  } finally {
    for (const o of outputs) await o.stop();
    await stopProcess(p);
    rmSync(dir, { recursive: true, force: true });
  }
});
