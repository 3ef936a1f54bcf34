import { parseDurationMs, parseSizeBytes } from './units.js';

/**
 * HTTP-aware faults: what Toxiproxy cannot do because it does not read HTTP. Each fault has a kind,
 * a probability (`rate`, drawn per request), a match (method, path glob, request header) and an
 * optional time window relative to the proxy's clock start (`start`, `duration`).
 *
 * | kind        | parameters                                                     | effect on a matched request                                  |
 * |-------------|----------------------------------------------------------------|--------------------------------------------------------------|
 * | `status`    | `status`, `body`, `headers` (e.g. `retry-after`)               | answered by the proxy with that status; upstream not called  |
 * | `latency`   | `latency`, `jitter`, `distribution` (uniform, normal, exponential) | forwarded after the delay                                |
 * | `bandwidth` | `bandwidth` (bytes/s, e.g. `64kb`), `direction` (downstream, upstream) | the body in that direction is throttled              |
 * | `reset`     | `when` (before, after)                                         | TCP RST before forwarding, or after the response started     |
 * | `hang`      | `hang` (how long; default: until the client gives up)          | no answer; the connection is then closed                     |
 * | `truncate`  | `truncate` (bytes of body let through; default 0)              | the body stops there and the connection closes               |
 * | `stall`     | `stall` (pause), `after` (chunks first; default 1)             | a streamed body (SSE, chunked) pauses once after `after` chunks |
 *
 * The same fields are accepted as an object (script options, control API) and as a one-line string
 * (`volley proxy --fault 'status=503 rate=0.2 path=/v1/*'`).
 */

export const HTTP_FAULT_KINDS = ['status', 'latency', 'bandwidth', 'reset', 'hang', 'truncate', 'stall'] as const;
export type HttpFaultKind = (typeof HTTP_FAULT_KINDS)[number];
export type LatencyDistribution = 'uniform' | 'normal' | 'exponential';

/** A validated fault, ready for the request path. */
export interface HttpFault {
  readonly name: string;
  readonly kind: HttpFaultKind;
  /** Probability per matching request, in [0, 1]. */
  readonly rate: number;
  readonly method: string | undefined;
  /** Path glob as given (`*` any run of characters, `?` one), matched against the path without query. */
  readonly path: string | undefined;
  readonly pathRe: RegExp | undefined;
  /** Request header that must be present (lower-case name) and, if given, match the value glob. */
  readonly ifHeader: { name: string; value: RegExp | undefined; text: string } | undefined;
  /** Window relative to the proxy clock's start, ms; end undefined = open-ended. */
  readonly startMs: number;
  readonly endMs: number | undefined;
  readonly status: number;
  readonly body: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly latencyMs: number;
  readonly jitterMs: number;
  readonly distribution: LatencyDistribution;
  readonly bytesPerSec: number;
  readonly direction: 'upstream' | 'downstream';
  readonly when: 'before' | 'after';
  readonly hangMs: number | undefined;
  readonly truncateBytes: number;
  readonly stallMs: number;
  readonly afterChunks: number;
}

/** Fields of the object form (strings or numbers as a user writes them). */
const FIELDS = new Set([
  'name', 'kind', 'rate', 'method', 'path', 'ifHeader', 'start', 'duration', 'status', 'body', 'headers', 'retryAfter',
  'latency', 'jitter', 'distribution', 'bandwidth', 'direction', 'when', 'hang', 'truncate', 'stall', 'after',
]);

function isKind(s: string): s is HttpFaultKind {
  return (HTTP_FAULT_KINDS as readonly string[]).includes(s);
}

