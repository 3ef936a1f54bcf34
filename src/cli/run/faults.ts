/**
 * Faults on the test's timeline, main-thread side: starts the proxies of `options.proxies`, builds
 * each fault of `options.faults` (HTTP faults carry their window; TCP toxics and `down` are switched
 * by timers armed at the test's start), and after the run counts what was injected:
 * `faults_injected{proxy,kind}`. Recovery after each window is cli/run/recovery.ts.
 */
import { performance } from 'node:perf_hooks';
import type { FaultOption, ProxyOption } from '../../config/faults-config.js';
import type { ResolvedOptions } from '../../config/types.js';
import { parseSizeBytes, parseUnitDurationMs } from '../../util/duration.js';
import { configError } from '../../errors/index.js';
import type { MetricDeclarations } from '../../metrics/catalog.js';
import type { MetricSpec } from '../../metrics/metric.js';
import { MetricRegistry } from '../../metrics/registry.js';
import { MetricStore, type SubmetricDef } from '../../metrics/store.js';
import { ProxyCollection, parseHttpFault, probe, parseUpstream, ApiError, type Proxy, type Toxic } from '../../proxy/index.js';
import type { TypedDelta } from '../../worker/protocol.js';

/** What the main thread records when the test has faults or proxies (thresholds may name them). */
export const FAULT_METRICS = {
  /** Requests (HTTP faults) or connections (toxics) a fault was injected into, by proxy and kind. */
  faults_injected: { name: 'faults_injected', type: 'counter', contains: 'default' },
} as const satisfies Record<string, MetricSpec>;

/**
 * Declared in the run's metric catalog (cli/run/prepare.ts) when the options have proxies or
 * faults. Recorded once, at the end of the run, in the main thread: no breakdowns, no time series.
 */
export const FAULT_DECLARATIONS: MetricDeclarations = { name: 'faults', metrics: Object.values(FAULT_METRICS) };

/** Whether the run has a fault runtime (and the fault metrics). */
export function hasFaults(options: Pick<ResolvedOptions, 'proxies' | 'faults'>): boolean {
  return options.proxies.length > 0 || options.faults.length > 0;
}

const HTTP_KINDS = new Set(['status', 'latency', 'bandwidth', 'reset', 'hang', 'truncate', 'stall']);

/** Toxic attributes per fault kind: option field → [toxic attribute, unit]. */
const TOXIC_FIELDS: Record<string, { type: Toxic['type']; fields: Record<string, [string, 'ms' | 'us' | 'bytes' | 'kbps']> }> = {
  latency: { type: 'latency', fields: { latency: ['latency', 'ms'], jitter: ['jitter', 'ms'] } },
  bandwidth: { type: 'bandwidth', fields: { bandwidth: ['rate', 'kbps'] } },
  slow_close: { type: 'slow_close', fields: { delay: ['delay', 'ms'] } },
  timeout: { type: 'timeout', fields: { timeout: ['timeout', 'ms'] } },
  reset_peer: { type: 'reset_peer', fields: { timeout: ['timeout', 'ms'] } },
  reset: { type: 'reset_peer', fields: { timeout: ['timeout', 'ms'] } },
  slicer: { type: 'slicer', fields: { averageSize: ['average_size', 'bytes'], sizeVariation: ['size_variation', 'bytes'], delay: ['delay', 'us'] } },
  limit_data: { type: 'limit_data', fields: { bytes: ['bytes', 'bytes'] } },
};

const ms = parseUnitDurationMs;
const bytes = parseSizeBytes;

/** A TCP-level fault as a toxic (Toxiproxy attributes); problems named after the option fields. */
function toxicOf(f: FaultOption, where: string, problems: string[]): Toxic | undefined {
  const spec = TOXIC_FIELDS[f.kind];
  if (!spec) return undefined;
  const attributes: Record<string, number> = {};
  let stream: 'upstream' | 'downstream' = 'downstream';
  for (const [k, v] of Object.entries(f.params)) {
    if (k === 'direction') {
      if (v === 'upstream' || v === 'downstream') stream = v;
      else problems.push(`${where}.direction: must be upstream or downstream (got ${JSON.stringify(v)})`);
      continue;
    }
    const field = spec.fields[k];
    if (!field) {
      problems.push(`${where}.${k}: unknown field for a ${f.kind} fault (fields: ${[...Object.keys(spec.fields), 'direction'].join(', ') || 'none'})`);
      continue;
    }
    const [attr, unit] = field;
    const n = unit === 'ms' ? ms(v) : unit === 'us' ? (ms(v) ?? NaN) * 1000 : unit === 'kbps' ? (bytes(v) ?? NaN) / 1000 : bytes(v);
    if (n === undefined || !Number.isFinite(n)) problems.push(`${where}.${k}: must be a ${unit === 'bytes' || unit === 'kbps' ? 'size such as 64kb' : 'duration such as 100ms'} (got ${JSON.stringify(v)})`);
    else attributes[attr] = n;
  }
  return { name: f.name, type: spec.type, stream, toxicity: f.rate, attributes: { ...attributes } };
}

