/**
 * Each executor produces the iteration counts and rates its definition promises, with one and with
 * two worker threads. Counts are exact; times have tolerances that hold on a loaded 2-core machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runVolley, writeScript } from './helpers.js';
import type { SummaryData } from '../src/summary/types.js';

async function run(source: string, args: string[] = []): Promise<{ code: number | null; data: SummaryData; stderr: string; stdout: string }> {
  const script = writeScript(source);
  const out = join(dirname(script), 'summary.json');
  const r = await runVolley(['run', script, '--quiet', '--summary-export', out, ...args]);
  let data: SummaryData;
  try {
    data = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  } catch {
    throw new Error(`no summary written (exit ${r.code}): ${r.stderr}\n${r.stdout}`);
  }
  return { code: r.code, data, stderr: r.stderr, stdout: r.stdout };
}

const count = (d: SummaryData, m: string): number => d.metrics[m]?.values.count ?? 0;

for (const workers of ['1', '2']) {
  test(`shared-iterations runs exactly the iterations, shared by the VUs (workers=${workers})`, async () => {
    const { code, data } = await run(
      `import { sleep } from 'volley';
       export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 5, iterations: 37 } } };
       export default async function () { await sleep(0.01); }`,
      ['--workers', workers],
    );
    assert.equal(code, 0);
    assert.equal(count(data, 'iterations'), 37);
    assert.equal(data.metrics.vus_max?.values.max, 5);
  });

  test(`per-vu-iterations: each VU runs its iterations (workers=${workers})`, async () => {
    const { code, data } = await run(
      `export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 3, iterations: 4 } } };
       const seen = new Map();
       export default async function () { }`,
      ['--workers', workers],
    );
    assert.equal(code, 0);
    assert.equal(count(data, 'iterations'), 12);
  });

  test(`constant-arrival-rate starts iterations on schedule (workers=${workers})`, async () => {
    const { code, data } = await run(
      `import { sleep } from 'volley';
       export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '3s', preAllocatedVUs: 4, maxVUs: 10 } } };
       export default async function () { await sleep(0.02); }`,
      ['--workers', workers],
    );
    assert.equal(code, 0);
    assert.equal(count(data, 'iterations'), 150);
    assert.equal(count(data, 'dropped_iterations'), 0);
    // 150 iterations spread over 3 s: the run lasts about 3 s, not less.
    assert.ok(data.state.testRunDurationMs >= 2900 && data.state.testRunDurationMs < 8000, `duration ${data.state.testRunDurationMs}`);
  });
}

test('constant-vus keeps the VUs looping for the duration', async () => {
  const { code, data } = await run(
    `import { sleep } from 'volley';
     export const options = { vus: 4, duration: '2s' };
     export default async function () { await sleep(0.1); }`,
  );
  assert.equal(code, 0);
  const it = count(data, 'iterations');
  // 4 VUs × 2 s / 0.1 s = 80; sleeps only get longer under load.
  assert.ok(it >= 50 && it <= 84, `iterations ${it}`);
  assert.equal(data.metrics.vus_max?.values.max, 4);
  // As k6: vus is sampled while the test runs, so it ends at the running count, not at 0.
  assert.equal(data.metrics.vus?.values.value, 4, JSON.stringify(data.metrics.vus?.values));
  assert.equal(data.metrics.vus?.values.max, 4);
});

test('ramping-vus follows the stages', async () => {
  const { code, data } = await run(
    `import { sleep } from 'volley';
     export const options = { scenarios: { r: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1s', target: 6 }, { duration: '1s', target: 6 }, { duration: '1s', target: 0 }], gracefulRampDown: '0s' } } };
     export default async function () { await sleep(0.05); }`,
  );
  assert.equal(code, 0);
  assert.equal(data.metrics.vus_max?.values.max, 6);
  const it = count(data, 'iterations');
  // Area under the VU curve: 3 + 6 + 3 = 12 VU·s, at ≤ 20 iterations per VU·s.
  assert.ok(it > 80 && it <= 250, `iterations ${it}`);
});

test('ramping-arrival-rate integrates the rate over the stages', async () => {
  const { code, data } = await run(
    `export const options = { scenarios: { r: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 5, maxVUs: 20,
       stages: [{ duration: '2s', target: 100 }, { duration: '1s', target: 100 }] } } };
     export default async function () { }`,
  );
  assert.equal(code, 0);
  // ∫ rate = 0→100 over 2 s (100) + 100 for 1 s (100) = 200.
  assert.equal(count(data, 'iterations'), 200);
});

test('arrival-rate drops iterations when no VU is free, and counts them', async () => {
  const { code, data } = await run(
    `import { sleep } from 'volley';
     export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '2s', preAllocatedVUs: 2, maxVUs: 2, gracefulStop: '3s' } } };
     export default async function () { await sleep(0.5); }`,
  );
  assert.equal(code, 0);
  const it = count(data, 'iterations');
  const dropped = count(data, 'dropped_iterations');
  assert.equal(it + dropped, 80);
  // 2 VUs × 2 s / 0.5 s ≈ 8–10 iterations; the rest dropped, never delayed.
  assert.ok(it >= 6 && it <= 12, `iterations ${it}`);
});

test('startTime delays a scenario; exec picks the function; scenario env and tags apply', async () => {
  const { code, data } = await run(
    `import { check } from 'volley';
     import exec from 'volley/execution';
     export const options = { scenarios: {
       a: { executor: 'shared-iterations', iterations: 1, exec: 'first' },
       b: { executor: 'shared-iterations', iterations: 1, startTime: '1s', exec: 'second', env: { WHO: 'b' }, tags: { team: 'x' } },
     } };
     const t0 = Date.now();
     export function first() { check(null, { 'a runs first': () => Date.now() - t0 < 5000 }); }
     export function second() {
       check(null, { 'b has its env': () => __ENV.WHO === 'b', 'b is named': () => exec.scenario.name === 'b' });
     }`,
  );
  assert.equal(code, 0);
  assert.equal(count(data, 'iterations'), 2);
  const checks = data.root_group.checks;
  assert.deepEqual(checks.map((c) => [c.name, c.fails]).sort(), [['a runs first', 0], ['b has its env', 0], ['b is named', 0]]);
  assert.ok(data.state.testRunDurationMs >= 900, `duration ${data.state.testRunDurationMs}`);
});

test('gracefulStop interrupts iterations that run too long, and they are not counted', async () => {
  const { code, data } = await run(
    `import { sleep } from 'volley';
     export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '200ms' } } };
     export default async function () { await sleep(5); }`,
  );
  assert.equal(code, 0);
  assert.equal(count(data, 'iterations'), 0);
  assert.ok(data.state.testRunDurationMs < 4000, `duration ${data.state.testRunDurationMs}`);
});

test("whenBusy: 'queue' keeps due iterations waiting for a VU and measures how late they start", async () => {
  const { code, data } = await run(
    `import { sleep } from 'volley';
     export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '2s', preAllocatedVUs: 2, maxVUs: 2,
       whenBusy: 'queue', maxQueue: 1000, gracefulStop: '0s' } } };
     export default async function () { await sleep(0.25); }`,
  );
  assert.equal(code, 0);
  const it = count(data, 'iterations');
  const dropped = count(data, 'dropped_iterations');
  // 2 VUs × 2 s / 0.25 s ≈ 16 iterations run; the rest were queued, then dropped at the end (up
  // to 2 in flight are interrupted by gracefulStop 0s): none is lost from the accounting.
  assert.ok(it >= 10 && it <= 18, `iterations ${it}`);
  assert.ok(it + dropped <= 40 && it + dropped >= 38, `accounted ${it + dropped}`);
  // Queued iterations start late: the lag grows to most of the run.
  const lag = data.metrics.iteration_start_lag?.values;
  assert.ok(lag && (lag['max'] ?? 0) > 500, `lag ${JSON.stringify(lag)}`);
});

test('the per-second series adds up to the totals when workers finish at different times', async () => {
  const { code, data } = await run(
    `import { sleep } from 'volley';
     import exec from 'volley/execution';
     export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 4, iterations: 30 } } };
     export default async function () { await sleep(0.01 * exec.vu.idInTest); }`,
    ['--workers', '4'],
  );
  assert.equal(code, 0);
  assert.equal(count(data, 'iterations'), 120);
  const series = data.volley.timeSeries.series.iterations ?? [];
  // Whole buckets hold exact counts; the last one is a rate over the part of the second it covered.
  const whole = series.slice(0, -1).reduce<number>((a, v) => a + (v ?? 0), 0);
  const endMs = Date.parse(data.volley.endTime);
  const lastFrom = Date.parse(data.volley.startTime) + (series.length - 1) * 1000;
  const lastCount = (series[series.length - 1] ?? 0) * Math.min(1, (endMs - lastFrom) / 1000);
  assert.ok(Math.abs(whole + lastCount - 120) <= 2, `series ${JSON.stringify(series)}: ${whole} + ${lastCount.toFixed(1)} ≠ 120`);
  assert.ok(series.slice(0, -1).every((v) => v !== null), JSON.stringify(series));
});
