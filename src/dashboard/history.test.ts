import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HISTORY_LEVELS, History, reducesByMax, roundSignificant, type HistoryJSON } from './history.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const exact = (v: number): number => v;

function feed(h: History, seconds: number, values: (i: number) => Record<string, number | null>): void {
  for (let i = 0; i < seconds; i++) h.add(T0 + i * 1000, values(i));
}

function assertIncreasing(j: HistoryJSON): void {
  for (let i = 1; i < j.t.length; i++) assert.ok(j.t[i]! > j.t[i - 1]!, `t[${i}]=${j.t[i]} after ${j.t[i - 1]}`);
  for (const k in j.s) assert.equal(j.s[k]!.length, j.t.length, `column ${k} has one value per point`);
}

test('short runs keep every row at 1 s resolution, exactly', () => {
  const h = new History();
  feed(h, 120, (i) => ({ http_reqs: i, 'http_req_duration.p95': i % 7 === 0 ? null : i * 1.5 }));
  const j = h.toJSON(exact);
  assert.equal(j.t.length, 120);
  assert.deepEqual(j.t.slice(0, 3), [T0, T0 + 1000, T0 + 2000]);
  assert.equal(j.s.http_reqs![119], 119);
  assert.equal(j.s['http_req_duration.p95']![7], null);
  assert.equal(j.s['http_req_duration.p95']![8], 12);
  assert.equal(h.downsampled, false);
});

test('a row seen twice, or out of order, is ignored', () => {
  const h = new History();
  assert.equal(h.add(T0, { vus: 1 }), true);
  assert.equal(h.add(T0, { vus: 1 }), false);
  assert.equal(h.add(T0 - 1000, { vus: 9 }), false);
  assert.equal(h.add(T0 + 1000, { vus: 2 }), true);
  assert.deepEqual(h.toJSON().s.vus, [1, 2]);
});

test('keys that appear late are null before, and absent keys are null after', () => {
  const h = new History();
  feed(h, 5, (i): Record<string, number> => (i < 2 ? { vus: i } : { vus: i, volley_cpu: 10 * i }));
  h.add(T0 + 5000, { volley_cpu: 50 });
  const j = h.toJSON(exact);
  assert.deepEqual(j.s.volley_cpu, [null, null, 20, 30, 40, 50]);
  assert.deepEqual(j.s.vus, [0, 1, 2, 3, 4, null]);
});

test('older rows are downsampled: mean for rates, max for peaks, and the seams line up', () => {
  // Small levels so that one test covers all three: raw 20 rows, 10 s x 6, 60 s x 4 (compacting).
  const h = new History([
    { intervalMs: 0, capacity: 20 },
    { intervalMs: 10_000, capacity: 6 },
    { intervalMs: 60_000, capacity: 4 },
  ]);
  const n = 300; // seconds 0..299
  const p99 = (s: number): number => (s % 10 === 3 ? 1000 + s : s);
  feed(h, n, (i) => ({ http_reqs: i, 'http_req_duration.p99': p99(i) }));
  const j = h.toJSON(exact);
  assertIncreasing(j);
  assert.equal(h.downsampled, true);
  // 60 s buckets 0..3 (the 60 s level's open bucket starts after the 10 s level's oldest), then
  // 10 s buckets from 230 s (the 10 s level kept 6 closed buckets: 230..280; 280 is raw), then raw.
  const expected: Array<[from: number, width: number]> = [
    [0, 60], [60, 60], [120, 60], [180, 60],
    [230, 10], [240, 10], [250, 10], [260, 10], [270, 10],
    ...Array.from({ length: 20 }, (_, k): [number, number] => [280 + k, 1]),
  ];
  assert.deepEqual(j.t, expected.map(([from]) => T0 + from * 1000));
  expected.forEach(([from, width], p) => {
    const secs = Array.from({ length: width }, (_, k) => from + k);
    assert.equal(j.s.http_reqs![p], secs.reduce((a, x) => a + x, 0) / width, `mean of ${from}+${width}s`);
    assert.equal(j.s['http_req_duration.p99']![p], Math.max(...secs.map(p99)), `max of ${from}+${width}s`);
  });
});

