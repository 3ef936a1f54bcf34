/**
 * Recording an exchange: its system tags (interned once per distinct set, memoised) and its twelve
 * samples as one sample group (metrics.ts). The third of the HTTP client's concerns.
 */
import type { VuContext } from '../../vu/context.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import type { TagSet, TagSetCache } from '../../metrics/tags.js';
import { statusErrorCode, type ClassifiedError } from './error-codes.js';
import type { WireResult } from './transport.js';
import type { Target } from './url.js';
import type { SystemTags } from './vu-state.js';
import type { Prepared } from './params.js';
import {
  HTTP_EXCHANGE,
  S_BLOCKED,
  S_CONNECTING,
  S_CORRECTED_DURATION,
  S_DATA_RECEIVED,
  S_DATA_SENT,
  S_DURATION,
  S_FAILED,
  S_RECEIVING,
  S_REQS,
  S_SENDING,
  S_TLS_HANDSHAKING,
  S_WAITING,
} from './metrics.js';

const STATUS_STRINGS: string[] = [];
export function statusString(s: number): string {
  return s >= 0 && s < 1000 ? (STATUS_STRINGS[s] ??= String(s)) : String(s);
}
const CODE_STRINGS = new Map<number, string>();
export function codeString(c: number): string {
  let s = CODE_STRINGS.get(c);
  if (s === undefined) CODE_STRINGS.set(c, (s = String(c)));
  return s;
}


/**
 * Scratch system-tag object for `record` (recording is synchronous, so one per thread serves
 * every VU; `TagSetCache.with` copies what it keeps). Key order is fixed: the interned key
 * depends on it; undefined values are skipped.
 */
const sys: SystemTags = {
  name: '',
  url: '',
  method: '',
  status: '',
  proto: undefined,
  tls_version: undefined,
  expected_response: undefined,
  error: undefined,
  error_code: undefined,
};

/**
 * The last few (base tags, system tags) → TagSet resolutions. Interning builds a key string of
 * every tag per request (plus ~150 bytes of garbage); a hit
 * here is ten reference compares (bench/micro/tag-memo.mjs: ≈ 0.67 µs for `with` against ≈ 2 ns
 * for a hit). Entries are replaced round robin; a miss just interns.
 */
const MEMO_SIZE = 8;
interface TagMemo {
  base: TagSet | null;
  name: string;
  url: string;
  method: string;
  status: string;
  proto: string | undefined;
  tls: string | undefined;
  expected: string | undefined;
  error: string | undefined;
  code: string | undefined;
  out: TagSet | null;
}
const memo: TagMemo[] = Array.from({ length: MEMO_SIZE }, () => ({
  base: null,
  name: '',
  url: '',
  method: '',
  status: '',
  proto: undefined,
  tls: undefined,
  expected: undefined,
  error: undefined,
  code: undefined,
  out: null,
}));
let memoNext = 0;

function systemTagSet(cache: TagSetCache, base: TagSet): TagSet {
  for (let i = 0; i < MEMO_SIZE; i++) {
    const m = memo[i]!;
    if (
      m.base === base &&
      m.name === sys.name &&
      m.url === sys.url &&
      m.method === sys.method &&
      m.status === sys.status &&
      m.proto === sys.proto &&
      m.tls === sys.tls_version &&
      m.expected === sys.expected_response &&
      m.error === sys.error &&
      m.code === sys.error_code &&
      m.out !== null
    ) {
      return m.out;
    }
  }
  const out = cache.with(base, sys);
  if (out.id >= 0) {
    const m = memo[memoNext]!;
    memoNext = (memoNext + 1) % MEMO_SIZE;
    m.base = base;
    m.name = sys.name;
    m.url = sys.url;
    m.method = sys.method;
    m.status = sys.status;
    m.proto = sys.proto;
    m.tls = sys.tls_version;
    m.expected = sys.expected_response;
    m.error = sys.error;
    m.code = sys.error_code;
    m.out = out;
  }
  return out;
}

/** Samples of one exchange (one hop), k6's Trail: every phase, the request counter, failure rate and data. */
export function record(
  vu: VuContext,
  p: Prepared,
  method: string,
  target: Target,
  r: Pick<WireResult, 'timings' | 'proto' | 'tlsVersion' | 'bytesSent' | 'bytesReceived'>,
  status: number,
  err: ClassifiedError | undefined,
  expected: boolean | undefined,
): TagSet {
  sys.name = p.name ?? target.clean;
  // A named request groups under its name: the url tag is the name too (as k6 does for http.url
  // templates), so `/item/<id>` with `name: '/item/:id'` is one tag set, not one per id (each is
  // ≈ 3.7 KB of sinks, bench/RESULTS.md "Hostile cases"). The real URL stays on the Response.
  sys.url = p.name ?? target.clean;
  sys.method = method;
  sys.status = statusString(status);
  sys.proto = status === 0 ? undefined : r.proto;
  sys.tls_version = r.tlsVersion === '' ? undefined : r.tlsVersion;
  sys.expected_response = expected === undefined ? undefined : expected ? 'true' : 'false';
  if (err !== undefined) {
    sys.error = err.message;
    sys.error_code = codeString(err.code);
  } else {
    const sc = statusErrorCode(status);
    sys.error = undefined;
    sys.error_code = sc === 0 ? undefined : codeString(sc);
  }
  const cache = vu.recorder.tagSets;
  let tags = systemTagSet(cache, vu.tags);
  if (p.userTags !== undefined) tags = cache.with(tags, p.userTags);

  // One call for the exchange's twelve samples, in the slots of HTTP_EXCHANGE (MetricStore.record).
  const t = r.timings;
  const lag = vu.startLagMs;
  const v = slots;
  v[S_REQS] = 1;
  v[S_DURATION] = t.duration;
  v[S_BLOCKED] = t.blocked;
  v[S_CONNECTING] = t.connecting;
  v[S_TLS_HANDSHAKING] = t.tls_handshaking;
  v[S_SENDING] = t.sending;
  v[S_WAITING] = t.waiting;
  v[S_RECEIVING] = t.receiving;
  v[S_FAILED] = expected === undefined ? NO_SAMPLE : expected ? 0 : 1;
  // Open models: the latency a user arriving on schedule would have seen (coordinated omission
  // corrected) = this request's duration plus how late its iteration started.
  v[S_CORRECTED_DURATION] = lag === undefined ? NO_SAMPLE : t.duration + lag;
  v[S_DATA_SENT] = r.bytesSent;
  v[S_DATA_RECEIVED] = r.bytesReceived;
  vu.recorder.record(HTTP_EXCHANGE, tags, v);
  return tags;
}

/** The values of one exchange, filled and recorded synchronously (one per thread, reused). */
const slots = new Float64Array(HTTP_EXCHANGE.metrics.length);
