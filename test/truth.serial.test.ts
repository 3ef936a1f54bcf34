/**
 * Volley's numbers against ground truth: the built-in target records what it really did (its own
 * per-route service times), and a stall schedule tells exactly how long each request scheduled at
 * time t must have waited. Tolerances hold on a loaded 2-core machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startTarget, type RouteStatsSnapshot, type TargetStats } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';
import type { SummaryData } from '../src/summary/types.js';

const STATS = "summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(50)', 'p(95)', 'p(99)']";

async function runScript(source: string, env: Record<string, string>): Promise<SummaryData> {
  const script = writeScript(source);
  const out = join(dirname(script), 's.json');
  const args = ['run', script, '--quiet', '--summary-export', out];
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  const r = await runVolley(args, { timeoutMs: 90_000 });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

test('reported percentiles match the target’s own service times (within 1 ms + 2%)', async (t) => {
  // Ours also includes the loopback hop and waking the generator's thread (0.3–0.5 ms on this VM,
  // quiet): the 1 ms + 2% bound is the issue's, with a model slow enough for 2% to matter. A burst
  // of noise from the host (CI once saw p95 4.6 ms apart: a few requests near p95 held up a few ms
  // move it by one rank spacing, ≈ 1 ms, each) does not repeat, so a miss is measured once more; a
  // real bias misses both times.
  const misses: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    const miss = await measureAgainstTruth(t);
    if (miss === undefined) return;
    misses.push(`attempt ${attempt}: ${miss}`);
  }
  assert.fail(misses.join('; '));
});

/** One 800-request run against a lognormal route; the first percentile out of bounds, if any. */
async function measureAgainstTruth(t: { diagnostic(m: string): void }): Promise<string | undefined> {
  const target = await startTarget({
    profile: 'none',
    routes: [{ method: 'GET', path: '/lat', latency: { lognormal: { p50: '50ms', p99: '250ms' } } }],
  });
  try {
    const d = await runScript(
      `import http from 'volley/http';
       export const options = { ${STATS},
         scenarios: { s: { executor: 'constant-arrival-rate', rate: 100, timeUnit: '1s', duration: '8s', preAllocatedVUs: 40, maxVUs: 200 } } };
       export default async function () { await http.get(__ENV.T + '/lat', { tags: { name: 'lat' } }); }`,
      { T: target.url },
    );
    const stats = (await (await fetch(`${target.url}/__volley/stats`)).json()) as TargetStats;
    const route = Object.values(stats.routes as Record<string, RouteStatsSnapshot>).find((r) => r.path === '/lat')!;
    assert.equal(route.count, 800);
    assert.equal(d.metrics.http_reqs?.values.count, 800);
    const ours = d.metrics.http_req_duration!.values;
    const truth = route.serviceTimeMs;
    t.diagnostic(`volley p50/p95/p99 ${[ours['p(50)'], ours['p(95)'], ours['p(99)']].map((x) => x!.toFixed(2)).join('/')} ms; target ${[truth.p50, truth.p95, truth.p99].map((x) => x.toFixed(2)).join('/')} ms`);
    // Both match the configured model loosely (a sample of 800 from a lognormal).
    assert.ok(Math.abs(truth.p50 - 50) < 10, `target p50 ${truth.p50}`);
    for (const [k, want] of [['p(50)', truth.p50], ['p(95)', truth.p95], ['p(99)', truth.p99]] as const) {
      const v = ours[k]!;
      if (Math.abs(v - want) > 1 + 0.02 * want) return `${k}: volley ${v.toFixed(3)} ms vs target ${want.toFixed(3)} ms`;
    }
    return undefined;
  } finally {
    await target.close();
  }
}