test('the last level compacts instead of forgetting: a run of any length stays covered and bounded', () => {
  const levels = [
    { intervalMs: 0, capacity: 10 },
    { intervalMs: 10_000, capacity: 5 },
    { intervalMs: 60_000, capacity: 4 },
  ];
  const h = new History(levels);
  const n = 3600; // 1 h: 60 one-minute buckets into a level of 4 → interval doubles until it fits
  let sum = 0;
  feed(h, n, (i) => {
    sum += i;
    return { vus: i, 'http_req_duration.max': i };
  });
  const j = h.toJSON(exact);
  assertIncreasing(j);
  assert.ok(j.t.length <= 10 + 5 + 4 + 2, `points ${j.t.length}`);
  assert.equal(j.t[0], T0);
  // The max over the whole run survives compaction.
  assert.equal(Math.max(...(j.s['http_req_duration.max']! as number[])), n - 1);
  // The first coarse bucket is an exact mean of its rows (sums and counts merge, not means).
  const w = (j.t[1]! - j.t[0]!) / 1000;
  assert.equal(j.s.vus![0], (w - 1) / 2);
  assert.ok(sum > 0);
});

test('a 24-hour test at the default levels: bounded points, full coverage, recent hour at 1 s', () => {
  const h = new History(DEFAULT_HISTORY_LEVELS);
  const n = 24 * 3600;
  feed(h, n, (i) => ({
    vus: 100,
    http_reqs: 1000 + (i % 60),
    http_req_failed: 0.01,
    'http_req_duration.p50': 20,
    'http_req_duration.p95': 80 + (i % 3600 === 1800 ? 5000 : 0),
    'http_req_duration.p99': 120,
    volley_cpu: 50,
  }));
  const j = h.toJSON();
  assertIncreasing(j);
  const cap = DEFAULT_HISTORY_LEVELS.reduce((a, l) => a + l.capacity, 0);
  assert.ok(j.t.length <= cap + 2, `points ${j.t.length} <= ${cap}`);
  assert.ok(j.t.length > 5000);
  assert.equal(j.t[0], T0);
  assert.equal(j.t.at(-1), T0 + (n - 1) * 1000);
  const last = j.t.slice(-3600);
  assert.ok(last.every((t, k) => k === 0 || t - last[k - 1]! === 1000), 'the last hour is at 1 s');
  // Each hourly p95 spike survives downsampling (max), everywhere in the day.
  const spikes = j.s['http_req_duration.p95']!.filter((v) => v !== null && v > 1000).length;
  assert.ok(spikes >= 24, `spikes ${spikes}`);
  const size = JSON.stringify(j).length;
  assert.ok(size < 1_000_000, `catch-up JSON ${size} bytes`);
});

test('reduction rule and rounding', () => {
  assert.equal(reducesByMax('http_req_duration.p99'), true);
  assert.equal(reducesByMax('http_req_duration.max'), true);
  assert.equal(reducesByMax('volley_event_loop_delay.p99'), true);
  assert.equal(reducesByMax('http_req_duration.p50'), false);
  assert.equal(reducesByMax('http_reqs'), false);
  assert.equal(roundSignificant(123.456789), 123.457);
  assert.equal(roundSignificant(0.000123456789), 0.000123457);
  assert.equal(roundSignificant(0), 0);
});

test('property: any row sequence gives ordered, bounded, covering history that keeps the peak', async () => {
  const fc = await import('fast-check');
  const levels = [
    { intervalMs: 0, capacity: 8 },
    { intervalMs: 4_000, capacity: 5 },
    { intervalMs: 16_000, capacity: 3 },
  ];
  fc.assert(
    fc.property(
      fc.array(fc.record({ gapS: fc.integer({ min: 1, max: 40 }), v: fc.option(fc.integer({ min: 0, max: 1e6 }), { nil: null }) }), { minLength: 1, maxLength: 400 }),
      (rows) => {
        const h = new History(levels);
        let t = T0;
        let peak = -Infinity;
        let sum = 0;
        let count = 0;
        for (const r of rows) {
          t += r.gapS * 1000;
          h.add(t, { 'x.max': r.v, x: r.v });
          if (r.v !== null) {
            peak = Math.max(peak, r.v);
            sum += r.v;
            count++;
          }
        }
        const j = h.toJSON(exact);
        assertIncreasing(j);
        assert.ok(j.t.length <= 8 + 5 + 3 + 2);
        assert.ok(j.t[0]! <= T0 + rows[0]!.gapS * 1000, 'covers the first row');
        assert.equal(j.t.at(-1), t, 'ends with the newest row');
        const vals = j.s['x.max']!.filter((v): v is number => v !== null);
        if (count > 0) assert.equal(Math.max(...vals), peak, 'the peak survives');
        else assert.equal(vals.length, 0);
        // Means stay within the input's range.
        for (const v of j.s.x!) if (v !== null) assert.ok(v >= 0 && v <= 1e6);
        assert.ok(sum >= 0);
      },
    ),
    { numRuns: 300 },
  );
});
