import { configError, suggest } from '../errors/index.js';

/**
 * Capacity planning arithmetic (`volley capacity`): a traffic model (how much load the business
 * will send) against a measured per-instance capacity gives instances, in-flight requests (Little's
 * law) and connections, with every step shown so that the plan can be checked by hand.
 */

/** A parsed traffic model. Volume is given one way: rps, requests_per_day, orgs × per_org_per_day or users × per_user_per_day. */
export interface TrafficModel {
  /** Requests per day (average), from whichever volume keys were given. */
  requestsPerDay: number;
  /** How the volume was given, for the arithmetic lines. */
  volume: string;
  /** Peak-to-average factor (default 1). */
  peak: number;
  /** Growth multiplier for the planning horizon (default 1). */
  growth: number;
}

const KEYS = ['rps', 'requests_per_day', 'orgs', 'per_org_per_day', 'users', 'per_user_per_day', 'requests_per_action', 'peak', 'growth'] as const;
type Key = (typeof KEYS)[number];

function number(key: string, raw: string, allowX: boolean): number {
  const s = raw.trim().replace(/_/g, '');
  const m = (allowX ? /^(\d+(?:\.\d+)?(?:e\d+)?)x?$/i : /^(\d+(?:\.\d+)?(?:e\d+)?)$/i).exec(s.replace(/,/g, ''));
  const v = m ? Number(m[1]) : Number.NaN;
  if (!Number.isFinite(v) || v <= 0) throw configError('E_CAPACITY_TRAFFIC', `--traffic ${key}=${raw}: expected a number above 0${allowX ? ' (e.g. 10x)' : ''}`, `e.g. --traffic 'orgs=1000, per_org_per_day=1000, peak=10x'`);
  return v;
}

/** Parses `orgs=1000, per_org_per_day=1000, peak=10x, growth=2x`. */
export function parseTraffic(text: string): TrafficModel {
  const got = new Map<Key, number>();
  for (const part of text.split(/[,;\n]/)) {
    const p = part.trim();
    if (p === '') continue;
    const i = p.indexOf('=');
    if (i <= 0) throw configError('E_CAPACITY_TRAFFIC', `--traffic: '${p}' is not key=value`, `keys: ${KEYS.join(', ')}`);
    const key = p.slice(0, i).trim().toLowerCase();
    if (!(KEYS as readonly string[]).includes(key)) {
      const close = suggest(key, KEYS);
      throw configError('E_CAPACITY_TRAFFIC', `--traffic: unknown key '${key}'${close ? `; did you mean '${close}'?` : ''}`, `keys: ${KEYS.join(', ')}`);
    }
    if (got.has(key as Key)) throw configError('E_CAPACITY_TRAFFIC', `--traffic: '${key}' is given twice`, 'give each key once');
    got.set(key as Key, number(key, p.slice(i + 1), key === 'peak' || key === 'growth'));
  }
  const has = (k: Key) => got.has(k);
  const ways = [has('rps'), has('requests_per_day'), has('orgs') || has('per_org_per_day'), has('users') || has('per_user_per_day')].filter(Boolean).length;
  if (ways !== 1) {
    throw configError(
      'E_CAPACITY_TRAFFIC',
      ways === 0 ? '--traffic gives no volume' : '--traffic gives the volume more than one way',
      'give exactly one of: rps=N, requests_per_day=N, orgs=N with per_org_per_day=N, users=N with per_user_per_day=N',
    );
  }
  const perAction = got.get('requests_per_action') ?? 1;
  const pair = (a: Key, b: Key): [number, string] => {
    if (!has(a) || !has(b)) throw configError('E_CAPACITY_TRAFFIC', `--traffic: ${has(a) ? b : a} is missing (${a} goes with ${b})`, `e.g. ${a}=1000, ${b}=1000`);
    return [got.get(a)! * got.get(b)!, `${fmt(got.get(a)!)} ${a} × ${fmt(got.get(b)!)} ${b}`];
  };
  let perDay: number;
  let volume: string;
  if (has('rps')) [perDay, volume] = [got.get('rps')! * 86_400, `${fmt(got.get('rps')!)} req/s × 86,400 s`];
  else if (has('requests_per_day')) [perDay, volume] = [got.get('requests_per_day')!, `${fmt(got.get('requests_per_day')!)} requests_per_day`];
  else if (has('orgs') || has('per_org_per_day')) [perDay, volume] = pair('orgs', 'per_org_per_day');
  else [perDay, volume] = pair('users', 'per_user_per_day');
  if (perAction !== 1) {
    perDay *= perAction;
    volume += ` × ${fmt(perAction)} requests_per_action`;
  }
  return { requestsPerDay: perDay, volume, peak: got.get('peak') ?? 1, growth: got.get('growth') ?? 1 };
}

