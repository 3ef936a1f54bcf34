import { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledBody } from './body.js';
import type { Limiter } from './concurrency.js';
import type { Sampler } from './latency.js';
import type { RateLimiter } from './rate-limit.js';
import type { Rng } from './rng.js';
import type { Schedule } from './schedule.js';
import type { RouteStats } from './stats.js';
import type { TemplateSource } from './template.js';

/**
 * Per-request state lives on the request/response objects themselves (custom classes passed to
 * http.createServer), so the pipeline passes one object around instead of allocating a context and
 * closures per request. Fields are initialised in the constructor so every instance has the same
 * hidden class.
 *
 * The compiled routes live here too: a route and the response it serves refer to each other.
 */

/** What a response needs of the service running its pipeline (service.ts implements it). */
export interface Pipeline {
  readonly rng: Rng;
  inFlight: number;
  /** Resumes the pipeline at `res.step`. */
  advance(res: TargetResponse): void;
  /** Releases the concurrency slots `res` holds. */
  releaseSlots(res: TargetResponse): void;
  /** ms left of the current stall (0: none). */
  stallLeft(): number;
}

/** How a route reads the request body. */
export const enum BodyMode {
  /** Not read (Node discards it after the response). */
  None = 0,
  /** Read and dropped, counting bytes (413 beyond the limit). */
  Discard = 1,
  /** Buffered up to the limit and parsed as JSON (400 when invalid). */
  Json = 2,
  /** Buffered up to the limit as text (echo). */
  Text = 3,
  /** Streamed and counted, never buffered (upload parts). */
  Count = 4,
}

/** The http server's IncomingMessage class: body-reading state. */
export class TargetRequest extends IncomingMessage {
  /** The response of this request (set when the body is read). */
  tres: TargetResponse | null = null;
  bodyChunks: Buffer[] | null = null;
  bodyBytes = 0;
  bodyLimit = 0;
  bodyMode: BodyMode = BodyMode.None;
  /** Set once the body was too large (the rest is ignored). */
  bodyRejected = false;
}

/** The http server's ServerResponse class: the request's whole pipeline state. */
export class TargetResponse extends ServerResponse<TargetRequest> implements TemplateSource {
  svc: Pipeline | null = null;
  /** performance.now() when the request head was parsed: the start of its service time (ms). */
  t0 = 0;
  requestId = '';
  method = '';
  /** Request path without query string. */
  pathname = '';
  /** Raw query string without "?" ('' when none). */
  search = '';
  route: CompiledRoute | null = null;
  params: Record<string, string> | null = null;
  /** Parsed JSON request body (BodyMode.Json) or text (BodyMode.Text). */
  jsonBody: unknown = undefined;
  /** Template counter: request number on the route, or event number in a stream. */
  seq = 0;
  /** Next pipeline step (see service.ts). */
  step = 0;
  /** Concurrency slots held: bit 1 = service-wide, bit 2 = route. */
  slots = 0;
  /** Set once the request is accounted for (recorded, aborted, reset or hung). */
  settled = false;
  /** Status to record when 'finish' fires (responses still flushing at end()). */
  pendingStatus = 0;
  /** Drip the body over this many ms (errors.slow), 0 = no. */
  dripMs = 0;
  /** performance.now() at which the latency delay ends (timers may fire a little early; see service.ts). */
  dueAt = 0;
  /** Handler-specific state (streams). */
  state: unknown = null;
  timer: NodeJS.Timeout | null = null;
  private queryCache: URLSearchParams | null = null;

  /** A query parameter ('' when absent); parses the query string on first use only. */
  queryParam(name: string): string {
    if (this.search === '') return '';
    if (this.queryCache === null) this.queryCache = new URLSearchParams(this.search);
    return this.queryCache.get(name) ?? '';
  }

  /** A request header by lower-case name ('' when absent; repeated headers joined by ", "). */
  header(name: string): string {
    const v = this.req.headers[name];
    return v === undefined ? '' : Array.isArray(v) ? v.join(', ') : v;
  }
}

/** Produces the response of a route once the pipeline (stalls, limits, body, latency, errors) is done. */
export interface Handler {
  respond(res: TargetResponse): void;
}

/** errors.* with cumulative thresholds, compared against one uniform draw per request. */
export interface CompiledErrors {
  /** u < statusBelow → answer an error status. */
  statusBelow: number;
  statuses: number[];
  body: CompiledBody | null;
  /** u < resetBelow → reset the connection. */
  resetBelow: number;
  /** u < hangBelow → never answer. */
  hangBelow: number;
  /** u < slowBelow → drip the body over slowMs. */
  slowBelow: number;
  slowMs: number;
}

/** A windowed rejection rule (429 storm, upload throttling). */
export interface CompiledStorms {
  schedule: Schedule | null;
  /** Per window (or one entry for always-on throttles): fraction refused, status, Retry-After ms (0 = until the window ends). */
  rate: number[];
  status: number[];
  retryAfterMs: number[];
}

/** A route ready to serve: everything precomputed at start. */
export interface CompiledRoute {
  /** Stats label. */
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly kind: string;
  /** Internal routes (/__volley/*, /metrics) skip stalls, limits and stats. */
  readonly internal: boolean;
  readonly stats: RouteStats;
  readonly status: number;
  /** Response headers, reused across requests (x-request-id and content-length are overwritten). */
  readonly headers: Record<string, string>;
  readonly body: CompiledBody | null;
  readonly bodyMode: BodyMode;
  /** Largest request body accepted, bytes. */
  readonly bodyLimit: number;
  readonly latency: Sampler | null;
  readonly errors: CompiledErrors | null;
  readonly rateLimiter: RateLimiter | null;
  readonly rateStatus: number;
  readonly storms: CompiledStorms | null;
  /** Always-on refusal rule (uploads.throttle): a CompiledStorms without schedule. */
  readonly throttle: CompiledStorms | null;
  readonly limiter: Limiter<TargetResponse> | null;
  readonly handler: Handler;
  /** Answer synchronously on arrival: static body, nothing to wait for or decide. */
  readonly fast: boolean;
  /**
   * The route's own random stream (latency, injected errors, LLM and stream samples): with a
   * config seed, the k-th request on a route gets the same draws whatever other routes do meanwhile.
   */
  readonly rng: Rng;
  /** Requests seen (template {{seq}}). */
  seq: number;
}
