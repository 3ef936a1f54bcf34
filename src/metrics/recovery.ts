/**
 * Recovery time after a fault window: how long the system under test took to return to its
 * pre-fault p95 and error rate, from the per-second time series (docs/faults.md, "Recovery time").
 *
 * - Baseline: the seconds that end at or before the window's start, at most `baselineMs` of them
 *   (default 30 s), after any earlier fault window; p95 is the median of their per-second p95s, the
 *   error rate is weighted by requests. Fewer than `minBaselineSeconds` (3) seconds with requests:
 *   no baseline, no recovery time.
 * - Recovered: the first second starting at or after the window's end from which `stableSeconds`
 *   (3) consecutive seconds each have requests and an error rate ≤ baseline + `errorTolerance`
 *   (0.01), and the median of their p95s is ≤ baseline p95 × (1 + `p95Tolerance`) + `p95SlackMs`
 *   (0.2 and 50 ms: per-second p95s of a healthy service jitter by tens of ms; the median keeps one
 *   noisy second from hiding a recovery).
 * - Recovery time = that second's start − the window's end (0 when the first second after the
 *   window is already back; 1 s resolution). Not back before the test ended or the next window
 *   began: `recovered: false`, and the time observed is a lower bound.
 */

export interface RecoverySeries {
  /** Epoch ms of each per-second bucket's start. */
  t: readonly number[];
  p95: readonly (number | null)[];
  /** http_req_failed rate per bucket (0..1). */
  failed: readonly (number | null)[];
  /** Requests per second per bucket. */
  reqs: readonly (number | null)[];
}

export interface RecoveryWindow {
  name: string;
  startEpochMs: number;
  endEpochMs: number;
}

export interface RecoveryOptions {
  baselineMs: number;
  minBaselineSeconds: number;
  stableSeconds: number;
  p95Tolerance: number;
  p95SlackMs: number;
  errorTolerance: number;
}

export const RECOVERY_DEFAULTS: RecoveryOptions = { baselineMs: 30_000, minBaselineSeconds: 3, stableSeconds: 3, p95Tolerance: 0.2, p95SlackMs: 50, errorTolerance: 0.01 };

export interface RecoveryResult {
  name: string;
  baselineP95Ms: number;
  baselineErrorRate: number;
  /** ms from the window's end until back to baseline (a lower bound when not recovered). */
  recoveryMs: number;
  recovered: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Recovery per window (windows without a baseline are left out). */
export function measureRecovery(series: RecoverySeries, windows: readonly RecoveryWindow[], opts: RecoveryOptions = RECOVERY_DEFAULTS, bucketMs = 1000): RecoveryResult[] {
  const out: RecoveryResult[] = [];
  const n = series.t.length;
  for (const w of windows) {
    const earlierEnd = Math.max(-Infinity, ...windows.filter((o) => o !== w && o.endEpochMs <= w.startEpochMs).map((o) => o.endEpochMs));
    const nextStart = Math.min(Infinity, ...windows.filter((o) => o !== w && o.startEpochMs >= w.endEpochMs).map((o) => o.startEpochMs));
    const p95s: number[] = [];
    let reqs = 0;
    let failedReqs = 0;
    for (let i = 0; i < n; i++) {
      const from = series.t[i]!;
      const to = from + bucketMs;
      if (to > w.startEpochMs || from < w.startEpochMs - opts.baselineMs || from < earlierEnd) continue;
      const r = series.reqs[i] ?? 0;
      const p = series.p95[i];
      if (r <= 0 || p === null || p === undefined) continue;
      p95s.push(p);
      reqs += r;
      failedReqs += r * (series.failed[i] ?? 0);
    }
    if (p95s.length < opts.minBaselineSeconds) continue;
    const baseP95 = median(p95s);
    const baseErr = reqs > 0 ? failedReqs / reqs : 0;
    const errorsOk = (i: number): boolean => {
      const r = series.reqs[i] ?? 0;
      const p = series.p95[i];
      return r > 0 && p !== null && p !== undefined && (series.failed[i] ?? 0) <= baseErr + opts.errorTolerance;
    };
    const p95Limit = baseP95 * (1 + opts.p95Tolerance) + opts.p95SlackMs;
    let recoveredAt: number | undefined;
    let lastSeen = w.endEpochMs;
    for (let i = 0; i < n; i++) {
      const from = series.t[i]!;
      if (from < w.endEpochMs || from >= nextStart) continue;
      lastSeen = Math.max(lastSeen, from + bucketMs);
      let stable = true;
      const run: number[] = [];
      for (let k = 0; k < opts.stableSeconds; k++) {
        const j = i + k;
        if (j >= n || series.t[j]! >= nextStart || !errorsOk(j)) {
          stable = false;
          break;
        }
        run.push(series.p95[j]!);
      }
      if (stable && median(run) > p95Limit) stable = false;
      if (stable) {
        recoveredAt = from;
        break;
      }
    }
    out.push({
      name: w.name,
      baselineP95Ms: baseP95,
      baselineErrorRate: baseErr,
      recoveryMs: recoveredAt === undefined ? Math.max(0, lastSeen - w.endEpochMs) : recoveredAt - w.endEpochMs,
      recovered: recoveredAt !== undefined,
    });
  }
  return out;
}
