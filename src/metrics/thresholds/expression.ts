/**
 * Threshold expressions: the `'p(95)<300'` strings of `options.thresholds`, with k6's syntax and
 * meaning (metrics/thresholds_parser.go in k6).
 *
 * Grammar (BNF). Whitespace (`ws`, any JS whitespace) may appear around every token; k6 allows it
 * only around the operator, so every k6 expression parses here and means the same.
 *
 * ```
 * threshold    ::= ws* aggregation ws* operator ws* number ( ws+ modifier )* ws*
 * modifier     ::= "for" ws+ duration                         ; windowed: holds in every window
 *                | "budget" ( ws+ "over" ws+ duration )?      ; error budget in events (rate metrics)
 *                | "budget" ws+ duration ws+ "over" ws+ duration ; error budget in seconds of breach
 *                | "per" ws+ duration                         ; a time budget's window (default 1m)
 * duration     ::= ( digits ( "." digits )? unit )+           ; 5m, 1h30m, 30d
 * unit         ::= "ms" | "s" | "m" | "h" | "d"
 * aggregation  ::= "avg" | "min" | "max" | "med" | "count" | "rate" | "value" | "drift" | percentile
 * percentile   ::= "p" ws* "(" ws* number ws* ")"          ; 0 <= number <= 100
 * operator     ::= "<=" | "<" | ">=" | ">" | "===" | "==" | "!="
 * number       ::= sign? ( digits ( "." digits? )? | "." digits ) exponent?
 * exponent     ::= ( "e" | "E" ) sign? digits
 * sign         ::= "+" | "-"
 * digits       ::= digit+
 * digit        ::= "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9"
 * ```
 *
 * Values have no units, as in k6: time is in milliseconds, data in bytes, rates are 0..1
 * (`'p(95)<300'`, not `'p(95)<300ms'`; `'rate<0.01'`, not `'rate<1%'`). Keywords are lower case.
 * `==` and `===` mean the same (all values are numbers).
 *
 * Which aggregations a metric type supports is in `./aggregations.ts`.
 *
 * Volley's modifiers (not in k6; each at most once):
 * - `'p(95)<350 for 5m'`: the aggregation must hold over every 5-minute sliding window of the run,
 *   not only over the whole run (see `./windows.ts`).
 * - `'drift<=0'`: the run's significant trend, in % per hour (0 when there is none; metrics/drift.ts),
 *   judged at the end only: `monitor_process_resident_memory_bytes: ['drift<=0']` is "no leak".
 * - `'rate<0.001 budget'`: an error budget: the run may have at most 0.1 % bad events; the summary
 *   shows the allowed, used and remaining bad events and the burn rate. `budget over 30d` adds how
 *   long the SLO period's budget lasts at the run's burn rate.
 * - `'p(95)<350 budget 28800s over 30d'` (optionally `per 1m`): an error budget in **seconds of SLO
 *   breach**: the run is cut into back-to-back windows (default 1 minute), a window whose own value
 *   breaks the condition is breached, and the breached seconds may not exceed the run's share of
 *   the budget (28,800 s × run length ÷ 30 days). See `./time-budget.ts`.
 */
import { VolleyError, ExitCode } from '../../errors/index.js';

/** Aggregation keywords (the percentile is `'p'`, with its argument in `percentile`). */
export type Aggregation = 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | 'drift' | 'p';
/** Comparison operators. */
export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/** A parsed threshold expression. */
export interface ParsedThreshold {
  aggregation: Aggregation;
  /** For `aggregation === 'p'`: the percentile, 0..100 (99.9 for `p(99.9)`). */
  percentile?: number;
  op: ThresholdOperator;
  /** The right-hand side, in the metric's unit (ms, bytes, 0..1 for rates, plain numbers). */
  value: number;
  /** The expression as written. */
  source: string;
  /** `for <duration>`: the window length in ms; the threshold must hold in every window of that length. */
  windowMs?: number;
  /** `budget [over <duration>]`: an error budget; `periodMs` is the SLO period when given. */
  budget?: { periodMs?: number };
  /**
   * `budget <duration> over <duration> [per <duration>]`: an error budget in seconds of breach:
   * `budgetMs` of breach allowed per `periodMs`, judged in back-to-back windows of `windowMs`
   * (default `DEFAULT_BUDGET_WINDOW_MS`, a whole number of seconds).
   */
  timeBudget?: { budgetMs: number; periodMs: number; windowMs: number };
}

