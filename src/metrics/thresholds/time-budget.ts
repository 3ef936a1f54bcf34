/**
 * Error budgets in **seconds of SLO breach** (`'p(95)<350 budget 28800s over 30d'`, plan 001 §1:
 * "28,800 seconds/month for SLO breaches across all critical SLIs").
 *
 * - The run is cut into back-to-back windows of W (`per 1m`; default 1 minute) from the test start;
 *   the last one ends with the run. A window is **breached** when its own value (its p(95), its
 *   error rate…) breaks the condition. A window without samples has nothing to judge: it is not
 *   breached.
 * - **Breached seconds** = the summed lengths of the breached windows (the last, shorter window
 *   counts its own length; the run's last partial second counts only up to the run's end).
 * - **Allowance** for a run of length T: budget × T ÷ period (28,800 s over 30 d allows 20 s in a
 *   30-minute run). The threshold fails when the breached seconds exceed the allowance.
 * - **Burn rate** = breached share of the run ÷ allowed share (budget ÷ period); at that rate the
 *   period's budget lasts period ÷ burn rate.
 * - **Shared budget**: thresholds with the same budget and period share it (the plan's "across all
 *   critical SLIs"): their union, the seconds in which at least one of them was breached, is held
 *   against the same allowance. Thresholds with another budget or period are a separate group.
 *
 * Memory: per threshold a handful of numbers and at most `MAX_BREACHES` breach intervals; per
 * shared group one bit per second of run (a 24 h run: 10.8 kB), so the union is exact for any mix
 * of window lengths.
 */

/** Breach intervals kept per threshold for display (the totals count all of them). */
export const MAX_BREACHES = 20;

/** A stretch of breached windows, ms from the test start: [startMs, endMs). */
export interface BreachInterval {
  startMs: number;
  endMs: number;
}

/** The seconds-of-breach part common to one threshold and to a shared group. */
export interface BreachAccount {
  /** Seconds of breach allowed per period, and the period (ms). */
  budgetSeconds: number;
  periodMs: number;
  /** Seconds of the run counted so far (the allowance grows with it). */
  runSeconds: number;
  /** Seconds of breach the run may have: budgetSeconds × runSeconds ÷ period. */
  allowed: number;
  /** Seconds of breach measured. */
  used: number;
  /** allowed − used (negative: over budget). */
  remaining: number;
  /** (used ÷ runSeconds) ÷ (budgetSeconds ÷ period): 1 spends the budget exactly as fast as allowed. */
  burnRate: number;
  /** How long the period's budget lasts at this burn rate (null: no burn). */
  exhaustedInMs: number | null;
  /** The first breached stretches (merged when adjacent), at most MAX_BREACHES. */
  breaches: BreachInterval[];
}

/** The seconds-of-breach budget of one threshold (`volley.thresholds[i].budget` with `unit: 'seconds'`). */
export interface TimeBudgetState extends BreachAccount {
  unit: 'seconds';
  /** The window length (ms): `per 1m`, default 1 minute. */
  windowMs: number;
  /** Windows judged (with samples), and how many were breached. */
  windows: number;
  breachedWindows: number;
  /**
   * The allowance is still below one window: a single breached window already exceeds it. During
   * the run the budget is not judged until then; at the end it is (and the summary says so).
   */
  belowOneWindow?: true;
  /** The metric had samples but no per-second data (a merged run): the whole run was judged as one window. */
  wholeRun?: true;
  /** The union of every threshold with the same budget and period (when there are several). */
  shared?: SharedBudgetState;
}

/** The union of the thresholds sharing one budget (`volley.timeBudgets[i]`). */
export interface SharedBudgetState extends BreachAccount {
  unit: 'seconds';
  /** The thresholds sharing it, as `metric: expr`. */
  thresholds: string[];
  /** Seconds of breach summed over the members: more than `used` when they were breached at the same time. */
  sumOfMembers: number;
  ok: boolean;
}

