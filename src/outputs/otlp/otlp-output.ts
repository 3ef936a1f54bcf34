/**
 * `--out otlp=URL[,options]`: pushes the metrics snapshot as OpenTelemetry metrics over OTLP/HTTP
 * (JSON encoding, e.g. http://127.0.0.1:4318/v1/metrics) with the official OpenTelemetry JS SDK
 * (@opentelemetry/sdk-metrics 2.x and @opentelemetry/exporter-metrics-otlp-http), every
 * `pushInterval` (default 5s) and at the end.
 *
 * Mapping (cumulative temporality; names as k6's OpenTelemetry output, no prefix by default):
 *
 * | k6 type | OpenTelemetry                                                     |
 * | ------- | ----------------------------------------------------------------- |
 * | Counter | monotonic Sum `<name>` (ObservableCounter)                        |
 * | Gauge   | Gauge `<name>` (ObservableGauge)                                  |
 * | Rate    | Gauge `<name>.rate`, 0..1                                         |
 * | Trend   | Gauge `<name>.<stat>` per trend stat (p99, p95, p90, med, avg, min, max), and monotonic Sum `<name>.count` |
 *
 * Trends are gauges of their stats, not OTLP histograms: the snapshot carries the HDR histogram's
 * percentiles, not its buckets, and rebuilding buckets from percentiles would invent data. Units:
 * 'ms' for time metrics (values stay in ms), 'By' for data. Labels become attributes, plus `testid`
 * and `label.NAME=VALUE` options; the resource has `service.name` (option serviceName, default
 * 'volley'). Breakdowns and sub-metrics get their own names (monitoring-views.ts).
 *
 * The SDK is driven by hand: a MetricReader that this output collects on its own timer, and the
 * OTLP exporter called through the shared PushQueue (bounded, in order, backoff, warn once). The
 * exporter's own retries (for 429/502/503/504) happen within `timeout`.
 */
import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { MetricsSnapshot } from '../../metrics/snapshot.js';
import { monitoringArgError, parseHttpUrl, parseMonitoringArg, trendStatSuffix, type MonitoringArgSpec, type MonitoringOptions } from '../monitoring-options.js';
import { PushOutput, shownUrl } from '../monitoring-push-output.js';
import { PushError } from '../monitoring-queue.js';
import { ViewClassifier, viewBaseName } from '../monitoring-views.js';
import type { OutputContext } from '../types.js';

/** How `--out otlp=...` is read. */
export const OTLP_ARG: MonitoringArgSpec = {
  output: 'otlp',
  targetLabel: 'OTLP/HTTP metrics URL',
  example: 'otlp=http://127.0.0.1:4318/v1/metrics',
  defaultTarget: 'http://localhost:4318/v1/metrics',
  defaults: { prefix: '', pushIntervalMs: 5000 },
  extraOptions: ['serviceName'],
};

/** Attribute sets per instrument the SDK keeps before folding the rest into an overflow point; the snapshot is already bounded. */
const CARDINALITY_LIMIT = 100_000;

/** A reader that collects only when this output asks (no timer of its own). */
class ManualReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

type Kind = 'counter' | 'gauge';
interface Instrument {
  points: Array<{ value: number; attributes: Attributes }>;
}

export class OtlpOutput extends PushOutput<ResourceMetrics> {
  readonly url: URL;
  private readonly exporter: OTLPMetricExporter;
  private readonly provider: MeterProvider;
  private readonly reader: ManualReader;
  private readonly meter: Meter;
  private readonly classifier: ViewClassifier;
  private readonly instruments = new Map<string, Instrument>();
  private readonly baseAttributes: Attributes;

