import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDistribution, inverseNormalCdf, percentilePoints, type DistributionSpec } from './latency.js';
import { Rng } from './rng.js';

/** Empirical quantile of n seeded samples. */
function empirical(spec: DistributionSpec, q: number, n = 200_000): number {
  const s = compileDistribution(spec);
  const rng = new Rng(7);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = s.sample(rng);
  xs.sort();
  return xs[Math.floor(q * (n - 1))]!;
}

const within = (actual: number, expected: number, rel: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= rel * expected, `${what}: ${actual.toFixed(3)} not within ${rel * 100}% of ${expected.toFixed(3)}`);

test('inverse normal CDF matches known z-scores', () => {
  assert.ok(Math.abs(inverseNormalCdf(0.5)) < 1e-9);
  assert.ok(Math.abs(inverseNormalCdf(0.99) - 2.3263478740408408) < 1e-7);
  assert.ok(Math.abs(inverseNormalCdf(0.01) + 2.3263478740408408) < 1e-7);
  assert.ok(Math.abs(inverseNormalCdf(0.975) - 1.959963984540054) < 1e-7);
});

test('each model: sampled p50/p99 match the configured/exact quantiles', () => {
  const cases: [string, DistributionSpec, number, number][] = [
    ['fixed', { fixed: 80 }, 80, 80],
    ['uniform', { uniform: [10, 50] }, 30, 49.6],
    ['normal', { normal: { mean: 100, stddev: 10 } }, 100, 123.26],
    ['lognormal', { lognormal: { p50: 20, p99: 300 } }, 20, 300],
    ['percentiles', { percentiles: { p50: 20, p90: 80, p99: 300 } }, 20, 300],
  ];
  for (const [name, spec, p50, p99] of cases) {
    const s = compileDistribution(spec);
    within(s.quantile(0.5), p50, 0.001, `${name} exact p50`);
    within(s.quantile(0.99), p99, 0.001, `${name} exact p99`);
    within(empirical(spec, 0.5), p50, 0.02, `${name} sampled p50`);
    within(empirical(spec, 0.99), p99, 0.04, `${name} sampled p99`);
  }
});

test('normal is clamped at min (default 0) and max; lognormal capped by max', () => {
  const n = compileDistribution({ normal: { mean: 1, stddev: 10 } });
  const rng = new Rng(1);
  for (let i = 0; i < 10_000; i++) assert.ok(n.sample(rng) >= 0);
  const capped = compileDistribution({ normal: { mean: 50, stddev: 50, min: 20, max: 60 } });
  for (let i = 0; i < 10_000; i++) {
    const v = capped.sample(rng);
    assert.ok(v >= 20 && v <= 60, String(v));
  }
  const ln = compileDistribution({ lognormal: { p50: 10, p99: 1000, max: 200 } });
  for (let i = 0; i < 10_000; i++) assert.ok(ln.sample(rng) <= 200);
});

test('percentile tables: linear interpolation, linear extension to p0/p100 clamped at 0', () => {
  const s = compileDistribution({ percentiles: { p50: 20, p90: 80, p99: 300 } });
  within(s.quantile(0.7), 50, 1e-9, 'halfway p50..p90');
  assert.equal(s.quantile(0), 0); // 20 - (60/40)*50 < 0 → clamped
  within(s.quantile(1), 300 + (220 / 9) * 1, 1e-9, 'p100 extension');
  const explicit = compileDistribution({ percentiles: { p0: 5, p50: 20, p100: 40 } });
  assert.equal(explicit.quantile(0), 5);
  assert.equal(explicit.quantile(1), 40);
  within(explicit.quantile(0.25), 12.5, 1e-9, 'p25');
});

test('percentile table validation messages', () => {
  assert.match((percentilePoints({ p50: 20 }) as { error: string }).error, /at least two/);
  assert.match((percentilePoints({ p50: 20, p99: 10 }) as { error: string }).error, /must not decrease/);
  assert.match((percentilePoints({ p50: 20, x99: 10 }) as { error: string }).error, /look like p50/);
  assert.match((percentilePoints({ p50: 20, p101: 30 }) as { error: string }).error, /0 to 100/);
});

test('seeded rng is reproducible and roughly uniform', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  let sum = 0;
  for (let i = 0; i < 10_000; i++) {
    const x = a.next();
    assert.equal(x, b.next());
    assert.ok(x >= 0 && x < 1);
    sum += x;
  }
  assert.ok(Math.abs(sum / 10_000 - 0.5) < 0.02);
});