/** budget × runSeconds ÷ period, burn rate and how long the period's budget lasts. */
export function breachAccount(budgetMs: number, periodMs: number, runMs: number, usedSeconds: number, breaches: BreachInterval[]): BreachAccount {
  const budgetSeconds = budgetMs / 1000;
  const runSeconds = Math.max(0, runMs) / 1000;
  const allowedShare = budgetMs / periodMs;
  const allowed = budgetSeconds * (runSeconds / (periodMs / 1000));
  const burnRate = runSeconds > 0 ? usedSeconds / runSeconds / allowedShare : 0;
  return {
    budgetSeconds,
    periodMs,
    runSeconds: round3(runSeconds),
    allowed: round3(allowed),
    used: round3(usedSeconds),
    remaining: round3(allowed - usedSeconds),
    burnRate: round3(burnRate),
    exhaustedInMs: burnRate > 0 ? Math.round(periodMs / burnRate) : null,
    breaches,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The breached windows of one threshold: totals, and the first stretches for display. */
export class BreachLedger {
  windows = 0;
  breachedWindows = 0;
  private breachedMs = 0;
  /** End of the latest breached window (ms from the start), to clip it at the run's end. */
  private lastBreachEndMs = 0;
  readonly breaches: BreachInterval[] = [];

  constructor(private readonly union?: BreachUnion) {}

  /** A judged window (with samples) from `startMs`, `lengthMs` long; `ok` false: breached. */
  record(startMs: number, lengthMs: number, ok: boolean): void {
    this.windows++;
    if (ok) return;
    this.breachedWindows++;
    this.breachedMs += lengthMs;
    const endMs = startMs + lengthMs;
    this.lastBreachEndMs = Math.max(this.lastBreachEndMs, endMs);
    const last = this.breaches[this.breaches.length - 1];
    if (last && last.endMs === startMs) last.endMs = endMs;
    else if (this.breaches.length < MAX_BREACHES) this.breaches.push({ startMs, endMs });
    this.union?.mark(startMs, endMs);
  }

  /** The whole run, judged as one window (no per-second data reached the windows). */
  recordWholeRun(runMs: number, ok: boolean): void {
    this.record(0, Math.max(1000, Math.ceil(runMs / 1000) * 1000), ok);
  }

  /** Breached ms, the last breached window clipped to `runMs` when given (the run's last second may be partial). */
  usedMs(runMs?: number): number {
    const over = runMs === undefined ? 0 : Math.max(0, this.lastBreachEndMs - runMs);
    return Math.max(0, this.breachedMs - over);
  }

  /** The breach stretches, the last clipped to `runMs` when given. */
  intervals(runMs?: number): BreachInterval[] {
    return this.breaches.map((b) => ({ startMs: b.startMs, endMs: runMs === undefined ? b.endMs : Math.min(b.endMs, Math.max(b.startMs, runMs)) }));
  }
}

/**
 * The union of the breached windows of several thresholds, one bit per `bucketMs` (1 s): the
 * seconds in which at least one of them was breached. Windows start and end on bucket edges.
 */
export class BreachUnion {
  private bits = new Uint8Array(64);
  private count = 0;
  private lastBucket = -1;
  private readonly breaches: BreachInterval[] = [];

  constructor(private readonly bucketMs = 1000) {}

  /** Marks [startMs, endMs) as breached. */
  mark(startMs: number, endMs: number): void {
    const from = Math.floor(startMs / this.bucketMs);
    const to = Math.ceil(endMs / this.bucketMs);
    if (to > this.bits.length * 8) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, Math.ceil(to / 8) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    for (let b = from; b < to; b++) {
      const byte = b >> 3;
      const bit = 1 << (b & 7);
      if ((this.bits[byte]! & bit) !== 0) continue;
      this.bits[byte]! |= bit;
      this.count++;
      if (b > this.lastBucket) this.lastBucket = b;
    }
    this.addInterval(from * this.bucketMs, to * this.bucketMs);
  }

  /** Breached ms of the union, the last bucket clipped to `runMs` when given. */
  usedMs(runMs?: number): number {
    let ms = this.count * this.bucketMs;
    if (runMs !== undefined && this.lastBucket >= 0) ms -= Math.max(0, Math.min(this.bucketMs, (this.lastBucket + 1) * this.bucketMs - runMs));
    return Math.max(0, ms);
  }

  /** The first union stretches (sorted, merged), the last clipped to `runMs` when given. */
  intervals(runMs?: number): BreachInterval[] {
    return this.breaches.map((b) => ({ startMs: b.startMs, endMs: runMs === undefined ? b.endMs : Math.min(b.endMs, Math.max(b.startMs, runMs)) }));
  }

  /** Keeps the first MAX_BREACHES stretches of the union, sorted and merged. */
  private addInterval(startMs: number, endMs: number): void {
    const list = this.breaches;
    list.push({ startMs, endMs });
    list.sort((a, b) => a.startMs - b.startMs);
    const merged: BreachInterval[] = [];
    for (const iv of list) {
      const last = merged[merged.length - 1];
      if (last && iv.startMs <= last.endMs) last.endMs = Math.max(last.endMs, iv.endMs);
      else merged.push({ ...iv });
    }
    list.length = 0;
    list.push(...merged.slice(0, MAX_BREACHES));
  }
}
