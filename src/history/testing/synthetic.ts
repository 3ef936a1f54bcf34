/**
 * Synthetic run summaries for history tests and benches: per-second series and HDR histograms of a
 * latency distribution (lognormal around `p50Ms`), deterministic for a seed. Not a stand-in for the
 * end-to-end tests, which run real tests against `volley target`.
 */
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { routeHistogramKey } from '../../summary/histograms.js';
import type { SummaryData } from '../../summary/types.js';
import { mulberry32 } from '../../util/prng.js';

export interface SyntheticRun {
  seconds?: number;
  /** Median latency, ms. */
  p50Ms?: number;
  requestsPerSecond?: number;
  seed?: number;
  script?: string;
  startEpochMs?: number;
  exitCode?: number;
  routes?: string[];
}

const hist = () => build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });

export function syntheticSummary(o: SyntheticRun = {}): SummaryData {
  const seconds = o.seconds ?? 10;
  const p50 = o.p50Ms ?? 50;
  const rps = o.requestsPerSecond ?? 50;
  const rand = mulberry32(o.seed ?? 1);
  const routes = o.routes ?? ['GET /api/items'];
  const start = o.startEpochMs ?? Date.UTC(2026, 0, 1);
  const total = hist();
  const perRoute = routes.map(() => hist());
  const t: number[] = [];
  const s: Record<string, (number | null)[]> = { http_reqs: [], http_req_failed: [], vus: [], 'http_req_duration.p50': [], 'http_req_duration.p90': [], 'http_req_duration.p95': [], 'http_req_duration.p99': [], 'http_req_duration.avg': [], 'http_req_duration.max': [] };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  let sum = 0;
  for (let i = 0; i < seconds; i++) {
    const sec = hist();
    let secSum = 0;
    for (let k = 0; k < rps; k++) {
      const ms = p50 * Math.exp(0.3 * normal());
      const us = Math.max(1, Math.round(ms * 1000));
      sec.recordValue(us);
      total.recordValue(us);
      perRoute[k % routes.length]!.recordValue(us);
      secSum += ms;
    }
    sum += secSum;
    t.push(start + i * 1000);
    s.http_reqs!.push(rps);
    s.http_req_failed!.push(0);
    s.vus!.push(10);
    for (const p of [50, 90, 95, 99]) s[`http_req_duration.p${p}`]!.push(sec.getValueAtPercentile(p) / 1000);
    s['http_req_duration.avg']!.push(secSum / rps);
    s['http_req_duration.max']!.push(sec.maxValue / 1000);
  }
  const n = seconds * rps;
  const pct = (p: number): number => total.getValueAtPercentile(p) / 1000;
  const histograms: Record<string, string> = { http_req_duration: encodeIntoCompressedBase64(total) };
  routes.forEach((r, j) => {
    const [method = 'GET', name = r] = r.split(' ');
    histograms[routeHistogramKey(method, name)] = encodeIntoCompressedBase64(perRoute[j]!);
  });
  const exitCode = o.exitCode ?? 0;
  return {
    root_group: { name: '', path: '', id: '', groups: [], checks: [] },
    options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: '', noColor: true },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: seconds * 1000 },
    metrics: {
      http_req_duration: { type: 'trend', contains: 'time', values: { avg: sum / n, min: total.minNonZeroValue / 1000, med: pct(50), max: total.maxValue / 1000, 'p(90)': pct(90), 'p(95)': pct(95) } },
      http_reqs: { type: 'counter', contains: 'default', values: { count: n, rate: rps } },
      http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0, passes: 0, fails: n } },
      iterations: { type: 'counter', contains: 'default', values: { count: n, rate: rps } },
    },
    volley: {
      schemaVersion: 1,
      version: '0.1.0',
      script: o.script ?? '/tmp/test.ts',
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + seconds * 1000).toISOString(),
      machine: { hostname: 'h', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'cpu', memoryBytes: 1, node: process.version },
      options: { scenarios: [], thresholds: {}, tags: {} },
      verdict: { thresholdsOk: exitCode === 0, aborted: false, exitCode },
      thresholds: [],
      routes: routes.map((r, j) => {
        const [method = 'GET', name = r] = r.split(' ');
        const h = perRoute[j]!;
        const q = (p: number): number => h.getValueAtPercentile(p) / 1000;
        return { name, method, scenario: '', requests: h.totalCount, failed: 0, errorRate: 0, rps: h.totalCount / seconds, avg: h.mean / 1000, p50: q(50), p90: q(90), p95: q(95), p99: q(99), max: h.maxValue / 1000 };
      }),
      scenarios: [],
      errors: [],
      timeSeries: { intervalMs: 1000, t, series: s },
      histogram: { metric: 'http_req_duration', buckets: [] },
      histograms,
      warnings: [],
    },
  };
}