/** The window of a time budget without `per`: one minute (see docs/thresholds.md for why). */
export const DEFAULT_BUDGET_WINDOW_MS = 60_000;

/** The aggregation keywords other than the percentile, in the order they are listed to users. */
export const AGGREGATION_KEYWORDS = ['avg', 'min', 'max', 'med', 'count', 'rate', 'value', 'drift'] as const;
/** Operators, longest first where they share a prefix (the tokenizer relies on this order). */
export const THRESHOLD_OPERATORS: readonly ThresholdOperator[] = ['<=', '<', '>=', '>', '===', '==', '!='];

/**
 * The aggregation as k6 names it in summaries and sink keys: 'avg', 'count', 'p(95)', 'p(99.9)'.
 * `String(number)` prints the shortest round-tripping form, which matches Go's `%g` here.
 */
export function aggregationKey(t: Pick<ParsedThreshold, 'aggregation' | 'percentile'>): string {
  return t.aggregation === 'p' ? `p(${String(t.percentile)})` : t.aggregation;
}

/** The canonical text of a parsed expression, e.g. `'p(95)<300'` (no spaces). Parses back to an equal value. */
export function formatThresholdExpression(t: Pick<ParsedThreshold, 'aggregation' | 'percentile' | 'op' | 'value'>): string {
  return `${aggregationKey(t)}${t.op}${String(t.value)}`;
}

/** Result of scanning: the parsed threshold, or why it is not one. */
type ScanResult = { ok: true; value: ParsedThreshold } | { ok: false; problem: string };

const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WS = /\s*/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * Parses a threshold expression. Throws a VolleyError (code E_THRESHOLD, exit code 104) whose
 * message names the expression, says what is wrong and, when a fix is obvious, suggests it:
 * `"p95<300" is not a threshold expression; did you mean "p(95)<300"?`.
 */
export function parseThresholdExpression(expr: string): ParsedThreshold {
  const r = scan(expr);
  if (r.ok) return r.value;
  throw new VolleyError('E_THRESHOLD', describeInvalid(expr, r.problem), { hint: THRESHOLD_HINT, exitCode: ExitCode.InvalidConfig });
}

/** The hint attached to threshold syntax errors. */
export const THRESHOLD_HINT =
  "threshold expressions look like 'p(95)<300', 'avg<200', 'rate<0.01', 'count>100' or 'value>0'; " +
  'values have no units (time in ms, data in bytes, rates from 0 to 1); a time budget gives its durations with units: ' +
  "'p(95)<350 per 1m budget 28800s over 30d'";

/**
 * The message for an invalid expression: with a suggested fix when one is found, otherwise the
 * reason. Exposed for `validateThresholds`, which prefixes it with where the expression sits.
 */
export function describeInvalid(expr: string, problem?: string): string {
  const why = problem ?? (scan(expr) as { problem?: string }).problem ?? 'malformed expression';
  const fix = suggestFix(expr);
  const shown = JSON.stringify(expr);
  return fix !== undefined ? `${shown} is not a threshold expression; did you mean ${JSON.stringify(fix)}?` : `${shown} is not a threshold expression: ${why}`;
}

/** Non-throwing parse: the parsed expression or undefined. */
export function tryParseThresholdExpression(expr: string): ParsedThreshold | undefined {
  const r = scan(expr);
  return r.ok ? r.value : undefined;
}

