import { scanSelector, selectorParts } from '../metrics/thresholds/selector.js';
import type { OutputContext } from './types.js';


/** k6's Submetric as it appears in JSON output Metric lines. */
export interface K6Submetric {
  name: string;
  suffix: string;
  tags: Record<string, string>;
}

/** Tags k6 keeps as sample metadata rather than tags (`NonIndexableSystemTags`): high-cardinality ids. */
export const METADATA_TAGS: ReadonlySet<string> = new Set(['vu', 'iter']);

/**
 * What k6 writes in a Metric line besides name/type/contains: the metric's thresholds (a string per
 * threshold, or `{threshold, abortOnFail, delayAbortEval}` when abortOnFail is set, as k6's
 * `Thresholds.MarshalJSON`) and the sub-metrics that thresholds define on it (null when none).
 */
export function k6ThresholdInfo(ctx: OutputContext, metric: string): { thresholds: unknown[]; submetrics: K6Submetric[] | null } {
  const thresholds: unknown[] = [];
  const submetrics: K6Submetric[] = [];
  for (const [key, specs] of Object.entries(ctx.thresholds ?? {})) {
    const sel = scanSelector(key);
    if (typeof sel === 'string' || sel.metric !== metric) continue;
    if (key.trim() === metric) {
      for (const t of specs) {
        thresholds.push(
          t.abortOnFail
            ? { threshold: t.threshold, abortOnFail: true, delayAbortEval: t.delayAbortEvalMs > 0 ? goDuration(t.delayAbortEvalMs) : null }
            : t.threshold,
        );
      }
    } else {
      const suffix = selectorParts(key).filter.trim();
      submetrics.push({ name: `${metric}{${suffix}}`, suffix, tags: sel.tags });
    }
  }
  return { thresholds, submetrics: submetrics.length > 0 ? submetrics : null };
}

/** Milliseconds as Go's time.Duration prints them: '10s', '1m30s', '1.5s', '250ms', '0s'. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1) return `${Number((ms * 1000).toPrecision(9))}µs`;
  if (ms < 1000) return `${Number(ms.toPrecision(9))}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s = Number((s - m * 60).toPrecision(9));
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
