/**
 * The shape of `options.thresholds`: metric (or 'metric{tag:value}') → array of entries, each an
 * expression string or `{ threshold, abortOnFail?, delayAbortEval? }` (k6 metrics/thresholds.go).
 * Only the shape is checked here; the expressions themselves are parsed by the thresholds module.
 */
import * as z from 'zod';
import type { ThresholdSpec } from './types.js';
import { boolField, durationField } from './fields.js';
import { formatPath, type Problems } from './problems.js';
import { isPlainObject, show } from './values.js';
import { suggest } from '../errors/index.js';

const ENTRY_KEYS = ['threshold', 'abortOnFail', 'delayAbortEval'];

const entryObject = z.strictObject({
  threshold: z.unknown().transform((v, ctx): string => {
    if (typeof v === 'string' && v.trim() !== '') return v;
    ctx.addIssue({ code: 'custom', message: v === undefined ? 'is required (an expression such as "p(95)<500")' : `must be an expression string such as "p(95)<500" (got ${show(v)})` });
    return z.NEVER;
  }),
  abortOnFail: boolField().optional(),
  delayAbortEval: durationField().optional(),
});

/**
 * Validates `options.thresholds` (at `base`, normally 'options.thresholds') and returns the specs
 * with defaults (abortOnFail false, delayAbortEval 0). Adds every problem to `problems`.
 */
export function parseThresholdsInto(v: unknown, base: string, problems: Problems): Record<string, ThresholdSpec[]> {
  const out: Record<string, ThresholdSpec[]> = {};
  if (v === undefined || v === null) return out;
  if (!isPlainObject(v)) {
    problems.add(base, `must be an object mapping metric names to arrays of thresholds, e.g. { http_req_duration: ["p(95)<500"] } (got ${show(v)})`);
    return out;
  }
  for (const [metric, list] of Object.entries(v)) {
    const at = formatPath(base, [metric]);
    if (metric.trim() === '') {
      problems.add(at, 'the metric name must not be empty');
      continue;
    }
    if (!Array.isArray(list)) {
      const example = typeof list === 'string' ? `[${JSON.stringify(list)}]` : '["p(95)<500"]';
      problems.add(at, `must be an array of thresholds, e.g. ${example} (got ${show(list)})`);
      continue;
    }
    const specs: ThresholdSpec[] = [];
    list.forEach((entry: unknown, i) => {
      const where = formatPath(at, [i]);
      if (typeof entry === 'string') {
        if (entry.trim() === '') problems.add(where, 'must not be empty');
        else specs.push({ threshold: entry, abortOnFail: false, delayAbortEvalMs: 0 });
        return;
      }
      if (!isPlainObject(entry)) {
        problems.add(where, `must be an expression string or { threshold, abortOnFail?, delayAbortEval? } (got ${show(entry)})`);
        return;
      }
      const r = entryObject.safeParse(entry);
      if (!r.success) {
        problems.addZod(
          r.error.issues,
          (path) => formatPath(where, path),
          (_path, key) => {
            const close = suggest(key, ENTRY_KEYS);
            return close ? `unknown threshold option; did you mean "${close}"?` : 'unknown threshold option (use threshold, abortOnFail, delayAbortEval)';
          },
        );
        return;
      }
      specs.push({ threshold: r.data.threshold, abortOnFail: r.data.abortOnFail ?? false, delayAbortEvalMs: r.data.delayAbortEval ?? 0 });
    });
    out[metric] = specs;
  }
  return out;
}
