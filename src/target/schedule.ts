/**
 * Recurring time windows (stalls, 429 storms), measured from the target's start on the
 * performance.now() clock. A window list is compiled into parallel arrays; `remaining(t)` is a few
 * float operations per window and allocates nothing.
 *
 * Window i covers [at + k·every, at + k·every + for) for k = 0, 1, 2, … (just k = 0 without `every`);
 * `at` defaults to `every`, so "every 30s for 2s" first freezes 30 s after start.
 */
export interface WindowSpec {
  every?: number | undefined;
  for: number;
  at?: number | undefined;
}

/** A compiled list of windows. */
export class Schedule {
  private readonly at: Float64Array;
  private readonly every: Float64Array;
  private readonly len: Float64Array;
  readonly size: number;

  /** @param originMs performance.now() of the target's start. */
  constructor(
    windows: readonly WindowSpec[],
    private readonly originMs: number,
  ) {
    this.size = windows.length;
    this.at = Float64Array.from(windows, (w) => w.at ?? w.every ?? 0);
    this.every = Float64Array.from(windows, (w) => w.every ?? 0);
    this.len = Float64Array.from(windows, (w) => w.for);
  }

  /** Milliseconds left in the window covering `nowMs` (performance.now()), or 0 outside every window. */
  remaining(nowMs: number): number {
    const t = nowMs - this.originMs;
    let best = 0;
    for (let i = 0; i < this.size; i++) {
      const r = this.remainingOf(i, t);
      if (r > best) best = r;
    }
    return best;
  }

  /** Index of the window covering `nowMs`, or -1. */
  active(nowMs: number): number {
    const t = nowMs - this.originMs;
    for (let i = 0; i < this.size; i++) if (this.remainingOf(i, t) > 0) return i;
    return -1;
  }

  /** Milliseconds left in window i at time t (ms since origin). */
  remainingOf(i: number, t: number): number {
    const start = this.at[i]!;
    if (t < start) return 0;
    const every = this.every[i]!;
    const phase = every > 0 ? (t - start) % every : t - start;
    const left = this.len[i]! - phase;
    return left > 0 ? left : 0;
  }

  /** Start times (ms since origin) of the windows beginning in [fromMs, toMs), for tests and listings. */
  startsBetween(fromMs: number, toMs: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) {
      const every = this.every[i]!;
      for (let s = this.at[i]!; s < toMs; s += every) {
        if (s >= fromMs) out.push(s);
        if (every <= 0) break;
      }
    }
    return out.sort((a, b) => a - b);
  }
}