function scan(expr: string): ScanResult {
  if (typeof expr !== 'string') return { ok: false, problem: `expected a string, got ${expr === null ? 'null' : typeof expr}` };
  let pos = skipWs(expr, 0);
  if (pos >= expr.length) return { ok: false, problem: 'it is empty' };

  // aggregation
  WORD.lastIndex = pos;
  const w = WORD.exec(expr);
  if (!w) return { ok: false, problem: `expected an aggregation (avg, min, max, med, p(N), count, rate or value) at ${JSON.stringify(expr.slice(pos))}` };
  const word = w[0];
  pos = WORD.lastIndex;
  let aggregation: Aggregation;
  let percentile: number | undefined;
  if (word === 'p') {
    pos = skipWs(expr, pos);
    if (expr[pos] !== '(') return { ok: false, problem: 'a percentile is written p(N), e.g. p(95)' };
    pos = skipWs(expr, pos + 1);
    NUMBER.lastIndex = pos;
    const n = NUMBER.exec(expr);
    if (!n) return { ok: false, problem: 'a percentile is written p(N) with N a number from 0 to 100, e.g. p(99.9)' };
    pos = skipWs(expr, NUMBER.lastIndex);
    if (expr[pos] !== ')') return { ok: false, problem: 'missing ")" after the percentile' };
    pos++;
    percentile = Number(n[0]);
    if (!(percentile >= 0 && percentile <= 100)) return { ok: false, problem: `percentile ${n[0]} is out of range (0 to 100)` };
    if (Object.is(percentile, -0)) percentile = 0;
    aggregation = 'p';
  } else if ((AGGREGATION_KEYWORDS as readonly string[]).includes(word)) {
    aggregation = word as Aggregation;
  } else {
    return { ok: false, problem: `unknown aggregation "${word}" (use avg, min, max, med, p(N), count, rate or value)` };
  }

  // operator
  pos = skipWs(expr, pos);
  let op: ThresholdOperator | undefined;
  for (const candidate of THRESHOLD_OPERATORS) {
    if (expr.startsWith(candidate, pos)) {
      op = candidate;
      break;
    }
  }
  if (!op) {
    return pos >= expr.length
      ? { ok: false, problem: 'missing the comparison (<, <=, >, >=, ==, === or !=) and value' }
      : { ok: false, problem: `expected a comparison (<, <=, >, >=, ==, === or !=) at ${JSON.stringify(expr.slice(pos))}` };
  }
  pos = skipWs(expr, pos + op.length);

  // value
  NUMBER.lastIndex = pos;
  const n = NUMBER.exec(expr);
  if (!n) {
    return pos >= expr.length
      ? { ok: false, problem: `missing the value after "${op}"` }
      : { ok: false, problem: `expected a number after "${op}", got ${JSON.stringify(expr.slice(pos))}` };
  }
  const afterValue = NUMBER.lastIndex;
  pos = skipWs(expr, afterValue);
  const mods: Modifiers = {};
  while (pos < expr.length && pos > afterValue) {
    WORD.lastIndex = pos;
    const m = WORD.exec(expr);
    if (!m || (m[0] !== 'for' && m[0] !== 'budget' && m[0] !== 'per')) break;
    const r = m[0] === 'for' ? scanFor(expr, WORD.lastIndex, mods) : m[0] === 'per' ? scanPer(expr, WORD.lastIndex, mods) : scanBudget(expr, WORD.lastIndex, mods);
    if (typeof r === 'string') return { ok: false, problem: r };
    pos = skipWs(expr, r);
  }
  if (pos < expr.length) {
    const rest = expr.slice(pos);
    return /^[a-zµ%]+$/i.test(rest)
      ? { ok: false, problem: `values have no units ("${rest}"): time is in ms, data in bytes, rates from 0 to 1` }
      : { ok: false, problem: `unexpected ${JSON.stringify(rest)} after the value` };
  }
  let value = Number(n[0]);
  if (!Number.isFinite(value)) return { ok: false, problem: `value ${n[0]} is out of range` };
  if (Object.is(value, -0)) value = 0;
  const parsed: ParsedThreshold = { aggregation, op, value, source: expr };
  if (percentile !== undefined) parsed.percentile = percentile;
  if (mods.windowMs !== undefined) parsed.windowMs = mods.windowMs;
  if (aggregation === 'drift' && (mods.budget !== undefined || mods.windowMs !== undefined || mods.timeBudget !== undefined)) {
    return { ok: false, problem: 'drift is judged over the whole run: it takes neither "for" nor "budget"' };
  }
  if ((mods.budget !== undefined || mods.timeBudget !== undefined) && mods.windowMs !== undefined) return { ok: false, problem: 'a threshold is either windowed ("for") or a budget, not both' };
  if (mods.perMs !== undefined && mods.timeBudget === undefined) {
    return { ok: false, problem: '"per" sets the window of a time budget: add the budget, like \'per 1m budget 28800s over 30d\'' };
  }
  if (mods.timeBudget !== undefined) {
    const { budgetMs, periodMs } = mods.timeBudget;
    const windowMs = mods.perMs ?? DEFAULT_BUDGET_WINDOW_MS;
    if (budgetMs > periodMs) return { ok: false, problem: `the time budget (${fmtMs(budgetMs)}) is longer than its period (${fmtMs(periodMs)}): write the seconds of breach allowed per period, like "budget 28800s over 30d"` };
    if (windowMs > periodMs) return { ok: false, problem: `the window "per ${fmtMs(windowMs)}" is longer than the budget's period (${fmtMs(periodMs)})` };
    parsed.timeBudget = { budgetMs, periodMs, windowMs };
  }
  if (mods.budget !== undefined) {
    if (aggregation !== 'rate' || (op !== '<' && op !== '<=')) return { ok: false, problem: `a budget is a share of bad events: write it on a rate, like 'rate<0.001 budget'` };
    if (!(value > 0 && value <= 1)) return { ok: false, problem: `a budget's rate must be above 0 and at most 1 (got ${n[0]})` };
    parsed.budget = mods.budget;
  }
  return { ok: true, value: parsed };
}

