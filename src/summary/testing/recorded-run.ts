/**
 * A small run recorded through the real pipeline, for the readers' tests: the registered protocols'
 * catalog, a worker's `MetricStore` fed the protocols' own sample groups, the main thread's
 * `Aggregator` and `TimeSeriesBuilder`, then `buildSummary` and a live snapshot. `llm: true` adds
 * two seconds of streamed chat calls (as volley/llm records them) to the plain HTTP requests.
 */
import { resolveOptions } from '../../config/resolve.js';
import { Aggregator } from '../../metrics/aggregator.js';
import type { MetricCatalog } from '../../metrics/catalog.js';
import { NO_SAMPLE, type SampleGroup } from '../../metrics/group.js';
import { MetricRegistry } from '../../metrics/registry.js';
import { buildSnapshot, type MetricsSnapshot } from '../../metrics/snapshot.js';
import { MetricStore } from '../../metrics/store.js';
import { TimeSeriesBuilder } from '../../metrics/timeseries.js';
import { metricCatalog } from '../../protocols/index.js';
import { HTTP_EXCHANGE } from '../../protocols/http/metrics.js';
import { LLM_CALL, LLM_GAP } from '../../protocols/llm/metrics.js';
import { buildSummary } from '../build.js';
import type { SummaryData } from '../types.js';

export interface RecordedRun {
  catalog: MetricCatalog;
  summary: SummaryData;
  snapshot: MetricsSnapshot;
  timeSeries: TimeSeriesBuilder;
}

const START = Date.UTC(2026, 0, 1);

/** Two one-second buckets of HTTP requests, and with `llm`, of LLM calls on `/api/assistant/query`. */
export function recordedRun(opts: { llm: boolean }): RecordedRun {
  const catalog = metricCatalog();
  const registry = new MetricRegistry();
  for (const m of catalog.metrics) registry.declare(m);
  const store = new MetricStore(registry, [], { breakdowns: catalog.breakdowns });
  const agg = new Aggregator(() => 2000, catalog.breakdowns);
  const ts = new TimeSeriesBuilder(START, catalog.series);
  const base = store.tagSets.of({ scenario: 'default' });
  const http = store.tagSets.with(base, { name: '/api/items', method: 'GET', status: '200' });
  const llm = store.tagSets.with(base, { name: '/api/assistant/query', model: 'volley-sim-1', route: '/api/assistant/query' });
  const record = (g: SampleGroup, tags: typeof base, values: number[]) => store.record(g, tags, Float64Array.from(values));
  for (let second = 0; second < 2; second++) {
    for (let i = 0; i < 10; i++) record(HTTP_EXCHANGE, http, [1, 20 + i, 0, 0, 0, 0.1, 19 + i, 0.5, 0, NO_SAMPLE, 100, 300]);
    if (opts.llm) {
      for (let i = 0; i < 4; i++) {
        // reqs, failed, duration, ttft, ttf-any, itl mean, tpot, tokens/s, input, output, from tokenizer
        const ttft = 200 + 10 * i;
        record(LLM_CALL, llm, [1, 0, ttft + 19 * 20, ttft, ttft, 20, 20, 50, 12, 20, 0]);
        for (let k = 0; k < 19; k++) record(LLM_GAP, llm, [20 + (k % 3)]);
      }
    }
    const deltas = store.drain().map((e) => ({ ...e, type: registry.get(e.metric)!.type, contains: registry.get(e.metric)!.contains }));
    agg.merge(deltas);
    ts.add(second, 0, deltas, 2);
  }
  ts.settle(1, () => true, true, START + 2000);
  const options = resolveOptions({ scriptOptions: { vus: 2, duration: '2s' }, scriptPath: 'run.ts', processEnv: {}, cli: {}, exportedFunctions: ['default'] });
  const summary = buildSummary({
    aggregator: agg,
    timeSeries: ts,
    thresholds: [],
    options,
    scriptPath: 'run.ts',
    version: 'test',
    startEpochMs: START,
    endEpochMs: START + 2000,
    aborted: undefined,
    exceptions: [],
    warnings: [],
    charts: catalog.charts,
    exitCode: 0,
    isStdOutTTY: false,
    isStdErrTTY: false,
    noColor: true,
  });
  return { catalog, summary, snapshot: buildSnapshot(agg, START + 2000, 2000), timeSeries: ts };
}
