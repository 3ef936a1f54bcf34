/**
 * `--out otlp=URL[,options]`: pushes the metrics snapshot as OpenTelemetry metrics over OTLP/HTTP
 * (e.g. http://127.0.0.1:4318/v1/metrics; protobuf by default, `protocol=http/json` for JSON)
 * every `pushInterval` (default 5s) and at the end, with the official OpenTelemetry JS SDK:
 * @opentelemetry/sdk-metrics 2.x builds the metrics (instruments, cumulative aggregation),
 * @opentelemetry/resources the resource, @opentelemetry/otlp-transformer encodes the OTLP request.
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
 * request sent through the shared PushQueue and httpPost (bounded, in order, backoff, warn once,
 * abortable at the end of the flush time). The OTLP exporter package is not used: its requests
 * cannot be cancelled, so a silent endpoint would hold the end of the test for another `timeout`.
 */
import type http from 'node:http';
import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { MetricsSnapshot } from '../../metrics/snapshot.js';
import { httpPost, pushAgent } from '../monitoring-http.js';
import { monitoringArgError, parseHttpUrl, parseMonitoringArg, trendStatSuffix, type MonitoringArgSpec, type MonitoringOptions } from '../monitoring-options.js';
import { PushOutput, shownUrl } from '../monitoring-push-output.js';
import { seriesViews, viewBaseName } from '../monitoring-views.js';
import type { OutputContext } from '../types.js';

/** OTLP/HTTP encodings (`protocol=` option, as OTEL_EXPORTER_OTLP_PROTOCOL). Default 'http/protobuf', the OTLP default. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** How `--out otlp=...` is read. */
export const OTLP_ARG: MonitoringArgSpec = {
  output: 'otlp',
  targetLabel: 'OTLP/HTTP metrics URL',
  example: 'otlp=http://127.0.0.1:4318/v1/metrics',
  defaultTarget: 'http://localhost:4318/v1/metrics',
  defaults: { prefix: '', pushIntervalMs: 5000 },
  extraOptions: ['serviceName', 'protocol'],
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

export class OtlpOutput extends PushOutput<Uint8Array> {
  readonly url: URL;
  readonly protocol: OtlpProtocol;
  private readonly provider: MeterProvider;
  private readonly reader: ManualReader;
  private readonly meter: Meter;
  private readonly instruments = new Map<string, Instrument>();
  private readonly baseAttributes: Attributes;
  private readonly agent: http.Agent;
  private readonly headers: Record<string, string>;

  constructor(options: MonitoringOptions, ctx: OutputContext) {
    const url = parseHttpUrl(OTLP_ARG, options.target);
    super('otlp', shownUrl(url), options, ctx);
    this.url = url;
    const serviceName = options.extra.get('serviceName') ?? 'volley';
    if (serviceName === '') throw monitoringArgError(OTLP_ARG, 'serviceName must not be empty');
    const protocol = options.extra.get('protocol') ?? 'http/protobuf';
    if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol)) {
      throw monitoringArgError(OTLP_ARG, `protocol=${protocol}: use ${OTLP_PROTOCOLS.join(' or ')} (gRPC is not supported)`);
    }
    this.protocol = protocol as OtlpProtocol;
    this.agent = pushAgent(url);
    this.headers = {
      'User-Agent': 'volley',
      ...options.headers,
      'Content-Type': this.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
    };
    // Cumulative temporality for every instrument (the MetricReader default).
    this.reader = new ManualReader({ cardinalitySelector: () => CARDINALITY_LIMIT });
    this.provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), readers: [this.reader] });
    this.meter = this.provider.getMeter('volley');
    const base: Attributes = { ...options.labels };
    if (options.testid) base.testid = options.testid;
    this.baseAttributes = base;
  }

  /** Updates every instrument's points from the snapshot (creating new instruments), then collects. */
  protected async build(snapshot: MetricsSnapshot): Promise<Uint8Array | undefined> {
    for (const inst of this.instruments.values()) inst.points.length = 0;
    const views = seriesViews(snapshot);
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
    if (!resourceMetrics.scopeMetrics.some((sm) => sm.metrics.length > 0)) return undefined;
    const serializer = this.protocol === 'http/json' ? JsonMetricsSerializer : ProtobufMetricsSerializer;
    return serializer.serializeRequest(resourceMetrics);
  }

  protected send(body: Uint8Array, signal: AbortSignal): Promise<void> {
    return httpPost(this.url, body, this.headers, { timeoutMs: this.options.timeoutMs, signal, agent: this.agent });
  }

  protected sizeOf(body: Uint8Array): number {
    return body.byteLength;
  }

  protected override async close(): Promise<void> {
    this.agent.destroy();
    await this.provider.shutdown().catch(() => undefined);
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
