/**
 * The analysis' vocabulary: a Finding (one thing the data shows, with the chart that shows it),
 * the anchors of the report's charts and tables, and the small text helpers findings are written
 * with. Findings are plain text; renderers escape them.
 */
import { httpErrorText, humanizeDuration, humanizeCount, toFixedNoTrailingZeros } from '../summary/format.js';

/** How much a finding matters: critical = the test failed because of it. */
export type Severity = 'critical' | 'warning' | 'info';

/** What a finding is about; stable, for tests and styling. */
export type FindingKind =
  | 'test-aborted'
  | 'threshold-failed'
  | 'threshold-near'
  | 'latency-breakaway'
  | 'errors-breakaway'
  | 'saturation'
  | 'throughput-plateau'
  | 'generator-limit'
  | 'latency-hotspot'
  | 'error-hotspot'
  | 'scenario-hotspot'
  | 'dropped-iterations'
  | 'checks-failed'
  | 'recovery';

/** One thing the data shows. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** One sentence, the finding itself, with its key number. */
  title: string;
  /** The evidence and what it means, a few sentences. */
  detail: string;
  /** Id of the report element (chart or table) that shows it: one of ANCHORS' values. */
  anchor: string;
  /** The time range it is about (epoch ms, `to` exclusive), marked on the anchored chart. */
  range?: { from: number; to: number };
  /** What to do about it, phrased from the finding; collected into the recommendations. */
  recommendation?: string;
}

/** The analysis of a run: findings, most severe first, and their recommendations, deduplicated. */
export interface Analysis {
  findings: Finding[];
  recommendations: string[];
}

/** Ids of the report's charts and tables; findings link to them with `#id`. */
export const ANCHORS = {
  load: 'chart-load',
  latency: 'chart-latency',
  errors: 'chart-errors',
  data: 'chart-data',
  generator: 'chart-generator',
  monitors: 'chart-monitors',
  histogram: 'chart-histogram',
  thresholds: 'thresholds',
  checks: 'checks',
  routes: 'routes',
  scenarios: 'scenarios',
  errorsTable: 'errors',
  warnings: 'warnings',
} as const;

/** Severity order for sorting: critical first. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Wall-clock time of an epoch-ms instant, UTC: '09:30:12 UTC'. */
export function clockText(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 19)} UTC`;
}

/** Offset from the test start: 'T+12s', 'T+1m30s', 'T+5h2m0s'. */
export function offsetText(ms: number): string {
  return `T+${ms <= 0 ? '0s' : humanizeDuration(Math.round(ms / 1000) * 1000)}`;
}

/** A time range's length: '15s', '2m0s'. */
export function spanText(ms: number): string {
  return humanizeDuration(Math.max(1000, Math.round(ms / 1000) * 1000));
}

/** A latency in ms: '212.42ms', '1.8s'. */
export function msText(ms: number): string {
  return humanizeDuration(ms);
}

/** Requests (or iterations) per second: '228.6 req/s', '1,204 req/s'. */
export function rpsText(rps: number, unit = 'req/s'): string {
  return `${rps >= 100 ? humanizeCount(rps) : toFixedNoTrailingZeros(rps, 1)} ${unit}`;
}

/** A 0..1 rate as a percentage with sensible precision: '0%', '0.35%', '4.2%', '35%'. */
export function rateText(rate: number): string {
  const p = rate * 100;
  if (p === 0) return '0%';
  if (p < 1) return `${toFixedNoTrailingZeros(p, 2)}%`;
  if (p < 10) return `${toFixedNoTrailingZeros(p, 1)}%`;
  return `${Math.round(p)}%`;
}

/** A multiple: '1.5×', '12×'. */
export function timesText(x: number): string {
  return `${x >= 10 ? Math.round(x) : toFixedNoTrailingZeros(x, 1)}×`;
}

/** 'a', 'a and b', 'a, b and c'. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** '1 route', '3 routes'. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${humanizeCount(n)} ${n === 1 ? word : pluralWord}`;
}

/**
 * An error row as people say it: 'HTTP 503 Service Unavailable', 'error 1211 request timeout',
 * 'error_code 1211 (status 0)', 'script error "TypeError: ..."'. Handles both the engine's keys
 * ('status 503', 'error_code 1211') and bare codes ('503', '1211').
 */
export function errorLabel(e: { kind: string; key: string; message: string; code?: number; name?: string; status?: number }): string {
  if (e.kind === 'script') return `script error "${e.message}"`;
  const text = httpErrorText(e);
  if (text !== undefined) return text;
  if (/^\d{3}$/.test(e.key)) return `HTTP ${e.key} ${e.message}`.trim();
  const code = e.key.replace(/^(status|error_code) /, '');
  if (e.message && e.message.includes(code)) return e.message;
  if (/^\d+$/.test(e.key)) return `error ${e.key}${e.message ? ` ${e.message}` : ''}`;
  return e.message ? `${e.key}: ${e.message}` : e.key;
}
