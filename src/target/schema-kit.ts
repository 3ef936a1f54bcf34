import { z } from 'zod';
import { parseDurationMs, parseSizeBytes } from './units.js';
import { percentilePoints } from './latency.js';

/**
 * Schema building blocks for the target config: durations, sizes, fractions and distributions, plus
 * `obj()`, a strict object that remembers its keys so that "unknown key" errors can suggest the
 * closest known one.
 */

/** Every key name declared through `obj()`, for typo suggestions. */
export const KNOWN_KEYS = new Set<string>();

/** A strict object (unknown keys are errors) whose keys feed the typo suggestions. */
export function obj<S extends z.ZodRawShape>(shape: S) {
  for (const k of Object.keys(shape)) KNOWN_KEYS.add(k);
  return z.strictObject(shape);
}

/** A duration in ms: "300ms", "1.5s", "1m30s" or a number of ms. */
export function duration(opts: { positive?: boolean } = {}) {
  return z.custom<string | number>(() => true).transform((v, ctx) => {
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: 'required' });
      return z.NEVER;
    }
    const ms = parseDurationMs(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a duration like "300ms", got ${show(v)}` });
      return z.NEVER;
    }
    if (opts.positive && ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `must be greater than 0, got ${show(v)}` });
      return z.NEVER;
    }
    return ms;
  });
}

/** A size in bytes: "1kb", "10mb" (binary units) or a number of bytes. */
export function size(opts: { min?: number } = {}) {
  return z.custom<string | number>(() => true).transform((v, ctx) => {
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: 'required' });
      return z.NEVER;
    }
    const b = parseSizeBytes(v);
    if (b === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a size like "1kb" or "10mb" (or a number of bytes), got ${show(v)}` });
      return z.NEVER;
    }
    if (opts.min !== undefined && b < opts.min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${opts.min} bytes, got ${show(v)}` });
      return z.NEVER;
    }
    return b;
  });
}

/** A number in [0, 1]. */
export const fraction = z.number({ error: 'expected a fraction between 0 and 1 (e.g. 0.02 for 2%)' }).min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

/** A positive number (rates). */
export const positive = z.number({ error: 'expected a number' }).positive('must be greater than 0');

/** A whole number ≥ min. */
export function int(min: number) {
  return z.number({ error: 'expected a whole number' }).int('expected a whole number').min(min, `must be at least ${min}`);
}

/** An HTTP status code. */
export const status = z.number({ error: 'expected an HTTP status code such as 503' }).int('expected an HTTP status code such as 503').min(100, 'expected an HTTP status code (100-599)').max(599, 'expected an HTTP status code (100-599)');

const MODEL_KEYS = ['fixed', 'uniform', 'normal', 'lognormal', 'percentiles'] as const;

/**
 * A distribution of `value`s (see `DistributionSpec` in latency.ts). A bare value is shorthand for
 * `{ fixed: value }`. Exactly one model key.
 */
export function distribution(value: () => z.ZodType<number, unknown>) {
  const shape = {
    fixed: value().optional(),
    uniform: z.tuple([value(), value()], { error: 'expected [min, max]' }).optional(),
    normal: obj({ mean: value(), stddev: value(), min: value().optional(), max: value().optional() }).optional(),
    lognormal: obj({ p50: value(), p99: value(), max: value().optional() })
      .superRefine((o, ctx) => {
        if (!(o.p50 > 0)) ctx.addIssue({ code: 'custom', path: ['p50'], message: 'must be greater than 0' });
        else if (!(o.p99 > o.p50)) ctx.addIssue({ code: 'custom', path: ['p99'], message: 'must be greater than p50' });
      })
      .optional(),
    percentiles: z
      .record(z.string(), value())
      .superRefine((t, ctx) => {
        const r = percentilePoints(t);
        if ('error' in r) ctx.addIssue({ code: 'custom', path: r.key === undefined ? [] : [r.key], message: r.error });
      })
      .optional(),
  };
  return z.preprocess(
    (v) => (typeof v === 'number' || typeof v === 'string' ? { fixed: v } : v),
    obj(shape).superRefine((o, ctx) => {
      const present = MODEL_KEYS.filter((k) => (o as Record<string, unknown>)[k] !== undefined);
      if (present.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            present.length === 0
              ? `expected one of ${MODEL_KEYS.join(', ')} (e.g. { lognormal: { p50: 20ms, p99: 300ms } })`
              : `expected exactly one model, got ${present.join(' and ')}`,
        });
      }
      if (o.uniform && o.uniform[1] < o.uniform[0]) ctx.addIssue({ code: 'custom', path: ['uniform'], message: 'max must not be below min' });
      if (o.normal && o.normal.max !== undefined && o.normal.max < (o.normal.min ?? 0)) {
        ctx.addIssue({ code: 'custom', path: ['normal', 'max'], message: 'must not be below min' });
      }
    }),
  );
}

/** Short rendering of a user value for messages. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return String(v);
}
