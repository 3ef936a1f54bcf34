import { configError } from '../errors/index.js';
import { parsePrometheusText, type PromScrape } from './prometheus-text.js';

/**
 * Monitors: scrape the system under test's own metrics (a Prometheus endpoint: the service's,
 * node_exporter's, postgres_exporter's) during the run, so its memory and CPU sit beside the load
 * and thresholds and drift analysis can use them.
 *
 * A monitor is written `prometheus=URL` with the series it keeps after `#`, joined by `+`:
 * `prometheus=http://127.0.0.1:9100/metrics#process_resident_memory_bytes+node_load1`. Without
 * `#`, the process series every Prometheus client library exports (DEFAULT_SERIES) that the
 * endpoint has. A series name keeps every label set summed; `name{label="v"}` keeps one.
 *
 * Each kept series becomes the gauge metric `monitor_<name>` (labels folded into the name). A
 * counter (`# TYPE … counter`, or a name ending in `_total`) becomes its rate per second between
 * scrapes: `monitor_process_cpu_seconds_total` is CPU cores in use (1 = one core busy).
 */

export interface MonitorSpec {
  kind: 'prometheus';
  url: string;
  /** Series to keep; undefined: DEFAULT_SERIES that exist. */
  series: string[] | undefined;
  /** As written. */
  source: string;
}

/** Kept by default when present: the process metrics of the Prometheus client libraries. */
export const DEFAULT_SERIES = ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes', 'go_memstats_heap_inuse_bytes', 'process_open_fds'];

/** The Volley metric a series becomes: `monitor_` + its name, labels folded into `_`-joined words. */
export function monitorMetricName(series: string): string {
  return `monitor_${series.replace(/[^a-zA-Z0-9_]+/g, '_').replace(/_+$/, '')}`.slice(0, 128);
}

/** Parses `prometheus=URL[#series+series]`; throws a VolleyError (104) naming the value. */
export function parseMonitorSpec(s: string): MonitorSpec {
  const m = /^prometheus=(.+)$/.exec(s.trim());
  const hint = "write --monitor 'prometheus=http://127.0.0.1:9100/metrics' (and #series+series to choose series)";
  if (!m) throw configError('E_MONITOR', `monitor ${JSON.stringify(s)}: expected prometheus=URL`, hint);
  const [url, frag] = m[1]!.split('#', 2) as [string, string | undefined];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configError('E_MONITOR', `monitor ${JSON.stringify(s)}: ${JSON.stringify(url)} is not a URL`, hint);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw configError('E_MONITOR', `monitor ${JSON.stringify(s)}: only http and https endpoints are scraped`, hint);
  const series = frag === undefined || frag === '' ? undefined : frag.split('+').map((x) => x.trim()).filter((x) => x !== '');
  for (const x of series ?? []) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/.test(x)) throw configError('E_MONITOR', `monitor ${JSON.stringify(s)}: ${JSON.stringify(x)} is not a series name`, 'series look like process_resident_memory_bytes or name{label="value"}');
  }
  return { kind: 'prometheus', url, series, source: s };
}

/** What one scrape kept: Volley metric name → value (counters as per-second rates, from the second scrape on). */
export type MonitorValues = Record<string, number>;

/**
 * Scrapes one endpoint every `intervalMs` until stopped. A failed scrape is reported once through
 * `warn` (the run goes on) and again when it recovers; values are handed to `onValues`.
 */
export class PrometheusMonitor {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failing = false;
  private last = new Map<string, { value: number; t: number }>();
  private inFlight: Promise<void> | undefined;

  constructor(
    readonly spec: MonitorSpec,
    private readonly onValues: (v: MonitorValues, tMs: number) => void,
    private readonly warn: (m: string) => void,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    const tick = (): void => {
      if (this.stopped) return;
      this.inFlight = this.scrapeOnce();
      this.timer = setTimeout(tick, this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  /** One scrape: fetch, parse, keep the chosen series. */
  async scrapeOnce(): Promise<void> {
    let text: string;
    try {
      const res = await fetch(this.spec.url, { signal: AbortSignal.timeout(Math.max(500, this.intervalMs - 100)), headers: { accept: 'text/plain;version=0.0.4' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    } catch (e) {
      if (!this.failing && !this.stopped) this.warn(`monitor ${this.spec.url} did not answer (${(e as Error).message}); the run goes on without its series meanwhile`);
      this.failing = true;
      return;
    }
    if (this.failing) this.warn(`monitor ${this.spec.url} answers again`);
    this.failing = false;
    const t = performance.timeOrigin + performance.now();
    const values = this.pick(parsePrometheusText(text), t);
    if (Object.keys(values).length > 0 && !this.stopped) this.onValues(values, t);
  }

  private pick(scrape: PromScrape, t: number): MonitorValues {
    const wanted = this.spec.series ?? DEFAULT_SERIES;
    const out: MonitorValues = {};
    for (const w of wanted) {
      const brace = w.indexOf('{');
      const name = brace < 0 ? w : w.slice(0, brace);
      const labels = brace < 0 ? undefined : normalizeLabels(w.slice(brace));
      let sum = 0;
      let found = false;
      for (const s of scrape.samples) {
        if (s.name !== name || (labels !== undefined && normalizeLabels(s.labels) !== labels) || !Number.isFinite(s.value)) continue;
        sum += s.value;
        found = true;
      }
      if (!found) continue;
      const metric = monitorMetricName(w);
      const counter = scrape.types.get(name) === 'counter' || name.endsWith('_total');
      if (!counter) {
        out[metric] = sum;
        continue;
      }
      const prev = this.last.get(metric);
      this.last.set(metric, { value: sum, t });
      // A counter reset (the process restarted) starts over rather than giving a negative rate.
      if (prev && t > prev.t && sum >= prev.value) out[metric] = (sum - prev.value) / ((t - prev.t) / 1000);
    }
    return out;
  }
}

/** `{b="2", a="1"}` → `a="1",b="2"`: label sets compared whatever their order and spacing. */
function normalizeLabels(l: string): string {
  const inner = l.trim().replace(/^\{|\}$/g, '');
  const parts = inner.match(/[a-zA-Z_][a-zA-Z0-9_]*\s*=\s*"(?:[^"\\]|\\.)*"/g) ?? [];
  return parts.map((p) => p.replace(/\s*=\s*/, '=')).sort().join(',');
}
