import type { CompiledBody } from './body.js';
import type { BodyMode, TargetResponse } from './context.js';
import type { Limiter } from './concurrency.js';
import type { Sampler } from './latency.js';
import type { RateLimiter } from './rate-limit.js';
import type { Schedule } from './schedule.js';
import type { RouteStats } from './stats.js';

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
  /** Requests seen (template {{seq}}). */
  seq: number;
}
