import type { SegmentInterval } from '../util/execution-segment.js';

/**
 * How a scenario is split between runners (`--execution-segment`) and, within a runner, between
 * worker threads, as k6's execution segments: a worker owns the interval [start/den, end/den) of
 * the test (its runner's segment cut into equal parts), and its share of an integer quantity x is
 * floor(end·x/den) − floor(start·x/den). Shares of any partition of [0, 1) telescope to exactly x,
 * so totals (VUs at every instant, iterations, arrivals) are the same whatever the number of
 * runners and workers.
 */
export type Segment = SegmentInterval;

export const WHOLE: Segment = { start: 0, end: 1, den: 1 };

/** This segment's share of an integer quantity. Shares of segments that partition [0, 1) sum to x. */
export function share(x: number, seg: Segment): number {
  return Math.floor((seg.end * x) / seg.den) - Math.floor((seg.start * x) / seg.den);
}

/**
 * Test-wide number of the `c`-th iteration (0-based) a worker starts in a closed-model scenario
 * (k6's `scenario.iterationInTest` for constant-vus and ramping-vus): the worker's iterations are
 * striped over its runner's (worker i of n takes the runner's numbers i, i + n, i + 2n…), and the
 * runner's over the test as k6 stripes an execution segment's: of every `den` numbers, those in
 * [start, end) are this runner's. One worker alone numbers 0, 1, 2…; runners that share an
 * `--execution-segment-sequence` never give the same number twice.
 */
export function stripedIteration(c: number, runner: Segment, workerIndex: number, workerCount: number): number {
  const r = c * workerCount + workerIndex;
  const w = runner.end - runner.start;
  return Math.floor(r / w) * runner.den + runner.start + (r % w);
}

/** The share of `x` owned by segments before this one (so this segment owns [offset, offset+share)). */
export function shareOffset(x: number, seg: Segment): number {
  return Math.floor((seg.start * x) / seg.den);
}

/**
 * Shares of `x` in proportion to `weight` (this segment's weight `w`, weights before it `before`, total
 * `total`): used to give iterations to workers in proportion to their VUs, so a worker without VUs
 * gets none.
 */
export function weightedShare(x: number, before: number, w: number, total: number): number {
  if (total === 0) return 0;
  return Math.floor(((before + w) * x) / total) - Math.floor((before * x) / total);
}

/** Where this segment's weighted share starts: the shares of the segments before it. */
export function weightedOffset(x: number, before: number, total: number): number {
  return total === 0 ? 0 : Math.floor((before * x) / total);
}

/**
 * For open-model executors: does this segment own global iteration `i`? Iterations are striped over
 * the scenario's VU slots (i mod vus), and a worker owns the slots of its VU share, so arrivals are
 * spread evenly in time over workers and each worker's share matches its VUs.
 */
export function ownsIteration(i: number, vus: number, seg: Segment): boolean {
  if (seg.start === 0 && seg.end === seg.den) return true;
  const slot = i % vus;
  const from = shareOffset(vus, seg);
  return slot >= from && slot < from + share(vus, seg);
}
