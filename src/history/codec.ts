import { gunzipSync, gzipSync } from 'node:zlib';
import type { SummaryData, TimeSeries } from '../summary/types.js';

/**
 * Compact encodings of what a stored run keeps. A 1-hour run (3,600 seconds × ~15 series) is a
 * few hundred kB as JSON; as gzip'd float32 columns, with the histograms, ~65 kB (bench/history.mjs).
 *
 * Series layout (then gzip): uint32 header length, header JSON {intervalMs, t0, n, names, t?},
 * then one little-endian float32 column of n values per name, NaN for null. `t` is only written
 * when the buckets are not evenly spaced from t0.
 */
export function encodeSeries(ts: TimeSeries): Buffer {
  const n = ts.t.length;
  const names = Object.keys(ts.series);
  const t0 = ts.t[0] ?? 0;
  const regular = ts.t.every((v, i) => v === t0 + i * ts.intervalMs);
  const header = Buffer.from(JSON.stringify({ intervalMs: ts.intervalMs, t0, n, names, ...(regular ? {} : { t: ts.t }) }));
  const cols = new Float32Array(n * names.length);
  names.forEach((name, j) => {
    const col = ts.series[name]!;
    for (let i = 0; i < n; i++) {
      const v = col[i];
      cols[j * n + i] = v === null || v === undefined ? Number.NaN : v;
    }
  });
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  return gzipSync(Buffer.concat([len, header, Buffer.from(cols.buffer, cols.byteOffset, cols.byteLength)]), { level: 6 });
}

export function decodeSeries(buf: Buffer): TimeSeries {
  const raw = gunzipSync(buf);
  const hl = raw.readUInt32LE(0);
  const h = JSON.parse(raw.subarray(4, 4 + hl).toString('utf8')) as { intervalMs: number; t0: number; n: number; names: string[]; t?: number[] };
  const body = raw.subarray(4 + hl);
  // Copy: the column bytes may not be 4-byte aligned inside the gunzip buffer.
  const cols = new Float32Array(new Uint8Array(body).buffer);
  const series: Record<string, (number | null)[]> = {};
  h.names.forEach((name, j) => {
    const col: (number | null)[] = new Array(h.n);
    for (let i = 0; i < h.n; i++) {
      const v = cols[j * h.n + i]!;
      col[i] = Number.isNaN(v) ? null : v;
    }
    series[name] = col;
  });
  const t = h.t ?? Array.from({ length: h.n }, (_, i) => h.t0 + i * h.intervalMs);
  return { intervalMs: h.intervalMs, t, series };
}

/** The summary without what is stored apart (series, histograms), gzip'd JSON. */
export function encodeSummary(s: SummaryData): Buffer {
  const { timeSeries: _ts, histograms: _h, ...volley } = s.volley;
  const json = JSON.stringify({ ...s, volley: { ...volley, timeSeries: { intervalMs: s.volley.timeSeries.intervalMs, t: [], series: {} } } }, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? null : v,
  );
  return gzipSync(Buffer.from(json), { level: 6 });
}

export function decodeSummary(summary: Buffer, series: Buffer | undefined, histograms: string): SummaryData {
  const s = JSON.parse(gunzipSync(summary).toString('utf8')) as SummaryData;
  if (series) s.volley.timeSeries = decodeSeries(series);
  s.volley.histograms = JSON.parse(histograms) as Record<string, string>;
  return s;
}
