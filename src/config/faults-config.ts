/**
 * `options.proxies` and `options.faults`: fault-injection proxies Volley starts in front of the
 * system's dependencies, and faults on the test's timeline (docs/faults.md).
 *
 *   proxies: { llm: { listen: '127.0.0.1:9000', upstream: 'http://127.0.0.1:8080' } },
 *   faults: [{ proxy: 'llm', startTime: '2m', duration: '1m', status: 429, rate: 1, headers: { 'retry-after': '2' } }],
 *
 * This module checks what it can without the proxy module (names, windows, rates, kinds per proxy
 * mode); the kind-specific fields (status, latency, ...) are checked by the proxy module when the
 * CLI builds the faults, with the same `options.faults[i].field` locations.
 */
import { formatDuration } from './duration.js';
import { testMaxDurationMs } from './describe.js';
import type { Problems } from './problems.js';
import type { FaultOption, ProxyOption, ScenarioConfig } from './types.js';
import { isPlainObject, parseDuration, show } from './values.js';

export type { FaultOption, ProxyOption } from './types.js';

/** HTTP-aware fault kinds (proxy with an http:// upstream). */
export const HTTP_FAULT_KINDS = ['status', 'latency', 'bandwidth', 'reset', 'hang', 'truncate', 'stall'] as const;
/** TCP fault kinds: Toxiproxy's toxic types, `reset` (= reset_peer) and `down` (proxy disabled). */
export const TCP_FAULT_KINDS = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'reset', 'slicer', 'limit_data', 'down'] as const;
/** Kinds an HTTP proxy takes besides its HTTP kinds (TCP-level, on its client connections). */
const HTTP_PROXY_TCP_KINDS = ['slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'down'] as const;

const GENERIC = new Set(['name', 'proxy', 'startTime', 'duration', 'kind', 'rate']);
const HOST_PORT = /^(?:\[[^\]]+\]|[^:\s]*):\d{1,5}$/;

