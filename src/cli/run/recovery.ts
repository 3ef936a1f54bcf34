/**
 * Recovery time, main-thread side: after each fault window (options.faults) and each spike of a
 * ramping profile (config/spikes.ts), how long the system under test took to return to its
 * pre-window p95 and error rate (metrics/recovery.ts has the definition), recorded once at the end
 * of the run as `recovery_time{fault}`: the tag is the fault's name, or `spike:<scenario>`.
 */
import type { ResolvedOptions } from '../../config/types.js';
import { spikeWindows } from '../../config/spikes.js';
import type { Headline, MetricDeclarations } from '../../metrics/catalog.js';
import type { MetricSpec } from '../../metrics/metric.js';
import { MetricRegistry } from '../../metrics/registry.js';
import { MetricStore, type SubmetricDef } from '../../metrics/store.js';
import { measureRecovery, type RecoveryResult, type RecoveryWindow } from '../../metrics/recovery.js';
import type { TimeSeriesBuilder } from '../../metrics/timeseries.js';
import type { TimelineWindow } from '../../summary/types.js';
import type { TypedDelta } from '../../worker/protocol.js';

/** Per fault window or spike: how long the system took to return to its earlier latency and errors. */
export const RECOVERY_TIME: MetricSpec = { name: 'recovery_time', type: 'trend', contains: 'time' };

/** Declared in the run's metric catalog (cli/run/prepare.ts) when the test has a fault window or a spike. */
export const RECOVERY_DECLARATIONS: MetricDeclarations = { name: 'recovery', metrics: [RECOVERY_TIME] };

/** The windows after which recovery is measured, as offsets from the test's start (ms). */
export function recoveryWindows(options: Pick<ResolvedOptions, 'faults' | 'scenarios'>): TimelineWindow[] {
  return [
    ...options.faults.map((f): TimelineWindow => ({ name: f.name, kind: 'fault', startMs: f.startMs, endMs: f.startMs + f.durationMs })),
    ...spikeWindows(options.scenarios).map((s): TimelineWindow => ({ name: s.name, kind: 'spike', startMs: s.startMs, endMs: s.endMs })),
  ];
}

export interface RecoveryRuntime {
  readonly results: RecoveryResult[];
  /** recovery_time as deltas for the final totals (the controller's `mainMetrics`). */
  metrics(run: { timeSeries: TimeSeriesBuilder; startEpochMs: number; submetrics: readonly SubmetricDef[] }): TypedDelta[];
  /** One line per window for the end of the run. */
  describe(): string[];
  /** The windows with the recovery measured after each (once `metrics` ran), for the summary. */
  timeline(): TimelineWindow[];
}

/** Undefined when the test has neither a fault window nor a spike. */
export function recoveryRuntime(options: Pick<ResolvedOptions, 'faults' | 'scenarios'>, headline: Headline): RecoveryRuntime | undefined {
  const windows = recoveryWindows(options);
  if (windows.length === 0) return undefined;
  const results: RecoveryResult[] = [];
  return {
    results,
    metrics(run) {
      // Read from the protocols' headline columns (HTTP: http_req_duration p95, http_req_failed,
      // http_reqs per second); without all three, recovery is not measured.
      const { latency, errors, throughput } = headline;
      if (latency === undefined || errors === undefined || throughput === undefined) return [];
      const ts = run.timeSeries;
      const abs: RecoveryWindow[] = windows.map((w) => ({ name: w.name, startEpochMs: run.startEpochMs + w.startMs, endEpochMs: run.startEpochMs + w.endMs }));
      results.push(...measureRecovery({ t: ts.t, p95: ts.series[`${latency}.p95`] ?? [], failed: ts.series[errors] ?? [], reqs: ts.series[throughput] ?? [] }, abs));
      const reg = new MetricRegistry();
      const metric = reg.declare(RECOVERY_TIME);
      const store = new MetricStore(reg, run.submetrics.filter((s) => s.metric === metric.name));
      for (const r of results) store.add(metric, r.recoveryMs, store.tagSets.of({ fault: r.name }));
      return store.drain().map((e) => ({ ...e, type: metric.type, contains: metric.contains }));
    },
    timeline() {
      return windows.map((w) => {
        const r = results.find((x) => x.name === w.name);
        return r ? { ...w, recoveryMs: r.recoveryMs, recovered: r.recovered } : w;
      });
    },
    describe() {
      return results.map((r) => {
        const what = r.name.startsWith('spike:') ? r.name : `fault ${r.name}`;
        const verdict = r.recovered ? `recovered in ${(r.recoveryMs / 1000).toFixed(0)}s` : `not recovered ${(r.recoveryMs / 1000).toFixed(0)}s after the window (test or next window came first)`;
        return `${what}: ${verdict} (baseline p95 ${r.baselineP95Ms.toFixed(0)} ms, errors ${(r.baselineErrorRate * 100).toFixed(2)} %)`;
      });
    },
  };
}