test('a stall under an open model shows in http_req_corrected_duration; a closed model hides it', async () => {
  // The whole service freezes for 1 s every 4 s. A request scheduled at t waits until the stall ends.
  const stall = { every: 4000, for: 1000, at: 2000 };
  const origin = Date.now();
  const target = await startTarget({
    profile: 'none',
    config: { stalls: [{ every: '4s', for: '1s', at: '2s' }] },
    routes: [{ method: 'GET', path: '/fast', latency: { fixed: '1ms' } }],
  });
  const waitAt = (epochMs: number): number => {
    const rel = epochMs - origin - stall.at;
    if (rel < 0) return 0;
    const phase = rel % stall.every;
    return phase < stall.for ? stall.for - phase : 0;
  };
  try {
    // Open model, few VUs (10 for 100/s), queue on busy (wrk2-style): arrivals keep their schedule.
    const open = await runScript(
      `import http from 'volley/http';
       export const options = { ${STATS},
         scenarios: { s: { executor: 'constant-arrival-rate', rate: 100, timeUnit: '1s', duration: '12s', preAllocatedVUs: 10, maxVUs: 10, whenBusy: 'queue' } } };
       export default async function () { await http.get(__ENV.T + '/fast'); }`,
      { T: target.url },
    );
    const start = Date.parse(open.volley.startTime);
    const truth: number[] = [];
    for (let i = 0; i < 1200; i++) truth.push(waitAt(start + i * 10) + 1);
    truth.sort((a, b) => a - b);
    const t99 = percentile(truth, 99);
    const t95 = percentile(truth, 95);
    assert.ok(t99 > 500, `the schedule must put requests into stalls (truth p99 ${t99})`);
    const corrected = open.metrics.http_req_corrected_duration!.values;
    for (const [k, t] of [['p(95)', t95], ['p(99)', t99]] as const) {
      const v = corrected[k]!;
      // The ground truth assumes a client that never lags; after each stall Volley drains ~100 queued
      // iterations with 10 VUs, which on a CPU-starved machine adds tens of ms: 60 ms + 10% covers it.
      assert.ok(Math.abs(v - t) <= 60 + 0.1 * t, `corrected ${k}: ${v.toFixed(1)} ms vs ground truth ${t.toFixed(1)} ms`);
    }
    // The uncorrected duration (k6's, from send) misses most of it: only the VUs caught in flight saw the stall.
    assert.ok(open.metrics.http_req_duration!.values['p(95)']! < t95 / 2, `uncorrected p95 ${open.metrics.http_req_duration!.values['p(95)']}`);
    assert.equal(open.metrics.dropped_iterations?.values.count ?? 0, 0);

    // Closed model: VUs wait politely during the stall, so almost no request "sees" it.
    const closed = await runScript(
      `import http from 'volley/http';
       export const options = { ${STATS}, vus: 5, duration: '12s' };
       export default async function () { await http.get(__ENV.T + '/fast'); }`,
      { T: target.url },
    );
    const c99 = closed.metrics.http_req_duration!.values['p(99)']!;
    assert.ok(c99 < t99 / 4, `closed-model p99 ${c99} ms should hide a stall whose true p99 is ${t99} ms`);
  } finally {
    await target.close();
  }
});

test('arrival schedules are exact: the count to the iteration, every whole second within 5% of the rate', async () => {
  const d = await runScript(
    `export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 2000, timeUnit: '1s', duration: '5s', preAllocatedVUs: 50, maxVUs: 200 } } };
     export default function () {}`,
    {},
  );
  assert.equal(d.metrics.iterations?.values.count, 10_000);
  assert.equal(d.metrics.dropped_iterations?.values.count ?? 0, 0);
  const perSecond = d.volley.timeSeries.series.iterations!;
  // Whole seconds of the schedule: buckets 0..4 (a trailing partial bucket may hold a few stragglers).
  for (let k = 0; k < 5; k++) {
    const v = perSecond[k] ?? 0;
    assert.ok(Math.abs(v - 2000) <= 100, `second ${k}: ${v} iterations (want 2000 ± 5%) — series ${JSON.stringify(perSecond)}`);
  }
});
