/**
 * What a hostile script or target does to the runtime (issue 15): scripts that never yield, targets
 * that never answer, nonsense sizes, signals; and VU ids, guidance and console output that must hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runVolley, startTestServer, writeScript } from './helpers.js';
import type { SummaryData } from '../src/summary/types.js';

function readSummary(script: string): SummaryData {
  return JSON.parse(readFileSync(join(dirname(script), 'summary.json'), 'utf8')) as SummaryData;
}

test('__VU and exec.vu.idInTest run 1..N across worker threads, as in k6', async () => {
  const server = await startTestServer();
  try {
    const script = writeScript(
      `import http from 'volley/http';
       import exec from 'volley/execution';
       export const options = { scenarios: {
         a: { executor: 'per-vu-iterations', vus: 5, iterations: 1 },
         b: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '300ms', target: 3 }], startTime: '0s', gracefulRampDown: '0s' },
       } };
       export default async function () {
         if (__ITER === 0) await http.get('${server.url}/vu/' + __VU + '/' + exec.vu.idInTest);
       }`,
    );
    const r = await runVolley(['run', script, '--quiet', '--workers', '2', '--no-summary']);
    assert.equal(r.code, 0, r.stderr);
    const ids = [...server.counts.keys()].filter((p) => p.startsWith('/vu/')).map((p) => p.split('/'));
    for (const [, , vu, idInTest] of ids) assert.equal(vu, idInTest);
    const seen = ids.map((p) => Number(p[2])).sort((x, y) => x - y);
    // 5 VUs of scenario a and up to 3 of b: ids 1..8 without holes or repeats.
    assert.deepEqual(seen, [...new Set(seen)]);
    assert.ok(seen.length >= 6, `ids ${seen.join(',')}`);
    assert.ok(seen.every((v) => v >= 1 && v <= 8), `ids ${seen.join(',')}`);
    for (let v = 1; v <= 5; v++) assert.ok(seen.includes(v), `VU ${v} missing from ${seen.join(',')}`);
  } finally {
    await server.close();
  }
});

/** A preload that writes the process's CPU time (all threads) to `file` when it exits. */
function cpuProbe(): { env: Record<string, string>; cpuMs: () => number } {
  const dir = dirname(writeScript('', 'probe.mjs'));
  const probe = join(dir, 'probe.mjs');
  const out = join(dir, 'cpu.json');
  writeFileSync(
    probe,
    `import { isMainThread } from 'node:worker_threads';
     import { writeFileSync } from 'node:fs';
     if (isMainThread) process.on('exit', () => { const u = process.cpuUsage(); writeFileSync(${JSON.stringify(out)}, JSON.stringify(u)); });`,
  );
  return {
    env: { NODE_OPTIONS: `--import ${pathToFileURL(probe).href}` },
    cpuMs: () => {
      const u = JSON.parse(readFileSync(out, 'utf8')) as { user: number; system: number };
      return (u.user + u.system) / 1000;
    },
  };
}

test('arrival-rate waits on timers: 1,000/s against a hung server costs a small part of a core, and no saturation warning', async () => {
  const server = await startTestServer(() => true); // accepts, never answers
  try {
    const script = writeScript(
      `import http from 'volley/http';
       export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1s', duration: '3s', preAllocatedVUs: 10, maxVUs: 10, gracefulStop: '0s' } } };
       export default async function () { await http.get('${server.url}/hang'); }`,
    );
    const probe = cpuProbe();
    const t0 = performance.now();
    const r = await runVolley(['run', script, '--quiet', '--workers', '1', '--summary-export', join(dirname(script), 'summary.json')], { env: probe.env });
    const wallMs = performance.now() - t0;
    const cpuMs = probe.cpuMs();
    assert.doesNotMatch(r.stderr, /saturated/);
    const data = readSummary(script);
    assert.ok((data.metrics.dropped_iterations?.values.count ?? 0) > 2500, JSON.stringify(data.metrics.dropped_iterations));
    // Before: a busy loop of setImmediate, ~90 % of a core during the test. Process start-up and
    // bundling take CPU too, so the bound is on the whole process over its whole life.
    assert.ok(cpuMs < 0.4 * wallMs, `CPU ${cpuMs.toFixed(0)} ms in ${wallMs.toFixed(0)} ms`);
  } finally {
    await server.close();
  }
});

test('arrival-rate keeps the exact schedule with timer waits: start lag stays small at 1,000/s', async () => {
  const script = writeScript(
    `export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1s', duration: '2s', preAllocatedVUs: 100, maxVUs: 100 } } };
     export default function () {}`,
  );
  const r = await runVolley(['run', script, '--quiet', '--workers', '1', '--summary-export', join(dirname(script), 'summary.json')]);
  assert.equal(r.code, 0, r.stderr);
  const data = readSummary(script);
  // A stall of the loaded machine can make more than 100 arrivals due at once: those are dropped, never lost.
  const its = data.metrics.iterations?.values.count ?? 0;
  assert.equal(its + (data.metrics.dropped_iterations?.values.count ?? 0), 2000);
  assert.ok(its > 1900, `iterations ${its}`);
  const lag = data.metrics.iteration_start_lag?.values ?? {};
  // Timers fire ~1 ms late at best; a loaded machine adds more. A schedule lost would lag by seconds.
  assert.ok((lag['med'] ?? Infinity) < 5, JSON.stringify(lag));
});

test('a fully hung target is not a success: cut requests are failed (1060), interrupted iterations counted, warnings printed', async () => {
  const server = await startTestServer(() => true); // accepts, never answers
  try {
    const script = writeScript(
      `import http from 'volley/http';
       export const options = { scenarios: { s: { executor: 'constant-vus', vus: 5, duration: '1s', gracefulStop: '500ms' } } };
       export default async function () { await http.get('${server.url}/hang'); }`,
    );
    const r = await runVolley(['run', script, '--workers', '2', '--summary-export', join(dirname(script), 'summary.json')]);
    const data = readSummary(script);
    assert.equal(server.total(), 5);
    // Every request the server saw is in the results, failed with the code for "cut by the end of the test".
    assert.equal(data.metrics.http_reqs?.values.count, 5, JSON.stringify(data.metrics.http_reqs));
    assert.equal(data.metrics.http_req_failed?.values.rate, 1);
    assert.ok((data.volley.errors ?? []).some((e) => /1060/.test(e.key + e.message) && e.count === 5), JSON.stringify(data.volley.errors));
    const sc = data.volley.scenarios.find((s) => s.name === 's')!;
    assert.equal(sc.iterations, 0);
    assert.equal(sc.interruptedIterations, 5);
    assert.match(r.stdout, /5 interrupted/);
    assert.match(r.stdout, /no HTTP request completed/);
    assert.equal(r.code, 0, r.stderr); // no thresholds: k6's exit code; the warnings say what happened
  } finally {
    await server.close();
  }
});

test('dropped iterations are warned about, as docs/outputs.md shows', async () => {
  const script = writeScript(
    `import { sleep } from 'volley';
     export const options = { scenarios: { ingest: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 1 } } };
     export default async function () { await sleep(0.3); }`,
  );
  const r = await runVolley(['run', script, '--quiet', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /scenario "ingest" dropped \d+ iterations: all 1 VUs were busy \(raise maxVUs or lower the rate\)/);
});
