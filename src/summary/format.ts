/**
 * Number formatting for summaries, ported from k6's end-of-test summary (internal/js/summary.js)
 * so that the figures read exactly as k6 users know them.
 */
import type { MetricType, ValueType } from '../metrics/metric.js';

/** Fixed time unit for time values (`summaryTimeUnit`); '' or undefined = adaptive. */
export type TimeUnit = 's' | 'ms' | 'us' | '' | undefined;

const UNIT_MAP: Record<string, { unit: string; coef: number }> = {
  s: { unit: 's', coef: 0.001 },
  ms: { unit: 'ms', coef: 1 },
  us: { unit: 'µs', coef: 1000 },
};

/** `val.toFixed(prec)` without trailing zeros: 1.50 → '1.5', 2.00 → '2'. */
export function toFixedNoTrailingZeros(val: number, prec: number): string {
  return String(parseFloat(val.toFixed(prec)));
}

/** Truncates (not rounds) to `prec` decimals, then drops trailing zeros. */
export function toFixedNoTrailingZerosTrunc(val: number, prec: number): string {
  const mult = 10 ** prec;
  // toPrecision(12) first: 612.3 * 100 is 61229.999999999993 in binary floating point, and should
  // truncate to 612.3, not 612.29.
  return toFixedNoTrailingZeros(Math.trunc(Number((mult * val).toPrecision(12))) / mult, prec);
}

/** A duration in ms, in the largest fitting unit: '812µs', '41.07ms', '1.8s', '1m30s', '1h2m3s'. */
export function humanizeDuration(ms: number, timeUnit?: TimeUnit): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (timeUnit && UNIT_MAP[timeUnit]) {
    const u = UNIT_MAP[timeUnit];
    return `${(ms * u.coef).toFixed(2)}${u.unit}`;
  }
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const d = Math.abs(ms);
  if (d < 0.001) return `${sign}${Math.trunc(d * 1e6)}ns`;
  if (d < 1) return `${sign}${toFixedNoTrailingZerosTrunc(d * 1000, 2)}µs`;
  if (d < 1000) return `${sign}${toFixedNoTrailingZerosTrunc(d, 2)}ms`;
  let out = `${toFixedNoTrailingZerosTrunc((d % 60_000) / 1000, d > 60_000 ? 0 : 2)}s`;
  let rem = Math.trunc(d / 60_000);
  if (rem < 1) return sign + out;
  out = `${rem % 60}m${out}`;
  rem = Math.trunc(rem / 60);
  if (rem < 1) return sign + out;
  return `${sign}${rem}h${out}`;
}

/** Bytes in decimal units as k6 prints them: '9 B', '48 MB', '2.1 MB', '352 kB'. */
export function humanizeBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  if (bytes < 10) return `${toFixedNoTrailingZeros(bytes, 2)} B`;
  const e = Math.min(units.length - 1, Math.floor(Math.log(bytes) / Math.log(1000)));
  const val = Math.floor((bytes / 1000 ** e) * 10 + 0.5) / 10;
  return `${val.toFixed(val < 10 ? 1 : 0)} ${units[e]}`;
}

/** A 0..1 rate as a percentage, truncated to 2 decimals as k6 does: 0.99999 → '99.99%'. */
export function humanizePercent(rate: number): string {
  return `${(Math.trunc(Number((rate * 10_000).toPrecision(12))) / 100).toFixed(2)}%`;
}

/** A metric value as k6 prints it: rates as %, data as bytes, time as a duration, others as plain numbers. */
export function humanizeValue(val: number, metric: { type: MetricType; contains: ValueType }, timeUnit?: TimeUnit): string {
  if (val === undefined || val === null || Number.isNaN(val)) return '-';
  if (metric.type === 'rate') return humanizePercent(val);
  switch (metric.contains) {
    case 'data':
      return humanizeBytes(val);
    case 'time':
      return humanizeDuration(val, timeUnit);
    default:
      return toFixedNoTrailingZeros(val, 6);
  }
}

/** An integer with thousands separators: 12345 → '12,345'. */
export function humanizeCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.round(n).toLocaleString('en-US');
}

/**
 * A failed-request kind as people say it: 'HTTP 503 Service Unavailable', 'error 1050 request
 * timeout', 'error 1212 connection refused: dial: connection refused'. Undefined for rows without a
 * code or status (script errors, summaries exported before Volley named codes).
 */
export function httpErrorText(e: { kind: string; message: string; code?: number; name?: string; status?: number }): string | undefined {
  if (e.kind !== 'http' || (e.code === undefined && e.status === undefined)) return undefined;
  if (e.code === undefined || (e.status !== undefined && e.status >= 400 && e.code === 1000 + e.status)) return e.message;
  const name = e.name ?? '';
  let s = `error ${e.code}${name ? ` ${name}` : ''}`;
  if (e.message && e.message !== name) s += `: ${e.message}`;
  if (e.status !== undefined && e.status > 0) s += ` (HTTP ${e.status})`;
  return s;
}
