/**
 * What the browser protocol records, with k6 browser's metric names: the page's web vitals
 * (measured in the page, vitals.ts) and every request the page makes (as the browser saw it).
 * Two sample groups: one vital, one request. Vitals and requests carry the page's `url` (origin and
 * path, no query: one tag set per page, not per visit), which the `browser_url` breakdown keys on
 * (p75 per URL is how field data is read).
 */
import { declareSampleGroup } from '../../metrics/group.js';
import type { MetricDeclarations } from '../../metrics/catalog.js';
import type { MetricSpec } from '../../metrics/metric.js';

const vital = (name: string, contains: 'time' | 'default' = 'time'): MetricSpec => ({ name: `browser_web_vital_${name}`, type: 'trend', contains, k6: `browser_web_vital_${name}` });

export const BROWSER_METRICS = {
  browser_web_vital_lcp: vital('lcp'),
  browser_web_vital_fcp: vital('fcp'),
  browser_web_vital_ttfb: vital('ttfb'),
  /** Cumulative layout shift: a score, not a time. */
  browser_web_vital_cls: vital('cls', 'default'),
  browser_web_vital_inp: vital('inp'),
  browser_web_vital_fid: vital('fid'),
  browser_http_req_duration: { name: 'browser_http_req_duration', type: 'trend', contains: 'time', k6: 'browser_http_req_duration' },
  browser_http_req_failed: { name: 'browser_http_req_failed', type: 'rate', contains: 'default', k6: 'browser_http_req_failed' },
  browser_data_received: { name: 'browser_data_received', type: 'counter', contains: 'data', k6: 'browser_data_received' },
  browser_data_sent: { name: 'browser_data_sent', type: 'counter', contains: 'data', k6: 'browser_data_sent' },
} as const satisfies Record<string, MetricSpec>;

/** The vitals by the name the page reports them under (web-vitals' `name`, and FID's own observer). */
export const VITAL_METRICS: Readonly<Record<string, MetricSpec>> = {
  LCP: BROWSER_METRICS.browser_web_vital_lcp,
  FCP: BROWSER_METRICS.browser_web_vital_fcp,
  TTFB: BROWSER_METRICS.browser_web_vital_ttfb,
  CLS: BROWSER_METRICS.browser_web_vital_cls,
  INP: BROWSER_METRICS.browser_web_vital_inp,
  FID: BROWSER_METRICS.browser_web_vital_fid,
};

/** One vital, one group each (a single slot): recorded as the page reports it. */
export const VITAL_GROUPS: Readonly<Record<string, ReturnType<typeof declareSampleGroup>>> = Object.fromEntries(
  Object.entries(VITAL_METRICS).map(([k, m]) => [k, declareSampleGroup(`browser_vital_${k.toLowerCase()}`, [m])]),
);

/** One request the page made (finished or failed): slots in this order. */
export const BROWSER_REQUEST = declareSampleGroup('browser_request', [
  BROWSER_METRICS.browser_http_req_duration,
  BROWSER_METRICS.browser_http_req_failed,
  BROWSER_METRICS.browser_data_received,
  BROWSER_METRICS.browser_data_sent,
]);
export const S_DURATION = 0;
export const S_FAILED = 1;
export const S_RECEIVED = 2;
export const S_SENT = 3;

const VITAL_NAMES = Object.values(VITAL_METRICS).map((m) => m.name);

export const BROWSER_DECLARATIONS: MetricDeclarations = {
  name: 'browser',
  metrics: Object.values(BROWSER_METRICS),
  breakdowns: [
    { name: 'browser_url', by: ['url'], max: 100, metrics: [...VITAL_NAMES, 'browser_http_req_duration', 'browser_http_req_failed'] },
    { name: 'scenario', metrics: ['browser_http_req_duration', 'browser_http_req_failed'] },
  ],
  series: [
    { metric: 'browser_web_vital_fcp', as: 'trend' },
    { metric: 'browser_web_vital_lcp', as: 'trend' },
    { metric: 'browser_http_req_failed', as: 'rate' },
  ],
};