/** Parses `50%` (or `0.5`) into a fraction. */
export function parseHeadroom(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const v = m ? (m[2] === '%' ? Number(m[1]) / 100 : Number(m[1])) : Number.NaN;
  if (!Number.isFinite(v) || v < 0 || v > 10) throw configError('E_CAPACITY_HEADROOM', `--headroom '${text}' is not a percentage`, 'e.g. --headroom 50% (a buffer of half the peak on top of it)');
  return v;
}

/** What one instance was measured to sustain. */
export interface MeasuredCapacity {
  /** Requests per second one instance sustained while meeting its SLOs. */
  rps: number;
  /** Mean request latency at that load (ms), for Little's law. */
  latencyMs: number;
  /** Where the figures came from. */
  source: string;
  /** Caveats about the measurement (thresholds failed, generator-limited, a short run). */
  warnings: string[];
}

/** The plan, with each step of the arithmetic. */
export interface CapacityPlan {
  averageRps: number;
  peakRps: number;
  plannedRps: number;
  requiredRps: number;
  instances: number;
  /** Requests in flight at the planned peak (Little's law, L = λW), before and with headroom. */
  inFlight: number;
  inFlightWithHeadroom: number;
  connectionsPerInstance: number;
  /** Load on each instance at the planned peak, as a share of its measured capacity. */
  utilisationAtPeak: number;
  steps: { what: string; arithmetic: string; value: string }[];
  warnings: string[];
}

/** Works out the plan. */
export function plan(traffic: TrafficModel, measured: MeasuredCapacity, headroom: number): CapacityPlan {
  const averageRps = traffic.requestsPerDay / 86_400;
  const peakRps = averageRps * traffic.peak;
  const plannedRps = peakRps * traffic.growth;
  const requiredRps = plannedRps * (1 + headroom);
  const instances = Math.max(1, Math.ceil(requiredRps / measured.rps - 1e-9));
  const w = measured.latencyMs / 1000;
  const inFlight = plannedRps * w;
  const inFlightWithHeadroom = requiredRps * w;
  const connectionsPerInstance = Math.max(1, Math.ceil(inFlightWithHeadroom / instances));
  const utilisationAtPeak = plannedRps / (instances * measured.rps);
  const steps = [
    { what: 'requests per day', arithmetic: traffic.volume, value: fmt(traffic.requestsPerDay) },
    { what: 'average rate', arithmetic: `${fmt(traffic.requestsPerDay)} ÷ 86,400 s`, value: `${fmt(averageRps)} req/s` },
    { what: 'peak rate', arithmetic: `${fmt(averageRps)} × ${fmt(traffic.peak)} (peak)`, value: `${fmt(peakRps)} req/s` },
    { what: 'planned peak', arithmetic: `${fmt(peakRps)} × ${fmt(traffic.growth)} (growth)`, value: `${fmt(plannedRps)} req/s` },
    { what: 'required capacity', arithmetic: `${fmt(plannedRps)} × (1 + ${fmt(headroom * 100)} % headroom)`, value: `${fmt(requiredRps)} req/s` },
    { what: 'one instance sustains', arithmetic: measured.source, value: `${fmt(measured.rps)} req/s` },
    { what: 'instances', arithmetic: `⌈${fmt(requiredRps)} ÷ ${fmt(measured.rps)}⌉`, value: String(instances) },
    { what: 'utilisation at planned peak', arithmetic: `${fmt(plannedRps)} ÷ (${instances} × ${fmt(measured.rps)})`, value: `${fmt(utilisationAtPeak * 100)} %` },
    { what: 'in flight at planned peak (Little: L = λW)', arithmetic: `${fmt(plannedRps)} req/s × ${fmt(w)} s mean latency`, value: fmt(inFlight) },
    { what: 'in flight with headroom', arithmetic: `${fmt(requiredRps)} req/s × ${fmt(w)} s`, value: fmt(inFlightWithHeadroom) },
    { what: 'connections per instance', arithmetic: `⌈${fmt(inFlightWithHeadroom)} ÷ ${instances}⌉ (HTTP/1.1: one request per connection at a time)`, value: String(connectionsPerInstance) },
  ];
  return { averageRps, peakRps, plannedRps, requiredRps, instances, inFlight, inFlightWithHeadroom, connectionsPerInstance, utilisationAtPeak, steps, warnings: measured.warnings };
}

/** A number for people: 3 significant digits below 1,000, thousands separators above. */
export function fmt(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(3)).toString();
}
