/**
 * Parsers for single option values, from the three places options come from: the script's
 * `options` object (typed JS values), `VOLLEY_*` environment variables (strings) and CLI flags
 * (values the CLI parser already typed, but not range-checked).
 *
 * Each parser returns `{ ok: true, value }` or `{ ok: false, message }`; the message is written for
 * the user and is prefixed with where the value came from by the caller
 * (`options.scenarios.x.duration: "10x" is not a duration ...`).
 */
import { parseDurationMs } from './duration.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** A short, user-facing rendering of a value for error messages: `"10x"`, `-1`, `an object`. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return 'a function';
  return 'an object';
}

const DURATION_EXAMPLES = '(use e.g. "30s", "1m30s", "500ms")';

/**
 * How a unit-less duration is read:
 * - 'ms': as milliseconds, which is what k6 does for script options, JSON config and `K6_*`
 *   environment variables (`gracefulStop: 10000`, `"10000"`, `K6_DURATION=10000` all mean 10s);
 * - 'reject': refused, as k6 refuses `--duration 1000` on the command line (it is ambiguous).
 */
export type BareNumberMode = 'ms' | 'reject';

/**
 * A k6 duration: a string of number+unit parts ("1m30s", "1.5h", "2d3h", "250ms"; units ns, us,
 * µs, ms, s, m, h, d) or a number of milliseconds. Negative durations are refused.
 * Returns milliseconds.
 */
export function parseDuration(v: unknown, bare: BareNumberMode): Parsed<number> {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return fail(`${show(v)} is not a duration ${DURATION_EXAMPLES}`);
    if (v < 0) return fail(`must not be negative (got ${show(v)})`);
    return ok(v);
  }
  if (typeof v !== 'string') return fail(`must be a duration such as "30s" (got ${show(v)})`);
  const s = v.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) {
    if (bare === 'reject') return fail(`${show(v)} has no unit ${DURATION_EXAMPLES}`);
    const n = Number(s);
    if (n < 0) return fail(`must not be negative (got ${show(v)})`);
    return ok(n);
  }
  if (s.startsWith('-') && parseDurationMs(s.slice(1)) !== undefined) return fail(`must not be negative (got ${show(v)})`);
  const ms = parseDurationMs(s.startsWith('+') ? s.slice(1) : s);
  if (ms === undefined) return fail(`${show(v)} is not a duration ${DURATION_EXAMPLES}`);
  // Round to whole nanoseconds (Go's resolution), which also removes float noise: "1.1s" is
  // 1.1 * 1000 = 1100.0000000000002 before rounding.
  return ok(Math.round(ms * 1e6) / 1e6);
}

/** Describes the accepted range for messages: "a positive integer", "an integer ≥ 0". */
export function integerNoun(min: number): string {
  if (min === 1) return 'a positive integer';
  if (min === 0) return 'a non-negative integer';
  return `an integer ≥ ${min}`;
}

/**
 * An integer ≥ `min`. From the environment, the string must be all digits. `message` replaces the
 * default complaint (used for `vus`, where 0 is valid with stages but "positive" is what users need
 * to hear).
 */
export function parseInteger(v: unknown, min: number, opts: { fromString?: boolean; message?: string } = {}): Parsed<number> {
  let n: unknown = v;
  if (opts.fromString && typeof v === 'string') {
    const s = v.trim();
    n = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
  }
  const complaint = opts.message ?? `must be ${integerNoun(min)}`;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) return fail(`${complaint} (got ${show(v)})`);
  return ok(n);
}

/** Go's strconv.ParseBool spellings, which k6 accepts in `K6_*` variables. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A boolean; from the environment "true"/"false"/"1"/"0" (and Go's other spellings). */
export function parseBoolean(v: unknown, fromString = false): Parsed<boolean> {
  if (typeof v === 'boolean') return ok(v);
  if (fromString && typeof v === 'string') {
    const s = v.trim();
    if (TRUE.has(s)) return ok(true);
    if (FALSE.has(s)) return ok(false);
    return fail(`must be true or false (got ${show(v)})`);
  }
  return fail(`must be true or false (got ${show(v)})`);
}

