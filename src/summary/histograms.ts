import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { Aggregator } from '../metrics/aggregator.js';
import { breakdownValues } from '../metrics/aggregator.js';
import { TrendSink } from '../metrics/sinks.js';

/**
 * The whole-run latency histograms of a run, HDR-encoded (hdr-histogram-js
 * `encodeIntoCompressedBase64`, values in µs as recorded), so that any percentile of an old run can
 * be recomputed exactly as it was measured (`volley compare`, run history). Keys: the metric name
 * for the total, `http_req_duration{method:GET,name:/x}` per route. A few kB per route.
 */
export function encodedHistograms(agg: Aggregator): Record<string, string> {
  const out: Record<string, string> = {};
  const total = agg.find('http_req_duration');
  if (total && total.sink instanceof TrendSink && total.sink.count > 0) out.http_req_duration = encodeIntoCompressedBase64(total.sink.hist);
  for (const a of agg.list('route', 'http_req_duration')) {
    if (!(a.sink instanceof TrendSink) || a.sink.count === 0) continue;
    const [name = '', method = ''] = breakdownValues(a.key);
    out[routeHistogramKey(method, name)] = encodeIntoCompressedBase64(a.sink.hist);
  }
  return out;
}

/** Key of a route's histogram in `volley.histograms`. */
export function routeHistogramKey(method: string, name: string): string {
  return `http_req_duration{method:${method},name:${name}}`;
}
