import type { Aggregator } from '../metrics/aggregator.js';
import { TrendSink } from '../metrics/sinks.js';
import type { MetricsMessage } from '../worker/protocol.js';

type Reading = NonNullable<MetricsMessage['health']>;

/** Event-loop delay above which a worker's timing is suspect (its own work delays response handling). */
export const SATURATION_DELAY_MS = 50;
/** Share of failed requests above which a busy generator is explained by a dead target, not by load. */
const DEAD_TARGET_FAILED_RATE = 0.95;
/** Share of a core above which a worker is considered saturated. */
export const SATURATION_CPU_PERCENT = 95;
/** Below this share of a core, a high event-loop delay is not the worker's own load. */
const IDLE_CPU_PERCENT = 50;

/**
 * The load generator watching itself: each worker's per-second event-loop delay and CPU become
 * metrics (`volley_event_loop_delay`, `volley_cpu`), and the first saturated second raises one
 * warning, because from then on latencies include Volley's own delay.
 */
export class GeneratorHealth {
  readonly summary = { eventLoopDelayP99MaxMs: 0, cpuPercentMax: 0, saturatedSeconds: 0 };
  /** The busiest worker's newest reading: the highest CPU and the latest event loop over the workers. */
  last: Reading = { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, cpuPercent: 0 };
  private readonly byWorker: Reading[] = [];
  private warned = false;
  /** The event loop was late while the worker was idle (warned once, apart from saturation). */
  private heldUpWarned = false;
  /** Seconds (time-series buckets) already counted as saturated: several workers may report the same one. */
  private readonly saturated = new Set<number>();

  constructor(
    private readonly agg: Aggregator,
    private readonly warn: (message: string) => void,
    /** The protocols' headline error-rate metric (a rate), to tell a dead target from a saturated generator. */
    private readonly errorsMetric?: string,
  ) {}

  /** One worker's reading for second `bucket` of the test. */
  record(h: Reading, bucket: number, worker = 0): void {
    // The busiest thread is the one that saturates first: its reading, not whichever worker reported last.
    this.byWorker[worker] = h;
    const last = { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, cpuPercent: 0 };
    for (const r of this.byWorker) {
      if (r === undefined) continue;
      last.cpuPercent = Math.max(last.cpuPercent, r.cpuPercent);
      last.eventLoopDelayP99Ms = Math.max(last.eventLoopDelayP99Ms, r.eventLoopDelayP99Ms);
      last.eventLoopDelayMaxMs = Math.max(last.eventLoopDelayMaxMs, r.eventLoopDelayMaxMs);
    }
    this.last = last;
    const cpu = last.cpuPercent;
    const lag = new TrendSink();
    lag.add(h.eventLoopDelayP99Ms);
    const t = performance.timeOrigin + performance.now();
    this.agg.merge([
      { metric: 'volley_event_loop_delay', part: 'total', key: '', delta: lag.drain(), type: 'trend', contains: 'time' },
      { metric: 'volley_cpu', part: 'total', key: '', delta: { k: 'g', last: cpu, min: cpu, max: cpu, t }, type: 'gauge', contains: 'default' },
    ]);
    const s = this.summary;
    s.eventLoopDelayP99MaxMs = Math.max(s.eventLoopDelayP99MaxMs, h.eventLoopDelayP99Ms);
    s.cpuPercentMax = Math.max(s.cpuPercentMax, h.cpuPercent);
    if (h.eventLoopDelayP99Ms > SATURATION_DELAY_MS || h.cpuPercent > SATURATION_CPU_PERCENT) {
      if (!this.saturated.has(bucket)) {
        this.saturated.add(bucket);
        s.saturatedSeconds++;
      }
      if (!this.warned) {
        this.warned = true;
        // Requests that fail at once (connection refused) leave VUs without a sleep spinning: the
        // CPU is busy, but more workers would not help; what matters is that nothing answers.
        const failed = this.errorsMetric === undefined ? undefined : this.agg.find(this.errorsMetric);
        const reqs = failed?.sink.get('count') ?? 0;
        const rate = reqs > 0 ? (failed?.sink.get('passes') ?? 0) / reqs : 0;
        if (reqs >= 100 && rate >= DEAD_TARGET_FAILED_RATE) {
          this.warn(
            `nothing answers: ${(rate * 100).toFixed(rate === 1 ? 0 : 1)}% of ${reqs.toLocaleString('en-US')} requests failed, so the VUs loop without waiting (CPU ${h.cpuPercent.toFixed(0)}% of a core); check that the target is up and the URL is right (see ERRORS in the summary)`,
          );
          return;
        }
        if (h.cpuPercent < IDLE_CPU_PERCENT) {
          // Delay without CPU: the worker waited for something other than its own load. Said once,
          // and it does not use up the saturation warning a later busy second deserves.
          this.warned = false;
          if (this.heldUpWarned) return;
          this.heldUpWarned = true;
          this.warn(
            `the load generator's event loop was held up (delay p99 ${h.eventLoopDelayP99Ms.toFixed(0)} ms) while it used only ${h.cpuPercent.toFixed(0)}% of a core: other processes on this machine take its CPU, or the script blocks (synchronous I/O, a long computation); latencies include this delay`,
          );
          return;
        }
        this.warn(
          `the load generator is saturated (event-loop delay p99 ${h.eventLoopDelayP99Ms.toFixed(0)} ms, CPU ${h.cpuPercent.toFixed(0)}% of a core): latencies include Volley's own delay; use more workers (--workers) or fewer VUs`,
        );
      }
    }
  }
}
