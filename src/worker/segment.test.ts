import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSegment, parseSequence, resolveSegment, subSegment, type SegmentInterval } from '../util/execution-segment.js';
import { firstVuId, vuBudget } from './vu-ids.js';
import { rampingVuSteps, segmentSteps } from './executors/ramping-vus.js';
import { constantSchedule } from './executors/arrival.js';
import { ownsIteration, share, weightedShare, weightedOffset, shareOffset } from './segment.js';

const equal = (n: number): SegmentInterval[] => Array.from({ length: n }, (_, i) => ({ start: i, end: i + 1, den: n }));
/** Runners with k6 segments (possibly unequal), each cut into its worker threads. */
function partitions(): Array<{ name: string; parts: SegmentInterval[] }> {
  const out: Array<{ name: string; parts: SegmentInterval[] }> = [];
  const runnerSets: string[][] = [['0:1'], ['0:1/3', '1/3:2/3', '2/3:1'], ['0:1/4', '1/4:2/4', '2/4:1'], ['0:10%', '10%:0.75', '3/4:1']];
  for (const rs of runnerSets) {
    for (const workers of [1, 2, 3]) {
      const parts = rs.flatMap((r) => {
        const seg = parseSegment(r) as SegmentInterval;
        return Array.from({ length: workers }, (_, i) => subSegment(seg, i, workers));
      });
      out.push({ name: `${rs.join(',')} × ${workers} workers`, parts });
    }
  }
  return out;
}

test('shares sum exactly to the whole for any worker count', () => {
  for (let n = 1; n <= 8; n++) {
    for (const x of [0, 1, 2, 3, 7, 10, 99, 1000, 12345]) {
      let sum = 0;
      for (const s of equal(n)) sum += share(x, s);
      assert.equal(sum, x, `x=${x} n=${n}`);
    }
  }
});

test('weighted shares follow the weights and sum to the whole', () => {
  const weights = [3, 0, 5];
  const total = 8;
  let before = 0;
  let sum = 0;
  const got: number[] = [];
  for (const w of weights) {
    const s = weightedShare(100, before, w, total);
    got.push(s);
    sum += s;
    before += w;
  }
  assert.equal(sum, 100);
  assert.equal(got[1], 0);
});

test('every iteration has exactly one owner', () => {
  for (const n of [1, 2, 3]) {
    for (const vus of [1, 2, 5, 16]) {
      for (let i = 0; i < 200; i++) {
        let owners = 0;
        for (const s of equal(n)) if (ownsIteration(i, vus, s)) owners++;
        assert.equal(owners, 1, `i=${i} vus=${vus} n=${n}`);
      }
    }
  }
});

test('k6 segment forms parse to exact fractions; bad ones are explained', () => {
  assert.deepEqual(parseSegment('1/4'), { start: 0, end: 1, den: 4 });
  assert.deepEqual(parseSegment('0:1/4'), { start: 0, end: 1, den: 4 });
  assert.deepEqual(parseSegment('1/4:2/4'), { start: 1, end: 2, den: 4 });
  assert.deepEqual(parseSegment('25%:0.5'), { start: 1, end: 2, den: 4 });
  assert.match(parseSegment('1/2:1/4') as string, /empty/);
  assert.match(parseSegment('3/2') as string, /more than 1/);
  assert.match(parseSegment('abc') as string, /not a fraction/);
  assert.deepEqual(parseSequence('0,1/3,2/3,1'), { points: [0, 1, 2, 3], den: 3 });
  assert.match(parseSequence('0,1/2,1/4,1') as string, /increase/);
  assert.deepEqual(resolveSegment('1/4:2/4', '0,1/4,1/2,1'), { start: 1, end: 2, den: 4 });
  assert.match(resolveSegment('0:1/3', '0,1/4,1/2,1') as string, /not an interval of the sequence/);
});

test('the union of all segments is the unsegmented test: VUs at every instant, iterations, arrivals', () => {
  const steps = rampingVuSteps(3, [
    { durationMs: 10_000, target: 37 },
    { durationMs: 5_000, target: 11 },
    { durationMs: 5_000, target: 0 },
  ]);
  const sched = constantSchedule(97, 1000, 10_000);
  for (const { name, parts } of partitions()) {
    // Closed model: VUs, per-VU and shared iterations.
    for (const vus of [1, 7, 100]) {
      assert.equal(parts.reduce((a, s) => a + share(vus, s), 0), vus, `${name}: vus=${vus}`);
      const its = 1001;
      let sum = 0;
      let expectOffset = 0;
      for (const s of parts) {
        const off = weightedOffset(its, shareOffset(vus, s), vus);
        assert.equal(off, expectOffset, `${name}: shared-iterations ranges are contiguous`);
        const n = weightedShare(its, shareOffset(vus, s), share(vus, s), vus);
        sum += n;
        expectOffset += n;
      }
      assert.equal(sum, its, `${name}: shared-iterations`);
    }
    // ramping-vus: the VU count summed over segments equals the target at every step time.
    const per = parts.map((s) => segmentSteps(steps, s));
    for (const st of steps) {
      const at = (list: { atMs: number; target: number }[]): number => {
        let v = 0;
        for (const x of list) if (x.atMs <= st.atMs) v = x.target;
        return v;
      };
      const want = at(steps.filter((x) => x.atMs <= st.atMs).slice(-1));
      assert.equal(per.reduce((a, l) => a + at(l), 0), want, `${name}: VUs at ${st.atMs} ms`);
    }
    // Arrival rate: every arrival has exactly one owner.
    for (const maxVUs of [1, 5, 50]) {
      for (let i = 0; i < sched.total; i++) {
        assert.equal(parts.filter((s) => ownsIteration(i, maxVUs, s)).length, 1, `${name}: arrival ${i} maxVUs=${maxVUs}`);
      }
    }
  }
});

test('VU id blocks are contiguous and disjoint across runners and their workers: 1..N over the whole test', () => {
  const scenarios = [{ executor: 'constant-vus', vus: 7 }, { executor: 'shared-iterations', vus: 5 }] as unknown as Parameters<typeof firstVuId>[0];
  for (const { name, parts } of partitions()) {
    let next = 1;
    for (const s of parts) {
      assert.equal(firstVuId(scenarios, s), next, name);
      next += scenarios.reduce((a, sc) => a + vuBudget(sc, s), 0);
    }
    assert.equal(next, 13, name);
  }
});
