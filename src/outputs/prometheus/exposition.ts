/**
 * The Prometheus text exposition format (version 0.0.4), as served at `/metrics`:
 *
 *     # HELP k6_http_reqs_total Volley counter http_reqs: total since the start of the test
 *     # TYPE k6_http_reqs_total counter
 *     k6_http_reqs_total{testid="run-7"} 1200
 *
 * No timestamps: Prometheus stamps each scrape itself.
 */
import type { PromSeries } from './series.js';

/** The Content-Type of the text format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders series as one exposition: families sorted by name, each with its HELP and TYPE once. */
export function renderExposition(series: readonly PromSeries[]): string {
  const families = new Map<string, PromSeries[]>();
  for (const s of series) {
    let f = families.get(s.name);
    if (!f) families.set(s.name, (f = []));
    f.push(s);
  }
  const parts: string[] = [];
  for (const name of [...families.keys()].sort()) {
    const f = families.get(name)!;
    parts.push(`# HELP ${name} ${escapeHelp(f[0]!.help)}\n# TYPE ${name} ${f[0]!.type}\n`);
    for (const s of f) {
      let line = name;
      if (s.labels.length > 0) line += `{${s.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
      parts.push(`${line} ${formatValue(s.value)}\n`);
    }
  }
  return parts.join('');
}

/** A sample value: Go's float syntax for the special values, shortest round-trip digits otherwise. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and line feed. */
function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