const DURATION = /(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+(?![A-Za-z0-9])/y;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration at `pos` (after whitespace): its length in ms and where it ends, or undefined. */
function scanDuration(expr: string, pos: number): { ms: number; end: number } | undefined {
  DURATION.lastIndex = pos;
  const m = DURATION.exec(expr);
  if (!m) return undefined;
  let ms = 0;
  for (const [, num, unit] of m[0].matchAll(DURATION_PART)) ms += Number(num) * UNIT_MS[unit!]!;
  return { ms, end: DURATION.lastIndex };
}

/** `for <duration>` after the word `for` (at `pos`): sets `windowMs`, returns where it ends or the problem. */
function scanFor(expr: string, pos: number, mods: Pick<ParsedThreshold, 'windowMs'>): number | string {
  if (mods.windowMs !== undefined) return '"for" appears twice';
  const d = scanDuration(expr, skipWs(expr, pos));
  if (!d) return `"for" takes a window length with its unit, like "for 5m", "for 30s" or "for 1h"`;
  if (d.ms < 1000) return `the window of "for" must be at least 1s (got ${JSON.stringify(expr.slice(skipWs(expr, pos), d.end))})`;
  mods.windowMs = d.ms;
  return d.end;
}

/** Modifiers seen so far (each at most once). */
interface Modifiers {
  windowMs?: number;
  budget?: { periodMs?: number };
  timeBudget?: { budgetMs: number; periodMs: number };
  perMs?: number;
}

/** 30 days → '30d', 28,800 s → '8h', 1,500 ms → '1.5s': for messages about durations. */
function fmtMs(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && Number.isInteger(ms / size)) return `${ms / size}${unit}`;
  }
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * `budget [over <duration>]` (events) or `budget <duration> over <duration>` (seconds of breach),
 * after the word `budget`: sets `budget` or `timeBudget`, returns where it ends or the problem.
 */
