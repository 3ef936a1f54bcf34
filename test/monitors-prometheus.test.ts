/**
 * Monitors against a real exporter: the Prometheus server from Debian (installed by .ci/setup)
 * exports its own process and Go runtime metrics, written by the official Go client library, on
 * /metrics. `volley run --monitor` scrapes them during a short run; the test stops Prometheus by its PID.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runVolley, startTestServer, writeScript } from './helpers.js';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? 'prometheus';
let prom: ChildProcess | undefined;
let dataDir: string | undefined;
let log = '';

after(async () => {
  if (prom && prom.exitCode === null && prom.signalCode === null && prom.pid !== undefined) {
    const exited = new Promise<void>((r) => prom!.once('exit', () => r()));
    process.kill(prom.pid, 'SIGTERM');
    const kill = setTimeout(() => prom?.pid !== undefined && process.kill(prom.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(kill);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test("a real exporter's memory, CPU and Go heap become monitor series with thresholds", { timeout: 60_000 }, async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'volley-prom-monitor-'));
  const config = join(dataDir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  prom = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dataDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  prom.on('error', (e) => (log += `spawn failed: ${e.message} (install it with apt-get install -y prometheus, or set PROMETHEUS_BIN)`));
  prom.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    assert.equal(prom.exitCode, null, `prometheus exited: ${log}`);
    if (await fetch(`${base}/-/ready`).then((r) => r.status === 200, () => false)) break;
    assert.ok(Date.now() < deadline, `prometheus not ready in 20 s: ${log}`);
    await sleep(200);
  }
  const server = await startTestServer();
  const out = join(dataDir, 'summary.json');
  try {
    const script = writeScript(`
import http from 'volley/http';
export const options = {
  scenarios: { s: { executor: 'constant-arrival-rate', rate: 10, duration: '4s', preAllocatedVUs: 2 } },
  monitors: ['prometheus=${base}/metrics'],
  thresholds: {
    monitor_process_resident_memory_bytes: ['max<4e9', 'min>1e6'],
    monitor_go_memstats_heap_inuse_bytes: ['value>0'],
  },
};
export default async function () { await http.get(__ENV.BASE_URL + '/ok'); }
`);
    const r = await runVolley(['run', script, '-e', `BASE_URL=${server.url}`, '--summary-export', out, '--quiet']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(s.volley.thresholds.map((t: { ok: boolean }) => t.ok), [true, true, true]);
    for (const m of ['monitor_process_resident_memory_bytes', 'monitor_go_memstats_heap_inuse_bytes', 'monitor_process_open_fds']) {
      assert.ok(s.metrics[m]?.values?.max > 0, `${m}: ${JSON.stringify(s.metrics[m])}`);
    }
    const cpu = s.volley.timeSeries.series.monitor_process_cpu_seconds_total as (number | null)[] | undefined;
    assert.ok(cpu && cpu.some((v) => v !== null && v >= 0), 'CPU cores in use, from the counter');
  } finally {
    await server.close();
  }
});
