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