function glob(s: string): RegExp {
  return new RegExp(`^${s.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
}

/**
 * Validates one fault given as an object. Every problem is returned (named `${where}.field`), none
 * thrown, so a caller can report them all at once.
 */
export function parseHttpFault(input: Record<string, unknown>, where: string, defaultName: string): { fault?: HttpFault; problems: string[] } {
  const problems: string[] = [];
  const bad = (field: string, msg: string) => problems.push(`${where}.${field}: ${msg}`);
  // A kind may be named by itself (`--fault 'reset rate=0.01'`): `reset` is a kind, not a field.
  for (const k of Object.keys(input)) if (!FIELDS.has(k) && !(input[k] === true && isKind(k))) bad(k, `unknown field (fields: ${[...FIELDS].join(', ')})`);
  let kind = input.kind;
  // A kind written alone names it ('hang latency=…' is a hang); else the first kind's field given.
  if (kind === undefined) kind = HTTP_FAULT_KINDS.find((k) => input[k] === true) ?? HTTP_FAULT_KINDS.find((k) => input[k] !== undefined);
  if (kind === undefined) {
    bad('kind', `missing: give kind, or one of ${HTTP_FAULT_KINDS.join(', ')}`);
    return { problems };
  }
  if (typeof kind !== 'string' || !(HTTP_FAULT_KINDS as readonly string[]).includes(kind)) {
    bad('kind', `unknown fault kind ${describe(kind)} (kinds: ${HTTP_FAULT_KINDS.join(', ')})`);
    return { problems };
  }
  const k = kind as HttpFaultKind;
  const rate = input.rate === undefined ? 1 : typeof input.rate === 'string' ? Number(input.rate) : input.rate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) bad('rate', `must be a probability in [0, 1], got ${describe(input.rate)}`);
  const dur = (field: string, dflt: number | undefined): number | undefined => {
    const v = input[field];
    if (v === undefined || v === true) return dflt;
    const ms = parseDurationMs(v);
    if (ms === undefined) bad(field, `must be a duration such as 300ms or 2s, got ${describe(v)}`);
    return ms ?? dflt;
  };
  const size = (field: string, dflt: number): number => {
    const v = input[field];
    if (v === undefined || v === true) return dflt;
    const b = parseSizeBytes(v);
    if (b === undefined) bad(field, `must be a size such as 512, 16kb or 1mb, got ${describe(v)}`);
    return b ?? dflt;
  };
  const oneOf = <T extends string>(field: string, values: readonly T[], dflt: T): T => {
    const v = input[field];
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) bad(field, `must be one of ${values.join(', ')}, got ${describe(v)}`);
    return (values as readonly string[]).includes(v as string) ? (v as T) : dflt;
  };
  const str = (field: string): string | undefined => {
    const v = input[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') bad(field, `must be a non-empty string, got ${describe(v)}`);
    return typeof v === 'string' ? v : undefined;
  };
  const name = str('name') ?? defaultName;
  const method = str('method')?.toUpperCase();
  const path = str('path');
  if (path !== undefined && !path.startsWith('/')) bad('path', `must start with /, got "${path}"`);
  const ifHeaderText = str('ifHeader');
  let ifHeader: HttpFault['ifHeader'];
  if (ifHeaderText !== undefined) {
    const i = ifHeaderText.indexOf(':');
    const hname = (i < 0 ? ifHeaderText : ifHeaderText.slice(0, i)).trim().toLowerCase();
    const value = i < 0 ? undefined : ifHeaderText.slice(i + 1).trim();
    ifHeader = { name: hname, value: value === undefined ? undefined : glob(value), text: ifHeaderText };
  }
  const startMs = dur('start', 0) ?? 0;
  const durationMs = dur('duration', undefined);
  let status = 0;
  if (k === 'status') {
    const s = typeof input.status === 'string' ? Number(input.status) : input.status;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 100 || s > 599) bad('status', `must be an HTTP status from 100 to 599, got ${describe(input.status)}`);
    else status = s;
  }
  const headers: Record<string, string> = {};
  if (input.headers !== undefined) {
    if (typeof input.headers !== 'object' || input.headers === null || Array.isArray(input.headers)) bad('headers', 'must be an object of header names to values');
    else for (const [h, v] of Object.entries(input.headers)) headers[h.toLowerCase()] = String(v);
  }
  if (input.retryAfter !== undefined) headers['retry-after'] = String(input.retryAfter);
  const body = input.body === undefined ? undefined : typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const fault: HttpFault = {
    name,
    kind: k,
    rate: typeof rate === 'number' && rate >= 0 && rate <= 1 ? rate : 1,
    method,
    path,
    pathRe: path === undefined ? undefined : glob(path),
    ifHeader,
    startMs,
    endMs: durationMs === undefined ? undefined : startMs + durationMs,
    status,
    body,
    headers,
    latencyMs: k === 'latency' ? (dur('latency', 0) ?? 0) : 0,
    jitterMs: dur('jitter', 0) ?? 0,
    distribution: oneOf('distribution', ['uniform', 'normal', 'exponential'] as const, 'uniform'),
    bytesPerSec: k === 'bandwidth' ? size('bandwidth', 0) : 0,
    direction: oneOf('direction', ['downstream', 'upstream'] as const, 'downstream'),
    when: oneOf('when', ['before', 'after'] as const, 'before'),
    hangMs: k === 'hang' ? dur('hang', undefined) : undefined,
    truncateBytes: k === 'truncate' ? size('truncate', 0) : 0,
    stallMs: k === 'stall' ? (dur('stall', 1000) ?? 1000) : 0,
    afterChunks: typeof input.after === 'number' ? input.after : input.after === undefined ? 1 : Number(input.after),
  };
  if (k === 'bandwidth' && fault.bytesPerSec <= 0) bad('bandwidth', 'must be more than 0 bytes per second, e.g. 64kb');
  if (!Number.isInteger(fault.afterChunks) || fault.afterChunks < 0) bad('after', `must be a whole number of chunks ≥ 0, got ${describe(input.after)}`);
  return problems.length > 0 ? { problems } : { fault, problems };
}

/** Splits a one-line fault (`status=503 rate=0.2 path=/v1/* body='{"a":1}'`) into fields; quotes group. */
export function tokenizeFault(line: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const headers: Record<string, string> = {};
  const re = /([A-Za-z][\w-]*)(?:=(?:'([^']*)'|"([^"]*)"|(\S*)))?/gy;
  let pos = 0;
  const s = line.trim();
  while (pos < s.length) {
    if (s[pos] === ' ') {
      pos++;
      continue;
    }
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new Error(`cannot read "${s.slice(pos)}": write key=value pairs separated by spaces`);
    pos = re.lastIndex;
    const key = m[1]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = m[2] ?? m[3] ?? m[4];
    if (key === 'header') {
      const i = (value ?? '').indexOf(':');
      if (i <= 0) throw new Error(`header takes Name:Value, got "${value ?? ''}"`);
      headers[value!.slice(0, i).trim()] = value!.slice(i + 1).trim();
    } else out[key] = value ?? true;
  }
  if (Object.keys(headers).length > 0) out.headers = headers;
  return out;
}

/** Draws a latency for the fault (ms, ≥ 0). */
export function drawLatencyMs(f: HttpFault, random: () => number): number {
  const j = f.jitterMs;
  switch (f.distribution) {
    case 'uniform':
      return Math.max(0, f.latencyMs + (j > 0 ? random() * 2 * j - j : 0));
    case 'normal': {
      // Box–Muller; jitter is the standard deviation.
      const u = Math.max(random(), 1e-12);
      return Math.max(0, f.latencyMs + j * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()));
    }
    case 'exponential':
      return -f.latencyMs * Math.log(Math.max(1 - random(), 1e-12));
  }
}

/** Is the request matched (ignoring window and rate)? */
export function matches(f: HttpFault, method: string, path: string, headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  if (f.method !== undefined && f.method !== method) return false;
  if (f.pathRe !== undefined && !f.pathRe.test(path)) return false;
  if (f.ifHeader !== undefined) {
    const v = headers[f.ifHeader.name];
    if (v === undefined) return false;
    if (f.ifHeader.value !== undefined && !f.ifHeader.value.test(Array.isArray(v) ? v.join(', ') : v)) return false;
  }
  return true;
}

/** The JSON form shown by the control API. */
export function faultJson(f: HttpFault, counts: { matched: number; injected: number }): Record<string, unknown> {
  const o: Record<string, unknown> = { name: f.name, kind: f.kind, rate: f.rate };
  if (f.method) o.method = f.method;
  if (f.path) o.path = f.path;
  if (f.ifHeader) o.ifHeader = f.ifHeader.text;
  if (f.startMs > 0) o.startMs = f.startMs;
  if (f.endMs !== undefined) o.endMs = f.endMs;
  switch (f.kind) {
    case 'status':
      Object.assign(o, { status: f.status, headers: f.headers }, f.body === undefined ? {} : { body: f.body });
      break;
    case 'latency':
      Object.assign(o, { latencyMs: f.latencyMs, jitterMs: f.jitterMs, distribution: f.distribution });
      break;
    case 'bandwidth':
      Object.assign(o, { bytesPerSec: f.bytesPerSec, direction: f.direction });
      break;
    case 'reset':
      o.when = f.when;
      break;
    case 'hang':
      if (f.hangMs !== undefined) o.hangMs = f.hangMs;
      break;
    case 'truncate':
      o.truncateBytes = f.truncateBytes;
      break;
    case 'stall':
      Object.assign(o, { stallMs: f.stallMs, after: f.afterChunks });
      break;
  }
  return { ...o, ...counts };
}
