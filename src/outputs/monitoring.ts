/**
 * The monitoring outputs: they export the once-a-second metrics snapshot (not raw samples) to
 * Prometheus (scrape and remote write), OpenTelemetry (OTLP/HTTP) and InfluxDB. See
 * docs/monitoring.md.
 */
import { createInfluxDbOutput } from './influxdb/influxdb-output.js';
import { createOtlpOutput } from './otlp/otlp-output.js';
import { createRemoteWriteOutput } from './prometheus/remote-write-output.js';
import { createScrapeOutput } from './prometheus/scrape-output.js';
import { registerOutput } from './registry.js';
import type { OutputFactory } from './types.js';

/** Output name (as in `--out NAME=...`) → factory, for the monitoring outputs. */
export const MONITORING_OUTPUTS: ReadonlyMap<string, OutputFactory> = new Map<string, OutputFactory>([
  ['prometheus', createScrapeOutput],
  ['prometheus-rw', createRemoteWriteOutput],
  ['otlp', createOtlpOutput],
  ['influxdb', createInfluxDbOutput],
]);

/**
 * Registers `prometheus`, `prometheus-rw`, `otlp` and `influxdb` with the output registry, so that
 * `createOutput('prometheus-rw=http://...')` finds them. Idempotent.
 */
export function registerMonitoringOutputs(): void {
  for (const [name, factory] of MONITORING_OUTPUTS) registerOutput(name, factory);
}

export { ScrapeOutput, parseListenAddress } from './prometheus/scrape-output.js';
export { RemoteWriteOutput, REMOTE_WRITE_HEADERS } from './prometheus/remote-write-output.js';
export { OtlpOutput } from './otlp/otlp-output.js';
export { InfluxDbOutput, parseInfluxTarget } from './influxdb/influxdb-output.js';
export { parseMonitoringArg, DEFAULT_TREND_STATS, TREND_STATS, type MonitoringOptions, type TrendStat } from './monitoring-options.js';
