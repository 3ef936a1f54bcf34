import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from './compare.js';
import { parseBudgets } from './budget.js';
import { sideOfSummary } from './side.js';
import { syntheticSummary, type SyntheticRun } from './testing/synthetic.js';
import { renderComparisonMarkdown, renderComparisonText } from './render.js';

const side = (o: SyntheticRun, label: string) => ({ ...sideOfSummary(syntheticSummary({ seconds: 30, script: 'api.ts', ...o }), label), test: 'api.ts' });
const budgets = parseBudgets(['http_req_duration:p(95)=+10%', 'http_reqs:rate=-5%']);

test('same distribution, other seeds: no significant change, the gate holds', () => {
  for (let seed = 2; seed < 12; seed++) {
    const c = compareRuns(side({ seed: 1 }, 'a'), side({ seed }, 'b'), { budgets });
    const p95 = c.rows.find((r) => r.key === 'http_req_duration:p(95)')!;
    assert.equal(p95.method, 'block-bootstrap');
    assert.equal(c.failed, false, renderComparisonText(c));
  }
});

test('+20 % latency: regressed with an interval that excludes 0, budget exceeded', () => {
  const c = compareRuns(side({ seed: 1, p50Ms: 50 }, 'a'), side({ seed: 2, p50Ms: 60 }, 'b'), { budgets });
  const p95 = c.rows.find((r) => r.key === 'http_req_duration:p(95)')!;
  assert.equal(p95.verdict, 'regressed');
  assert.ok(p95.change! > 0.15 && p95.change! < 0.25, String(p95.change));
  assert.ok(p95.ci![0] > 0);
  const route = c.routes[0]!;
  assert.equal(route.method, 'quantile-ci');
  assert.equal(route.verdict, 'regressed');
  assert.equal(c.failed, true);
  assert.deepEqual(c.budgets.map((b) => b.exceeded), [true, false]);
  assert.match(renderComparisonMarkdown(c), /\| `http_req_duration:p\(95\)` \|.*\| regressed \|/);
});

test('a route seen a handful of times cannot fail a p(95) budget: its upper bound is unknown', () => {
  // 2 requests/s for 3 s (a smoke test): p(95) is the slowest request; even +50 % is no evidence.
  const few = (seed: number, p50Ms: number) => side({ seed, p50Ms, seconds: 3, requestsPerSecond: 2 }, `r${seed}`);
  const budget = parseBudgets(['http_req_duration{name:/api/items}:p(95)=+10%']);
  for (let seed = 2; seed < 8; seed++) {
    const c = compareRuns(few(1, 50), few(seed, 75), { budgets: budget });
    const route = c.routes[0]!;
    assert.equal(route.method, 'quantile-ci');
    assert.equal(route.ci![1], Number.POSITIVE_INFINITY);
    assert.equal(route.verdict, 'no significant change');
    assert.equal(c.failed, false, renderComparisonText(c));
  }
});

test('a regression within budget does not fail; an improvement is named', () => {
  const c = compareRuns(side({ seed: 1, p50Ms: 50 }, 'a'), side({ seed: 2, p50Ms: 60 }, 'b'), { budgets: parseBudgets(['http_req_duration:p(95)=+30%']) });
  assert.equal(c.failed, false);
  const better = compareRuns(side({ seed: 1, p50Ms: 60 }, 'a'), side({ seed: 2, p50Ms: 50 }, 'b'));
  assert.equal(better.rows.find((r) => r.key === 'http_req_duration:p(95)')!.verdict, 'improved');
});

test('run-to-run noise: a change smaller than the spread of earlier runs is not significant', () => {
  // Earlier runs wander ±15 % (a noisy machine): a +10 % run is within that.
  const history = [45, 55, 50, 58, 43].map((p50Ms, i) => side({ seed: 20 + i, p50Ms }, `h${i}`));
  const base = side({ seed: 1, p50Ms: 50 }, 'a');
  const cand = side({ seed: 2, p50Ms: 55 }, 'b');
  const without = compareRuns(base, cand).rows.find((r) => r.key === 'http_req_duration:p(95)')!;
  assert.equal(without.verdict, 'regressed');
  const withHistory = compareRuns(base, cand, { history }).rows.find((r) => r.key === 'http_req_duration:p(95)')!;
  assert.ok(withHistory.noiseFloor! > 0.1, String(withHistory.noiseFloor));
  assert.equal(withHistory.verdict, 'no significant change');
  // Past that spread it counts again.
  const big = compareRuns(base, side({ seed: 2, p50Ms: 80 }, 'c'), { history }).rows.find((r) => r.key === 'http_req_duration:p(95)')!;
  assert.equal(big.verdict, 'regressed');
});

