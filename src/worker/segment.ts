/**
 * How a scenario is split between worker threads, in the spirit of k6's execution segments: every
 * quantity is divided into integer shares that always sum exactly to the whole, so totals
 * (VUs, iterations, arrival counts) are the same whatever the number of workers.
 */
export interface Segment {
  /** This worker's index, 0-based. */
  readonly index: number;
  /** Number of workers. */
  readonly count: number;
}

export const WHOLE: Segment = { index: 0, count: 1 };

/** This segment's share of an integer quantity: floor((i+1)x/n) - floor(ix/n). Shares sum to x. */
export function share(x: number, seg: Segment): number {
  return Math.floor(((seg.index + 1) * x) / seg.count) - Math.floor((seg.index * x) / seg.count);
}

/** The share of `x` owned by segments before this one (so this segment owns [offset, offset+share)). */
export function shareOffset(x: number, seg: Segment): number {
  return Math.floor((seg.index * x) / seg.count);
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
  if (seg.count === 1) return true;
  const slot = i % vus;
  const from = shareOffset(vus, seg);
  return slot >= from && slot < from + share(vus, seg);
}
