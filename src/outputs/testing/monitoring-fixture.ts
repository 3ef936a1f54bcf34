/**
 * Test support for the monitoring outputs (not part of the API): builds real metrics snapshots with
 * known values through the real aggregation path (worker MetricStore → deltas → main-thread
 * Aggregator → buildSnapshot), so tests check the outputs against what a run would feed them.
 */
import { Aggregator } from '../../metrics/aggregator.js';
import type { Breakdown } from '../../metrics/breakdowns.js';
import type { Metric } from '../../metrics/metric.js';
import { MetricRegistry } from '../../metrics/registry.js';
import { buildSnapshot, type MetricsSnapshot } from '../../metrics/snapshot.js';
import { MetricStore } from '../../metrics/store.js';
import { parseMetricSelector } from '../../metrics/thresholds/index.js';
import { HTTP_METRICS } from '../../protocols/http/metrics.js';
import { metricCatalog } from '../../protocols/index.js';
import { CORE_METRICS } from '../../vu/metrics.js';

const ALL = { ...CORE_METRICS, ...HTTP_METRICS };

/** Threshold keys the fixture defines by default: one sub-metric, as k6 users often write it. */
export const FIXTURE_THRESHOLDS: Record<string, string[]> = {
  http_req_duration: ['p(95)<500'],
  'http_req_duration{expected_response:true}': ['p(95)<400'],
};

/** Feeds samples into a real store and aggregator; `snapshot()` is what the CLI hands outputs. */
export class SnapshotFixture {
  readonly registry = new MetricRegistry();
  readonly metrics: { readonly [K in keyof typeof ALL]: Metric };
  readonly store: MetricStore;
  readonly aggregator: Aggregator;
  private elapsed = 0;

  constructor(readonly thresholds: Record<string, string[]> = FIXTURE_THRESHOLDS, extraBreakdowns: readonly Breakdown[] = []) {
    const base = metricCatalog();
    const catalog = { ...base, breakdowns: [...base.breakdowns, ...extraBreakdowns] };
    this.metrics = Object.fromEntries(Object.entries(ALL).map(([k, spec]) => [k, this.registry.declare(spec)])) as SnapshotFixture['metrics'];
    const subs = Object.keys(thresholds)
      .filter((k) => k.includes('{'))
      .map((key) => ({ key, ...parseMetricSelector(key) }));
    this.store = new MetricStore(this.registry, subs, { breakdowns: catalog.breakdowns });
    this.aggregator = new Aggregator(() => this.elapsed, catalog.breakdowns);
  }

  /** One HTTP request as the HTTP module records it (the four metrics the breakdowns use). */
  request(r: { name: string; method: string; status: number; durationMs: number; scenario?: string; errorCode?: number }): void {
    const failed = r.status === 0 || r.status >= 400;
    const tags = this.store.tagSets.of({
      name: r.name,
      url: r.name,
      method: r.method,
      status: String(r.status),
      scenario: r.scenario ?? 'default',
      expected_response: String(!failed),
      group: '',
      error_code: r.errorCode === undefined ? undefined : String(r.errorCode),
    });
    this.store.add(this.metrics.http_reqs, 1, tags);
    this.store.add(this.metrics.http_req_duration, r.durationMs, tags);
    this.store.add(this.metrics.http_req_failed, failed ? 1 : 0, tags);
  }

  /** A check result. */
  check(group: string, check: string, pass: boolean, scenario = 'default'): void {
    this.store.add(this.metrics.checks, pass ? 1 : 0, this.store.tagSets.of({ group, check, scenario }));
  }

  /** An iteration of a scenario. */
  iteration(scenario: string, durationMs: number): void {
    const tags = this.store.tagSets.of({ scenario, group: '' });
    this.store.add(this.metrics.iterations, 1, tags);
    this.store.add(this.metrics.iteration_duration, durationMs, tags);
  }

  /** A gauge value (e.g. vus), untagged. */
  gauge(name: 'vus' | 'vus_max', value: number): void {
    this.store.add(this.metrics[name], value, this.store.tagSets.empty);
  }

  /** Bytes sent and received. */
  data(sent: number, received: number): void {
    this.store.add(this.metrics.data_sent, sent, this.store.tagSets.empty);
    this.store.add(this.metrics.data_received, received, this.store.tagSets.empty);
  }

  /** Merges what was recorded and builds the snapshot at `timeMs` (elapsed advances by `stepMs`). */
  snapshot(timeMs: number, stepMs = 1000, opts: { exponentialSchema?: number } = {}): MetricsSnapshot {
    this.elapsed += stepMs;
    this.aggregator.merge(
      this.store.drain().map((e) => {
        const m = this.registry.get(e.metric)!;
        return { ...e, type: m.type, contains: m.contains };
      }),
    );
    return buildSnapshot(this.aggregator, timeMs, this.elapsed, opts);
  }
}

/**
 * A standard load: 10 requests to /a (GET, 10..100 ms), 5 to /b (POST, 200 ms, one a 500),
 * checks, 4 iterations in two scenarios, vus 7, data 1000/5000 bytes.
 */
export function standardLoad(f: SnapshotFixture): void {
  for (let i = 1; i <= 10; i++) f.request({ name: 'http://127.0.0.1/a', method: 'GET', status: 200, durationMs: i * 10, scenario: 'browse' });
  for (let i = 0; i < 5; i++) f.request({ name: 'http://127.0.0.1/b', method: 'POST', status: i === 0 ? 500 : 201, durationMs: 200, scenario: 'buy', ...(i === 0 ? { errorCode: 1500 } : {}) });
  f.check('::browse', 'status is 200', true);
  f.check('::browse', 'status is 200', true);
  f.check('::browse', 'status is 200', false);
  f.check('', 'fast', true);
  f.iteration('browse', 120);
  f.iteration('browse', 80);
  f.iteration('buy', 400);
  f.iteration('buy', 600);
  f.gauge('vus', 7);
  f.data(1000, 5000);
}