test('k6 --summary-export shape: compared without per-second data, noise unknown', () => {
  const k6 = (p95: number) => ({ label: 'k6.json', test: undefined, metrics: { http_req_duration: { avg: 1, 'p(95)': p95 } }, routes: [], histograms: {}, series: undefined, run: undefined });
  const c = compareRuns(k6(100), k6(130));
  const row = c.rows.find((r) => r.key === 'http_req_duration:p(95)')!;
  assert.ok(Math.abs(row.change! - 0.3) < 1e-9);
  assert.equal(row.verdict, 'noise unknown');
});

test('different scripts and unknown budget metrics are refused with exit 104', () => {
  const a = side({ seed: 1 }, 'a');
  const b = { ...side({ seed: 2 }, 'b'), test: 'other.ts' };
  assert.throws(() => compareRuns(a, b), (e: { code: string; exitCode: number; message: string }) => e.code === 'E_COMPARE_DIFFERENT_TEST' && e.exitCode === 104 && e.message.includes('"other.ts"'));
  assert.throws(
    () => compareRuns(a, side({ seed: 2 }, 'b'), { budgets: parseBudgets(['http_req_durtion:p(95)=+10%']) }),
    (e: { code: string; message: string }) => e.code === 'E_BUDGET_METRIC' && e.message.includes('"http_req_durtion"'),
  );
});

/** A side whose http_req_failed has `fails[i]` errors in second i (of http_reqs[i] requests). */
function withErrors(s: ReturnType<typeof side>, errors: number[]): ReturnType<typeof side> {
  const reqs = s.series!.series.http_reqs as number[];
  const x = errors.reduce((a, v) => a + v, 0);
  const n = reqs.reduce((a, v) => a + v, 0);
  return {
    ...s,
    metrics: { ...s.metrics, http_req_failed: { rate: x / n, passes: x, fails: n - x } },
    series: { ...s.series!, series: { ...s.series!.series, http_req_failed: errors.map((e, i) => e / reqs[i]!) } },
  };
}

test('error rate whose per-second median is 0: an interval around the change, which it contains', () => {
  // 1-3 errors in a few seconds of 30 (50 requests/s): the per-second median is 0.
  const base = withErrors(side({ seed: 1 }, 'a'), Array.from({ length: 30 }, (_, i) => (i % 10 === 3 ? 2 : 0)));
  const cand = withErrors(side({ seed: 2 }, 'b'), Array.from({ length: 30 }, (_, i) => (i % 10 === 3 ? 3 : i === 17 ? 1 : 0)));
  const row = compareRuns(base, cand).rows.find((r) => r.key === 'http_req_failed:rate')!;
  assert.equal(row.method, 'proportion-ratio');
  assert.ok(Math.abs(row.change! - (10 / 6 - 1)) < 1e-9, String(row.change));
  assert.ok(row.ci && row.ci[0] <= row.change! && row.change! <= row.ci[1], JSON.stringify(row));
  assert.equal(row.verdict, 'no significant change');
  // 10 errors a second all run long against 2 every ten seconds: that is a regression.
  const bad = withErrors(side({ seed: 2 }, 'b'), Array.from({ length: 30 }, () => 10));
  const reg = compareRuns(base, bad).rows.find((r) => r.key === 'http_req_failed:rate')!;
  assert.equal(reg.verdict, 'regressed');
  assert.ok(reg.ci![0] > 0 && reg.ci![0] <= reg.change! && reg.change! <= reg.ci![1]);
});

test('errors in one burst are weaker evidence than the same errors spread out', () => {
  const base = withErrors(side({ seed: 1 }, 'a'), Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 1 : 0)));
  const spread = withErrors(side({ seed: 2 }, 'b'), Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 3 : 0)));
  const burst = withErrors(side({ seed: 2 }, 'b'), Array.from({ length: 30 }, (_, i) => (i === 12 ? 30 : 0)));
  const rs = compareRuns(base, spread).rows.find((r) => r.key === 'http_req_failed:rate')!;
  const rb = compareRuns(base, burst).rows.find((r) => r.key === 'http_req_failed:rate')!;
  assert.equal(rs.change, rb.change);
  assert.equal(rs.verdict, 'regressed');
  assert.ok(rb.dispersion![1] > 5 && rb.ci![1] - rb.ci![0] > rs.ci![1] - rs.ci![0], JSON.stringify([rs.ci, rb.ci]));
  assert.equal(rb.verdict, 'no significant change');
});

