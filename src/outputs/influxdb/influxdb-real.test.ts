/**
 * The InfluxDB output against a real InfluxDB 1.x (Debian's `influxdb` package: `influxd`),
 * started by the test on 127.0.0.1 with temporary directories and stopped by its PID. Skipped,
 * saying so, when influxd is not installed (the line-protocol tests cover the format then).
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
import { SnapshotFixture, standardLoad } from '../testing/monitoring-fixture.js';
import { context } from '../testing/helpers.js';
import { createInfluxDbOutput } from './influxdb-output.js';

const INFLUXD = process.env.INFLUXD_BIN ?? 'influxd';

let child: ChildProcess | undefined;
let log = '';
let dir: string | undefined;

after(async () => {
  if (child && child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));
    process.kill(child.pid, 'SIGTERM');
    const kill = setTimeout(() => child?.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(kill);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** InfluxQL → the first series' rows as objects. */
async function select(base: string, q: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${base}/query?db=k6&q=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { results: Array<{ error?: string; series?: Array<{ columns: string[]; values: unknown[][] }> }> };
  const r = body.results[0]!;
  assert.equal(r.error, undefined, r.error);
  const s = r.series?.[0];
  return s ? s.values.map((row) => Object.fromEntries(s.columns.map((c, i) => [c, row[i]]))) : [];
}

test('InfluxDB 1.x stores the points with the right values', { timeout: 60_000 }, async (t) => {
  const v = spawnSync(INFLUXD, ['version'], { encoding: 'utf8' });
  if (v.error) {
    t.skip(`influxd is not installed (apt-get install -y influxdb to run this test); the line-protocol receiver tests still cover the format`);
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'volley-influx-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const config = join(dir, 'influxdb.conf');
  writeFileSync(
    config,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${join(dir, 'meta')}"`,
      '[data]',
      `  dir = "${join(dir, 'data')}"`,
      `  wal-dir = "${join(dir, 'wal')}"`,
      '  query-log-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${httpPort}"`,
      '  log-enabled = false',
      '[logging]',
      '  level = "warn"',
      '[monitor]',
      '  store-enabled = false',
      '',
    ].join('\n'),
  );
  child = spawn(INFLUXD, ['-config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const base = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    assert.equal(child.exitCode, null, `influxd exited: ${log}`);
    const ok = await fetch(`${base}/ping`).then(
      (r) => r.status === 204,
      () => false,
    );
    if (ok) break;
    assert.ok(Date.now() < deadline, `influxd not ready in 20 s: ${log}`);
    await sleep(100);
  }

  const ctx = context('/tmp');
  // k6's URL form: the database is created by the output.
  const out = createInfluxDbOutput(`${base}/k6,testid=r1,pushInterval=200ms`, ctx);
  await out.start();
  const f = new SnapshotFixture();
  standardLoad(f);
  const t1 = Date.now() - 2000;
  out.addSnapshot(f.snapshot(t1));
  await sleep(400);
  f.request({ name: 'http://127.0.0.1/a', method: 'GET', status: 200, durationMs: 30 });
  f.request({ name: 'http://127.0.0.1/a', method: 'GET', status: 200, durationMs: 50 });
  out.addSnapshot(f.snapshot(t1 + 1000));
  await out.stop();
  assert.deepEqual(ctx.warnings, []);

  const reqs = await select(base, `SELECT "value", "count" FROM "http_reqs" WHERE "testid" = 'r1'`);
  assert.deepEqual(
    // InfluxDB trims trailing zeros of the fraction (…55.36Z for …55.360Z): compare instants.
    reqs.map((r) => [Date.parse(String(r.time)), r.value, r.count]),
    [
      [t1, 15, 15],
      [t1 + 1000, 2, 17],
    ],
  );
  // k6 dashboards sum "value": the per-interval values add up to the total.
  assert.equal((await select(base, `SELECT sum("value") FROM "http_reqs" WHERE "testid" = 'r1'`))[0]!.sum, 17);
  const dur = await select(base, `SELECT last("value") AS v, last("max") AS mx, last("count") AS n FROM "http_req_duration" WHERE "testid" = 'r1'`);
  assert.deepEqual([dur[0]!.v, dur[0]!.mx, dur[0]!.n], [40, 200, 17]);
  const route = await select(base, `SELECT last("count") FROM "by_route_http_reqs" WHERE "testid" = 'r1' AND "name" = 'http://127.0.0.1/a' AND "method" = 'GET'`);
  assert.equal(route[0]!.last, 12);
  const checks = await select(base, `SELECT last("rate") FROM "checks" WHERE "testid" = 'r1'`);
  assert.equal(checks[0]!.last, 0.75);
});
