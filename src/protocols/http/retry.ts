/**
 * Per-request retries for scripts (`params.retry`), the way resilient clients do it: exponential
 * backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"), honouring
 * Retry-After, a bounded number of attempts.
 *
 *   const res = await http.get(url, { retry: { attempts: 4, baseMs: 100, maxMs: 5000 } });
 *
 * Every attempt is a real request: its samples are recorded as usual, tagged `attempt` ("1", "2",
 * ...), so `http_req_failed{attempt:1}` is the first-try outcome. The call's final outcome is the
 * rate `http_req_final_failed` (1 when the last attempt still failed), and `http_req_retries`
 * counts the retries made. The returned Response is the last attempt's.
 */
import { VolleyError, ExitCode } from '../../errors/index.js';
import type { VuContext } from '../../vu/context.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import type { TagSet } from '../../metrics/tags.js';
import { HTTP_RETRY, S_FINAL_FAILED, S_RETRIES } from './metrics.js';
import type { RetryParams } from './params.js';
import type { Response } from './response.js';

interface RetryPlan {
  attempts: number;
  baseMs: number;
  maxMs: number;
  statuses: ReadonlySet<number>;
  retryAfter: boolean;
  maxRetryAfterMs: number;
}

/** The slots of one retry decision (HTTP_RETRY), filled and recorded synchronously (one per thread). */
const slots = new Float64Array(HTTP_RETRY.metrics.length);

/** A retry (`http_req_retries`) or the call's final outcome (`http_req_final_failed`). */
function recordDecision(vu: VuContext, tags: TagSet, retried: boolean, finalFailed: boolean): void {
  slots[S_RETRIES] = retried ? 1 : NO_SAMPLE;
  slots[S_FINAL_FAILED] = retried ? NO_SAMPLE : finalFailed ? 1 : 0;
  vu.recorder.record(HTTP_RETRY, tags, slots);
}

const DEFAULT_STATUSES = new Set([429, 502, 503, 504]);

function bad(msg: string): VolleyError {
  return new VolleyError('E_HTTP_PARAMS', `params.retry: ${msg}`, { hint: 'e.g. { retry: { attempts: 4, baseMs: 100, maxMs: 5000 } }', exitCode: ExitCode.ScriptException });
}

/** Checks `params.retry` (throws a VolleyError naming the field). */
export function retryPlan(r: unknown): RetryPlan {
  if (typeof r !== 'object' || r === null) throw bad('must be an object { attempts, baseMs, maxMs, statuses, retryAfter }');
  const o = r as RetryParams;
  const num = (k: keyof RetryParams, dflt: number, min: number, max = Infinity): number => {
    const v = o[k];
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw bad(`${k} must be a number from ${min}${max < Infinity ? ` to ${max}` : ''}, got ${JSON.stringify(v)}`);
    return v;
  };
  const attempts = num('attempts', 3, 1, 20);
  if (!Number.isInteger(attempts)) throw bad(`attempts must be a whole number, got ${attempts}`);
  if (o.statuses !== undefined && (!Array.isArray(o.statuses) || o.statuses.some((s) => !Number.isInteger(s)))) throw bad('statuses must be an array of HTTP statuses');
  return {
    attempts,
    baseMs: num('baseMs', 100, 0),
    maxMs: num('maxMs', 10_000, 0),
    statuses: o.statuses ? new Set(o.statuses) : DEFAULT_STATUSES,
    retryAfter: o.retryAfter !== false,
    maxRetryAfterMs: num('maxRetryAfterMs', 60_000, 0),
  };
}

/** Retry-After in ms (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Full jitter: a uniform wait in [0, min(maxMs, baseMs × 2^(retry-1))]. */
export function backoffMs(retry: number, plan: Pick<RetryPlan, 'baseMs' | 'maxMs'>, random: () => number = Math.random): number {
  return random() * Math.min(plan.maxMs, plan.baseMs * 2 ** (retry - 1));
}

function sleepFor(vu: VuContext, ms: number): Promise<void> {
  if (vu.sleep) return vu.sleep(ms);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `attempt(n, tags)` until it succeeds, is not retryable, or the attempts are spent.
 * `attempt` must record its samples with the extra tags it is given.
 */
export async function withRetry(vu: VuContext, plan: RetryPlan, baseTags: Readonly<Record<string, string | number | boolean>> | undefined, attempt: (tags: Record<string, string | number | boolean>) => Promise<Response>): Promise<Response> {
  let res: Response | undefined;
  for (let n = 1; ; n++) {
    res = await attempt({ ...baseTags, attempt: String(n) });
    const retryable = res.status === 0 || plan.statuses.has(res.status);
    const tagSet = vu.recorder.tagSets.with(vu.tags, { ...baseTags, method: res.request.method, ...(baseTags?.name === undefined ? {} : { name: String(baseTags.name) }) });
    if (!retryable || n >= plan.attempts) {
      recordDecision(vu, tagSet, false, retryable);
      return res;
    }
    let waitMs = backoffMs(n, plan);
    if (plan.retryAfter) {
      const ra = retryAfterMs(res.headers['Retry-After'] ?? undefined);
      if (ra !== undefined) {
        if (ra > plan.maxRetryAfterMs) {
          recordDecision(vu, tagSet, false, true);
          return res;
        }
        waitMs = ra;
      }
    }
    recordDecision(vu, tagSet, true, false);
    await sleepFor(vu, waitMs);
  }
}