  constructor(options: MonitoringOptions, ctx: OutputContext) {
    const url = parseHttpUrl(OTLP_ARG, options.target);
    super('otlp', shownUrl(url), options, ctx);
    this.url = url;
    const serviceName = options.extra.get('serviceName') ?? 'volley';
    if (serviceName === '') throw monitoringArgError(OTLP_ARG, 'serviceName must not be empty');
    this.exporter = new OTLPMetricExporter({ url: url.href, headers: { ...options.headers }, timeoutMillis: options.timeoutMs });
    this.reader = new ManualReader({
      aggregationTemporalitySelector: (t) => this.exporter.selectAggregationTemporality(t),
      cardinalitySelector: () => CARDINALITY_LIMIT,
    });
    this.provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), readers: [this.reader] });
    this.meter = this.provider.getMeter('volley');
    this.classifier = new ViewClassifier(ctx.thresholds);
    const base: Attributes = { ...options.labels };
    if (options.testid) base.testid = options.testid;
    this.baseAttributes = base;
  }

  /** Updates every instrument's points from the snapshot (creating new instruments), then collects. */
  protected async build(snapshot: MetricsSnapshot): Promise<ResourceMetrics | undefined> {
    for (const inst of this.instruments.values()) inst.points.length = 0;
    const views = this.classifier.classify(snapshot);
    const prefix = this.options.prefix;
    for (let i = 0; i < snapshot.series.length; i++) {
      const s = snapshot.series[i]!;
      const name = prefix + viewBaseName(views[i]!, s.name);
      const attributes: Attributes = { ...this.baseAttributes, ...s.tags };
      const unit = s.contains === 'time' ? 'ms' : s.contains === 'data' ? 'By' : '';
      const v = s.values;
      switch (s.type) {
        case 'counter':
          this.observe(name, 'counter', unit, `Volley counter ${s.name}`, v.count ?? 0, attributes);
          break;
        case 'gauge':
          this.observe(name, 'gauge', unit, `Volley gauge ${s.name}`, v.value ?? 0, attributes);
          break;
        case 'rate':
          this.observe(`${name}.rate`, 'gauge', '1', `Volley rate ${s.name}: share of non-zero samples (0..1)`, v.rate ?? 0, attributes);
          break;
        case 'trend':
          for (const stat of this.options.trendStats) {
            const isCount = stat === 'count';
            this.observe(
              `${name}.${trendStatSuffix(stat)}`,
              isCount ? 'counter' : 'gauge',
              isCount ? '' : unit,
              `Volley trend ${s.name}: ${stat} since the start of the test`,
              v[stat] ?? 0,
              attributes,
            );
          }
          break;
      }
    }
    const { resourceMetrics } = await this.reader.collect({ timeoutMillis: this.options.timeoutMs });
    return resourceMetrics.scopeMetrics.some((sm) => sm.metrics.length > 0) ? resourceMetrics : undefined;
  }

  protected send(item: ResourceMetrics, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(new PushError('aborted at the end of the flush time', false));
      signal.addEventListener('abort', onAbort, { once: true });
      this.exporter.export(item, (result) => {
        signal.removeEventListener('abort', onAbort);
        if (result.code === ExportResultCode.SUCCESS) return resolve();
        const err = result.error as (Error & { code?: unknown; data?: unknown }) | undefined;
        const status = typeof err?.code === 'number' ? err.code : undefined;
        const permanent = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
        const detail = status !== undefined ? `HTTP ${status}${typeof err?.data === 'string' && err.data ? `: ${err.data.slice(0, 300)}` : ''}` : ((err as NodeJS.ErrnoException | undefined)?.code ?? err?.message ?? 'export failed');
        reject(new PushError(String(detail), permanent));
      });
    });
  }

  protected sizeOf(item: ResourceMetrics): number {
    // Rough: ~200 bytes per data point held in memory.
    let points = 0;
    for (const sm of item.scopeMetrics) for (const m of sm.metrics) points += m.dataPoints.length;
    return 200 * points + 1000;
  }

  protected override async close(): Promise<void> {
    await Promise.allSettled([this.exporter.shutdown(), this.provider.shutdown()]);
  }

  private observe(name: string, kind: Kind, unit: string, description: string, value: number, attributes: Attributes): void {
    let inst = this.instruments.get(name);
    if (!inst) {
      const created: Instrument = { points: [] };
      const opts = { description, ...(unit ? { unit } : {}) };
      const observable = kind === 'counter' ? this.meter.createObservableCounter(name, opts) : this.meter.createObservableGauge(name, opts);
      observable.addCallback((result: ObservableResult) => {
        for (const p of created.points) result.observe(p.value, p.attributes);
      });
      this.instruments.set(name, created);
      inst = created;
    }
    inst.points.push({ value, attributes });
  }
}

/** The `otlp` output factory. */
export function createOtlpOutput(arg: string, ctx: OutputContext): OtlpOutput {
  return new OtlpOutput(parseMonitoringArg(OTLP_ARG, arg), ctx);
}
