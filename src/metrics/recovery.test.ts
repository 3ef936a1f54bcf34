import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureRecovery } from './recovery.js';

/** Seconds 0..n-1 with the given p95 and error rate per second, 10 requests each. */
function series(p95: number[], failed: number[]) {
  return { t: p95.map((_, i) => i * 1000), p95, failed, reqs: p95.map(() => 10) };
}

test('recovery is the time from the window end to the first of 3 seconds back at baseline', () => {
  // Baseline 100 ms / 0 errors for 10 s; fault 10–20 s; degraded until 25 s; back from 25 s.
  const p95 = [...Array(10).fill(100), ...Array(10).fill(900), ...Array(5).fill(400), ...Array(10).fill(105)];
  const failed = [...Array(10).fill(0), ...Array(10).fill(0.5), ...Array(5).fill(0.02), ...Array(10).fill(0)];
  const [r] = measureRecovery(series(p95, failed), [{ name: 'f', startEpochMs: 10_000, endEpochMs: 20_000 }]);
  assert.equal(r!.recovered, true);
  assert.equal(r!.recoveryMs, 5000);
  assert.equal(r!.baselineP95Ms, 100);
});

test('immediate recovery is 0; an error blip inside the stable run restarts it, one slow second does not; never back is a lower bound', () => {
  const base = Array(10).fill(100);
  const imm = measureRecovery(series([...base, ...Array(5).fill(800), ...Array(5).fill(100)], Array(20).fill(0)), [{ name: 'a', startEpochMs: 10_000, endEpochMs: 15_000 }]);
  assert.equal(imm[0]!.recoveryMs, 0);
  const blip = measureRecovery(series([...base, 800, 100, 100, 100, 100, 100, 100, 100], [...Array(10).fill(0), 0.5, 0, 0, 0.2, 0, 0, 0, 0]), [{ name: 'b', startEpochMs: 10_000, endEpochMs: 11_000 }]);
  assert.equal(blip[0]!.recoveryMs, 3000);
  const slowSecond = measureRecovery(series([...base, 800, 100, 900, 100, 100], Array(15).fill(0)), [{ name: 's', startEpochMs: 10_000, endEpochMs: 11_000 }]);
  assert.equal(slowSecond[0]!.recoveryMs, 0);
  const never = measureRecovery(series([...base, ...Array(8).fill(800)], [...Array(10).fill(0), ...Array(8).fill(0.3)]), [{ name: 'c', startEpochMs: 10_000, endEpochMs: 12_000 }]);
  assert.equal(never[0]!.recovered, false);
  assert.equal(never[0]!.recoveryMs, 6000);
});

test('errors above baseline + 1 point are not recovered; no baseline, no result', () => {
  const r = measureRecovery(series([...Array(5).fill(50), ...Array(6).fill(50)], [...Array(5).fill(0), 0.5, 0.05, 0, 0, 0, 0]), [{ name: 'e', startEpochMs: 5000, endEpochMs: 6000 }]);
  assert.equal(r[0]!.recoveryMs, 1000);
  assert.deepEqual(measureRecovery(series([50, 50, 50], [0, 0, 0]), [{ name: 'x', startEpochMs: 1000, endEpochMs: 2000 }]), []);
});