function scanBudget(expr: string, pos: number, mods: Modifiers): number | string {
  if (mods.budget !== undefined || mods.timeBudget !== undefined) return '"budget" appears twice';
  let at = skipWs(expr, pos);
  let budgetMs: number | undefined;
  if (at > pos && /[0-9.]/.test(expr[at] ?? '')) {
    // A time budget: an amount of breach, with its unit.
    const d = scanDuration(expr, at);
    if (!d) {
      const word = /^\S+/.exec(expr.slice(at))![0];
      return `the time budget ${JSON.stringify(word)} is not a duration with a unit (ms, s, m, h or d), like "budget 28800s over 30d"`;
    }
    if (d.ms <= 0) return 'the time budget must be above 0';
    budgetMs = d.ms;
    pos = d.end;
    at = skipWs(expr, pos);
  }
  WORD.lastIndex = at;
  const w = WORD.exec(expr);
  if (!w || w[0] !== 'over' || at === pos) {
    if (budgetMs !== undefined) return `a time budget needs its period: "budget ${fmtMs(budgetMs)} over 30d"`;
    mods.budget = {};
    return pos;
  }
  const d = scanDuration(expr, skipWs(expr, WORD.lastIndex));
  if (!d) return `"budget over" takes the SLO period with its unit (ms, s, m, h or d), like "budget over 30d"`;
  if (d.ms <= 0) return 'the SLO period of "budget over" must be above 0';
  if (budgetMs !== undefined) mods.timeBudget = { budgetMs, periodMs: d.ms };
  else mods.budget = { periodMs: d.ms };
  return d.end;
}

/** `per <duration>` after the word `per`: a time budget's window, whole seconds; sets `perMs`. */
function scanPer(expr: string, pos: number, mods: Modifiers): number | string {
  if (mods.perMs !== undefined) return '"per" appears twice';
  const at = skipWs(expr, pos);
  const d = scanDuration(expr, at);
  if (!d || at === pos) return `"per" takes the window length with its unit (s, m, h or d), like "per 1m" or "per 10s"`;
  if (d.ms < 1000 || d.ms % 1000 !== 0) return `the window of "per" must be a whole number of seconds, at least 1s (got ${JSON.stringify(expr.slice(at, d.end))}): Volley keeps data per second`;
  mods.perMs = d.ms;
  return d.end;
}

function skipWs(s: string, pos: number): number {
  WS.lastIndex = pos;
  WS.exec(s);
  return WS.lastIndex;
}

// ---------------------------------------------------------------------------------------------
// Suggestions: rewrite common mistakes, and offer the result only if it parses.

const ALIASES: Record<string, string> = {
  average: 'avg',
  mean: 'avg',
  median: 'med',
  minimum: 'min',
  maximum: 'max',
  total: 'count',
  sum: 'count',
  counter: 'count',
  gauge: 'value',
  last: 'value',
};
/** Unit → factor to the threshold's unit (ms for time, bytes for data). */
const UNIT_FACTOR: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, b: 1, kb: 1000, mb: 1e6, gb: 1e9 };

/** A corrected expression for a common mistake, or undefined. Exported for tests. */
export function suggestFix(expr: string): string | undefined {
  if (typeof expr !== 'string') return undefined;
  let s = expr.trim().replace(/^(['"`])(.*)\1$/s, '$2').trim();
  s = s.toLowerCase();
  // Aggregation spelled differently.
  s = s.replace(/^([a-z_]+)/, (word) => ALIASES[word] ?? word);
  // Percentiles: p95, p 95, p99.9, p[95], p{95}, percentile(95), pct(95), p(95 (missing paren).
  s = s.replace(/^(?:percentile|pct|p)\s*[([{]?\s*(\d+(?:\.\d+)?)\s*[)\]}]?/, 'p($1)');
  // Operators: = → ==, => → >=, =< → <=, <> → !=, ≤ ≥ ≠.
  s = s.replace(/^([^<>=!]*?)\s*(=>|=<|<>|≤|≥|≠|=(?!=))\s*/, (_m, lhs: string, op: string) => {
    const fixed: Record<string, string> = { '=>': '>=', '=<': '<=', '<>': '!=', '≤': '<=', '≥': '>=', '≠': '!=', '=': '==' };
    return lhs + fixed[op]!;
  });
  // Units and percent on the value.
  s = s.replace(/(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|µs|ms|s|m|b|kb|mb|gb|%)\s*$/, (_m, num: string, unit: string) => {
    const v = Number(num);
    const out = unit === '%' ? v / 100 : v * UNIT_FACTOR[unit]!;
    return String(Number(out.toPrecision(12)));
  });
  // Tidy: drop spaces around the operator so the suggestion is canonical-looking.
  s = s.replace(/\s*(<=|>=|===|==|!=|<|>)\s*/, '$1');
  if (s === expr) return undefined;
  const r = scan(s);
  return r.ok ? s : undefined;
}