export function parseString(v: unknown): Parsed<string> {
  return typeof v === 'string' ? ok(v) : fail(`must be a string (got ${show(v)})`);
}

/** A list of strings: an array, one string, or (from the environment or a flag) a comma-separated list. */
export function parseStrings(v: unknown, fromString: boolean): Parsed<string[]> {
  if (typeof v === 'string') {
    return ok(
      fromString
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : [v],
    );
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return ok([...v]);
  return fail(`must be a string or an array of strings (got ${show(v)})`);
}

/** The HTTP transport: 'fast' or 'undici'. */
export function parseTransport(v: unknown): Parsed<'fast' | 'undici'> {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : v;
  return s === 'fast' || s === 'undici' ? ok(s) : fail(`must be 'fast' or 'undici' (got ${show(v)})`);
}

/** k6's trend stats: avg, min, med, max, count, and p(N) for N in [0, 100]. */
export const STATIC_TREND_STATS = ['avg', 'min', 'med', 'max', 'count'] as const;

/** Checks one summaryTrendStats entry; undefined when valid, else the complaint. */
export function checkTrendStat(stat: unknown): string | undefined {
  const usage = 'use avg, min, med, max, count or p(N) with N from 0 to 100';
  if (typeof stat !== 'string') return `must be a string (got ${show(stat)})`;
  if ((STATIC_TREND_STATS as readonly string[]).includes(stat)) return undefined;
  const m = /^p\((.*)\)$/.exec(stat);
  if (m) {
    const p = m[1]!.trim() === '' ? NaN : Number(m[1]);
    if (Number.isFinite(p) && p >= 0 && p <= 100) return undefined;
    return `${show(stat)}: the percentile must be a number from 0 to 100`;
  }
  const bare = /^p(\d+(\.\d+)?)$/.exec(stat);
  if (bare) return `${show(stat)} is not a trend stat; did you mean "p(${bare[1]})"?`;
  return `${show(stat)} is not a trend stat (${usage})`;
}

/**
 * summaryTrendStats: an array of stats in the script, a comma-separated list on the CLI and in the
 * environment ("avg,p(95),p(99.9)"). Problems are returned per entry so that each is reported with
 * its index.
 */
export function parseTrendStats(v: unknown, fromString: boolean): { value?: string[]; problems: { index?: number; message: string }[] } {
  let list: unknown[];
  if (fromString && typeof v === 'string') list = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  else if (Array.isArray(v)) list = v;
  else return { problems: [{ message: `must be an array of stats such as ["avg", "p(95)"] (got ${show(v)})` }] };
  const problems: { index?: number; message: string }[] = [];
  list.forEach((s, i) => {
    const m = checkTrendStat(s);
    if (m) problems.push({ index: fromString ? undefined : i, message: m });
  });
  if (list.length === 0) problems.push({ message: 'must list at least one stat' });
  return problems.length > 0 ? { problems } : { value: list as string[], problems };
}

export type SummaryTimeUnit = 's' | 'ms' | 'us';

/** 's', 'ms' or 'us'; '' means unset (adaptive), as in k6. */
export function parseTimeUnit(v: unknown): Parsed<SummaryTimeUnit | undefined> {
  if (v === '' || v === undefined) return ok(undefined);
  if (v === 's' || v === 'ms' || v === 'us') return ok(v);
  return fail(`must be "s", "ms" or "us" (got ${show(v)})`);
}

/** A plain object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A string→string map (tags, env). Values must be strings, as k6 requires; names must be non-empty.
 * Problems are reported per key.
 */
export function parseStringMap(v: unknown): { value?: Record<string, string>; problems: { key?: string; message: string }[] } {
  if (!isPlainObject(v)) return { problems: [{ message: `must be an object of string values (got ${show(v)})` }] };
  const problems: { key?: string; message: string }[] = [];
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === '') problems.push({ message: 'names must not be empty' });
    else if (typeof val !== 'string') problems.push({ key: k, message: `must be a string (got ${show(val)})` });
    else out[k] = val;
  }
  return problems.length > 0 ? { problems } : { value: out, problems };
}