export interface FaultRuntime {
  /** Arms the windows: the test starts at `startEpochMs`. */
  arm(startEpochMs: number): void;
  /** faults_injected as deltas for the final totals. */
  metrics(run: { submetrics: readonly SubmetricDef[] }): TypedDelta[];
  /** One line per proxy for the end of the run (what was injected). */
  describe(): string[];
  close(): Promise<void>;
}

/**
 * Starts the proxies and prepares the faults.
 * @throws VolleyError (exit 104) naming the option: a bad fault field, an unreachable upstream, a listen address in use.
 */
export async function startFaults(options: ResolvedOptions): Promise<FaultRuntime | undefined> {
  if (!hasFaults(options)) return undefined;
  const byName = new Map(options.proxies.map((p) => [p.name, p] as const));
  // Build every fault first: all problems at once, before anything listens.
  const problems: string[] = [];
  const http: Array<{ f: FaultOption; fault: ReturnType<typeof parseHttpFault>['fault'] }> = [];
  const timed: Array<{ f: FaultOption; toxic: Toxic | undefined }> = [];
  options.faults.forEach((f, i) => {
    const where = `options.faults[${i}]`;
    const p = byName.get(f.proxy)!;
    if (p.mode === 'http' && HTTP_KINDS.has(f.kind)) {
      const r = parseHttpFault({ ...f.params, kind: f.kind, rate: f.rate, name: f.name, start: f.startMs, duration: f.durationMs }, where, f.name);
      problems.push(...r.problems);
      http.push({ f, fault: r.fault });
    } else if (f.kind === 'down') {
      for (const k of Object.keys(f.params)) problems.push(`${where}.${k}: a down fault takes no ${k}`);
      timed.push({ f, toxic: undefined });
    } else timed.push({ f, toxic: toxicOf(f, where, problems) });
  });
  if (problems.length > 0) throw configError('E_INVALID_OPTIONS', `Invalid options (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n${problems.map((p) => `  - ${p}`).join('\n')}`, 'see docs/faults.md for the fields of each fault kind');

  const collection = new ProxyCollection();
  try {
    for (const p of options.proxies) await startProxy(collection, p);
  } catch (e) {
    await collection.close();
    throw e;
  }
  for (const { f, fault } of http) collection.get(f.proxy).addFault(fault!);
  // The script finds each proxy at __ENV.VOLLEY_PROXY_<NAME> (its address once listening: port 0 resolved).
  for (const p of collection.proxies.values()) options.env[proxyEnvName(p.name)] = p.mode === 'http' ? `http://${p.listen}` : p.listen;
  const timers: NodeJS.Timeout[] = [];
  const runtime: FaultRuntime = {
    arm(startEpochMs) {
      const zero = startEpochMs - performance.timeOrigin;
      for (const p of collection.proxies.values()) p.setClockStart(zero);
      for (const { f, toxic } of timed) {
        const p = collection.get(f.proxy);
        const at = (offsetMs: number, fn: () => void) => timers.push(setTimeout(fn, Math.max(0, zero + offsetMs - performance.now())));
        at(f.startMs, () => {
          if (toxic) p.setToxics([...p.toxics, toxic]);
          else void p.stop();
        });
        at(f.startMs + f.durationMs, () => {
          if (toxic) p.setToxics(p.toxics.filter((t) => t !== toxic));
          else void p.start().catch(() => {});
        });
      }
    },
    metrics(run) {
      const reg = new MetricRegistry();
      const injected = reg.declare(FAULT_METRICS.faults_injected);
      const store = new MetricStore(reg, run.submetrics.filter((s) => s.metric === injected.name));
      for (const p of collection.proxies.values()) {
        for (const [kind, n] of Object.entries(p.injectedByKind())) store.add(injected, n, store.tagSets.of({ proxy: p.name, kind }));
      }
      return store.drain().map((e) => {
        const m = reg.get(e.metric)!;
        return { ...e, type: m.type, contains: m.contains };
      });
    },
    describe() {
      const lines: string[] = [];
      for (const p of collection.proxies.values()) {
        const inj = Object.entries(p.injectedByKind()).map(([k, n]) => `${k} ${n}`);
        lines.push(`proxy ${p.name} (${p.listen} → ${p.upstream}): injected ${inj.length ? inj.join(', ') : 'nothing'}`);
      }
      return lines;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      await collection.close();
    },
  };
  return runtime;
}

async function startProxy(collection: ProxyCollection, p: ProxyOption): Promise<Proxy> {
  const where = `options.proxies.${p.name}`;
  const up = parseUpstream(p.upstream);
  await probe(up.host, up.port).catch((e: NodeJS.ErrnoException) => {
    throw configError('E_PROXY_UPSTREAM', `${where}.upstream: ${p.upstream} is unreachable (${e.code ?? e.message})`, 'start the dependency before the test, or fix the address');
  });
  return collection.add({ name: p.name, listen: p.listen, upstream: p.upstream }).catch((e: unknown) => {
    throw configError('E_PROXY_LISTEN', `${where}.listen: ${e instanceof ApiError ? e.message : String(e)}`, 'pick a free port (or stop what uses it)');
  });
}

/** `llm` → `VOLLEY_PROXY_LLM`; `my-db` → `VOLLEY_PROXY_MY_DB`. */
export function proxyEnvName(name: string): string {
  return `VOLLEY_PROXY_${name.toUpperCase().replace(/-/g, '_')}`;
}