/** Reads `options.proxies`. */
export function readProxiesOption(raw: unknown, problems: Problems): ProxyOption[] {
  if (raw === undefined || raw === null) return [];
  if (!isPlainObject(raw)) {
    problems.add('options.proxies', `must be an object mapping proxy names to { listen, upstream } (got ${show(raw)})`);
    return [];
  }
  const out: ProxyOption[] = [];
  for (const [name, p] of Object.entries(raw)) {
    const where = `options.proxies.${name}`;
    if (!/^[A-Za-z0-9_-]+$/.test(name)) problems.add(where, 'proxy names use only latin letters, digits, underscores and dashes');
    if (!isPlainObject(p)) {
      problems.add(where, `must be an object { listen, upstream } (got ${show(p)})`);
      continue;
    }
    for (const k of Object.keys(p)) if (k !== 'listen' && k !== 'upstream') problems.add(`${where}.${k}`, 'unknown field (fields: listen, upstream)');
    const { listen = '127.0.0.1:0', upstream } = p as { listen?: unknown; upstream?: unknown };
    let ok = true;
    if (typeof listen !== 'string' || !HOST_PORT.test(listen)) {
      problems.add(`${where}.listen`, `must be host:port, e.g. "127.0.0.1:9000" (got ${show(listen)})`);
      ok = false;
    }
    let mode: 'http' | 'tcp' = 'tcp';
    if (typeof upstream === 'string' && /^http:\/\/[^/]+\/?$/i.test(upstream)) mode = 'http';
    else if (typeof upstream !== 'string' || !HOST_PORT.test(upstream.replace(/^tcp:\/\//i, ''))) {
      problems.add(`${where}.upstream`, `must be http://host:port (HTTP faults) or host:port / tcp://host:port (TCP faults) (got ${show(upstream)})`);
      ok = false;
    }
    if (ok) out.push({ name, listen: listen as string, upstream: upstream as string, mode });
  }
  return out;
}

/** Reads `options.faults`, checking windows against the test's planned length. */
export function readFaultsOption(raw: unknown, proxies: readonly ProxyOption[], scenarios: readonly ScenarioConfig[], problems: Problems): FaultOption[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.add('options.faults', `must be an array of faults (got ${show(raw)})`);
    return [];
  }
  const testMs = testMaxDurationMs(scenarios, false);
  const byName = new Map(proxies.map((p) => [p.name, p]));
  const out: FaultOption[] = [];
  const used = new Set<string>();
  raw.forEach((f: unknown, i) => {
    const where = `options.faults[${i}]`;
    if (!isPlainObject(f)) {
      problems.add(where, `must be an object { proxy, startTime, duration, kind, rate, ... } (got ${show(f)})`);
      return;
    }
    const bad = (field: string, msg: string) => problems.add(`${where}.${field}`, msg);
    const proxy = byName.get(String(f.proxy));
    if (typeof f.proxy !== 'string') bad('proxy', `is required: the name of a proxy in options.proxies (got ${show(f.proxy)})`);
    else if (!proxy) {
      const names = proxies.map((p) => p.name);
      bad('proxy', `no proxy named "${f.proxy}" in options.proxies${names.length ? ` (proxies: ${names.join(', ')})` : ' (none defined)'}`);
    }
    const start = parseDuration(f.startTime ?? 0, 'ms');
    if (!start.ok) bad('startTime', start.message);
    const dur = f.duration === undefined ? undefined : parseDuration(f.duration, 'ms');
    if (dur === undefined) bad('duration', 'is required (how long the fault lasts, e.g. "1m")');
    else if (!dur.ok) bad('duration', dur.message);
    else if (dur.value <= 0) bad('duration', 'must be more than 0');
    const rate = f.rate ?? 1;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) bad('rate', `must be a probability in [0, 1] (got ${show(f.rate)})`);
    const kind = f.kind ?? (f.status !== undefined ? 'status' : undefined);
    const kinds: readonly string[] = proxy?.mode === 'tcp' ? TCP_FAULT_KINDS : proxy?.mode === 'http' ? [...HTTP_FAULT_KINDS, ...HTTP_PROXY_TCP_KINDS] : [...HTTP_FAULT_KINDS, ...TCP_FAULT_KINDS];
    if (kind === undefined) bad('kind', `is required (or give status): one of ${kinds.join(', ')}`);
    else if (typeof kind !== 'string' || !kinds.includes(kind)) {
      bad('kind', `unknown fault kind ${show(kind)}${proxy ? ` for ${proxy.mode === 'http' ? 'an HTTP' : 'a TCP'} proxy` : ''} (kinds: ${kinds.join(', ')})`);
    }
    if (f.name !== undefined && (typeof f.name !== 'string' || !/^[\w.:@-]+$/.test(f.name))) bad('name', `must be a short name (letters, digits, . : @ - _) for the fault tag (got ${show(f.name)})`);
    if (start.ok && dur?.ok && testMs > 0 && start.value + dur.value > testMs) {
      bad('duration', `the window ${formatDuration(start.value)}–${formatDuration(start.value + dur.value)} ends after the test (${formatDuration(testMs)}): shorten it or start it earlier`);
    }
    if (!start.ok || !dur?.ok || typeof kind !== 'string' || typeof f.proxy !== 'string' || typeof rate !== 'number') return;
    let name = typeof f.name === 'string' ? f.name : `${f.proxy}-${kind === 'status' ? String(f.status) : kind}`;
    if (used.has(name)) {
      if (typeof f.name === 'string') bad('name', `"${name}" names two faults; fault names must be unique`);
      let k = 2;
      while (used.has(`${name}-${k}`)) k++;
      name = `${name}-${k}`;
    }
    used.add(name);
    const params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f)) if (!GENERIC.has(k)) params[k] = v;
    out.push({ name, proxy: f.proxy, startMs: start.value, durationMs: dur.value, kind, rate, params });
  });
  return out;
}
