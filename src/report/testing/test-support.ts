/**
 * Crafted SummaryData for the analysis' unit tests: a quiet run (no thresholds, no errors, no
 * warnings, steady series) that a test then bends in exactly one way, so each finding can be
 * tested for presence and for absence. Not used by the product.
 */
import { passingSummaryFixture } from '../../summary/testing/fixtures.js';
import type { GroupData, SummaryData } from '../../summary/types.js';

/** Per-second shapes of a crafted run; every function gets the second's index. */
export interface CraftSpec {
  /** Number of one-second buckets. Default 120. */
  seconds?: number;
  /** Active VUs. Default 20. */
  vus?: (i: number) => number;
  /** Requests per second. Default 200 with ±2% wobble. */
  rps?: (i: number) => number;
  /** p95 latency in ms (null: no data). Default 100 with ±5% wobble. */
  p95?: (i: number) => number | null;
  /** Mean latency in ms. Default p95 / 2.5. */
  avg?: (i: number) => number | null;
  /** Failed-request rate 0..1. Default 0. */
  failed?: (i: number) => number | null;
  /** Generator event-loop delay p99, ms. Default 12. */
  eventLoop?: (i: number) => number;
  /** Generator CPU, % of a core. Default 30. */
  cpu?: (i: number) => number;
  /** Executors of the scenarios (one scenario each). Default ['ramping-vus']. */
  executors?: string[];
}

/** A deterministic wobble in [-1, 1] (no randomness: tests must be reproducible). */
export function wobble(i: number): number {
  return Math.sin(i * 1.7) * 0.6 + Math.sin(i * 0.37) * 0.4;
}

const START = Date.UTC(2025, 5, 1, 12, 0, 0);

/** A quiet run shaped by `spec`. */
export function craft(spec: CraftSpec = {}): SummaryData {
  const d = passingSummaryFixture();
  const n = spec.seconds ?? 120;
  const vus = spec.vus ?? (() => 20);
  const rps = spec.rps ?? ((i) => 200 * (1 + 0.02 * wobble(i)));
  const p95 = spec.p95 ?? ((i) => 100 * (1 + 0.05 * wobble(i + 3)));
  const avg = spec.avg ?? ((i) => {
    const p = p95(i);
    return p === null ? null : p / 2.5;
  });
  const failed = spec.failed ?? (() => 0);
  const eventLoop = spec.eventLoop ?? (() => 12);
  const cpu = spec.cpu ?? (() => 30);
  const s: Record<string, (number | null)[]> = {};
  const put = (k: string, v: number | null) => (s[k] ??= []).push(v);
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    t.push(START + i * 1000);
    const p = p95(i);
    put('vus', vus(i));
    put('http_reqs', rps(i));
    put('iterations', rps(i) / 2);
    put('http_req_failed', failed(i));
    put('checks', 1);
    put('http_req_duration.p50', p === null ? null : p / 3);
    put('http_req_duration.p90', p === null ? null : p * 0.8);
    put('http_req_duration.p95', p);
    put('http_req_duration.p99', p === null ? null : p * 1.6);
    put('http_req_duration.max', p === null ? null : p * 3);
    put('http_req_duration.avg', avg(i));
    put('data_received', rps(i) * 1000);
    put('data_sent', rps(i) * 100);
    put('dropped_iterations', 0);
    put('volley_event_loop_delay.p99', eventLoop(i));
    put('volley_cpu', cpu(i));
  }
  d.volley.timeSeries = { intervalMs: 1000, t, series: s };
  d.state.testRunDurationMs = n * 1000;
  d.volley.startTime = new Date(START).toISOString();
  d.volley.endTime = new Date(START + n * 1000).toISOString();
  d.volley.thresholds = [];
  for (const m of Object.values(d.metrics)) delete m.thresholds;
  d.volley.verdict = { thresholdsOk: true, aborted: false, exitCode: 0 };
  d.volley.warnings = [];
  d.volley.errors = [];
  d.volley.routes = [];
  const executors = spec.executors ?? ['ramping-vus'];
  d.volley.scenarios = executors.map((executor, i) => ({ name: `s${i}`, executor, iterations: 1000, droppedIterations: 0, vusMax: 20, iterationDurationP95: 120 }));
  d.volley.options = { scenarios: Object.fromEntries(executors.map((executor, i) => [`s${i}`, { executor }])) };
  const clean = (g: GroupData) => {
    for (const c of g.checks) {
      c.passes += c.fails;
      c.fails = 0;
    }
    g.groups.forEach(clean);
  };
  clean(d.root_group);
  return d;
}