test('skewed per-second p95: the interval always contains the change it reports, and agrees with the verdict', () => {
  // Every seventh second stalls (p95 of 1-2 s): the whole-run p95 is far from the per-second median.
  const stall = (s: ReturnType<typeof side>, seed: number, factor: number): ReturnType<typeof side> => {
    const p95 = (s.series!.series['http_req_duration.p95'] as number[]).map((v, i) => (i % 7 === seed % 7 ? 1000 + 500 * (i % 3) : v * factor));
    return { ...s, series: { ...s.series!, series: { ...s.series!.series, 'http_req_duration.p95': p95 } } };
  };
  for (let seed = 2; seed < 8; seed++) {
    for (const p50Ms of [50, 70]) {
      const c = compareRuns(stall(side({ seed: 1 }, 'a'), 1, 1), stall(side({ seed, p50Ms }, 'b'), seed, p50Ms / 50));
      for (const row of [...c.rows, ...c.routes]) {
        if (!row.ci || row.change === null) continue;
        assert.ok(row.ci[0] <= row.change + 1e-12 && row.change <= row.ci[1] + 1e-12, `${row.key}: ${row.change} in ${row.ci}`);
        const excludes0 = row.ci[0] > 0 || row.ci[1] < 0;
        assert.equal(excludes0 && row.change !== 0, row.verdict === 'regressed' || row.verdict === 'improved', `${row.key} ${row.verdict} ${row.ci}`);
      }
    }
  }
});

test('errors down to none: an interval from −100 %, significant only with enough errors before', () => {
  const base = (per: number) => withErrors(side({ seed: 1 }, 'a'), Array.from({ length: 30 }, (_, i) => (i % 2 ? per : 0)));
  const none = withErrors(side({ seed: 2 }, 'b'), Array.from({ length: 30 }, () => 0));
  const few = compareRuns(base(0), none).rows.find((r) => r.key === 'http_req_failed:rate')!;
  assert.equal(few.change, 0);
  const some = compareRuns(withErrors(side({ seed: 1 }, 'a'), Array.from({ length: 30 }, (_, i) => (i === 4 ? 1 : 0))), none).rows.find((r) => r.key === 'http_req_failed:rate')!;
  assert.equal(some.change, -1);
  assert.ok(some.ci![0] === -1 && some.ci![1] > 0 && some.verdict === 'no significant change', JSON.stringify(some.ci));
  const many = compareRuns(base(5), none).rows.find((r) => r.key === 'http_req_failed:rate')!;
  assert.ok(many.ci![0] === -1 && many.ci![1] < 0 && many.verdict === 'improved', JSON.stringify(many.ci));
});

test('errors up from none: no relative change, but a significant rise regresses and fails an error budget', () => {
  const none = withErrors(side({ seed: 1 }, 'a'), Array.from({ length: 30 }, () => 0));
  const gate = parseBudgets(['http_req_failed:rate=+50%']);
  // 5 errors a second all run long (1,500 requests): a regression any relative budget must catch.
  const many = compareRuns(none, withErrors(side({ seed: 2 }, 'b'), Array.from({ length: 30 }, () => 5)), { budgets: gate });
  const row = many.rows.find((r) => r.key === 'http_req_failed:rate')!;
  assert.equal(row.change, null);
  assert.equal(row.fromZero, true);
  assert.equal(row.verdict, 'regressed');
  assert.equal(many.failed, true);
  assert.match(renderComparisonText(many), /FAIL\s+http_req_failed:rate=\+50%: from 0 \(regressed\)/);
  // One error in the whole run: not evidence of a rise.
  const one = compareRuns(none, withErrors(side({ seed: 2 }, 'b'), Array.from({ length: 30 }, (_, i) => (i === 9 ? 1 : 0))), { budgets: gate });
  assert.equal(one.rows.find((r) => r.key === 'http_req_failed:rate')!.verdict, 'no significant change');
  assert.equal(one.failed, false);
});
