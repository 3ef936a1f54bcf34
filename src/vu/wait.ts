import { ExitCode, VolleyError } from '../errors/index.js';
import { parseDurationMs } from '../util/duration.js';
import { sleep } from './api.js';
import { currentVu } from './context.js';
import { threadRegistry } from './thread.js';

/**
 * `waitFor(stage, probe, options)`: pipeline latency — the time from an action until a condition
 * holds (a job is ready, an event is visible), polled, into `waitfor_duration{stage}`.
 *
 *   const t0 = Date.now();
 *   await http.post(`${BASE}/api/recordings/finalize`, …);
 *   await waitFor('transcript_ready', async () => (await http.get(statusUrl)).json('status') === 'ready',
 *                 { since: t0, every: '2s', backoff: 1.5, maxEvery: '15s', timeout: '10m' });
 *   // thresholds: { 'waitfor_duration{stage:transcript_ready}': ['p(95)<360000'] }
 *
 * Semantics (docs/scripting.md "Pipeline latency"):
 * - The probe runs at once, then every `every` (from the start of one poll to the start of the next;
 *   a probe slower than the interval is followed at once), the interval multiplied by `backoff` after
 *   each poll up to `maxEvery`, and once more at the deadline. The condition holds when the probe
 *   returns a truthy value; the duration is measured to the end of that probe, so it is an upper
 *   bound of the true time, late by at most one interval (plus the probe's own duration).
 * - `timeout` ends the wait as failed (`outcome: timeout`). A probe that throws ends it as failed
 *   (`outcome: probe_error`) unless `retryErrors` is set, and the run goes on either way; the error
 *   is returned, not thrown. A stopped VU (end of the test) ends the wait without recording it.
 * - Failed waits are recorded in `waitfor_duration` too (their elapsed time, a lower bound), so a
 *   percentile over a stage never hides the waits that never finished; `waitfor_failed` is the
 *   share of failed waits; `waitfor_polls` counts probes. Every sample has tags `stage` and `outcome`.
 */
export interface WaitForOptions {
  /** Poll interval: ms or a duration string. Default 1s. */
  every?: number | string;
  /** Give up after this long (from `since`): ms or a duration string. Default 60s. */
  timeout?: number | string;
  /** Factor applied to the interval after each poll (≥ 1). Default 1 (fixed interval). */
  backoff?: number;
  /** Largest interval when backing off. Default: no cap below the timeout. */
  maxEvery?: number | string;
  /** Epoch ms (Date.now()) of the action the wait measures from. Default: the call. */
  since?: number;
  /** Keep polling when the probe throws (counted in the result's `errors`). Default false. */
  retryErrors?: boolean;
  /** Extra tags on the samples. */
  tags?: Record<string, string>;
}

/** Why a wait ended. */
export type WaitOutcome = 'ready' | 'timeout' | 'probe_error';

/** What `waitFor` resolves to (it never rejects, except when the VU is stopped). */
export interface WaitForResult<T> {
  ok: boolean;
  outcome: WaitOutcome;
  /** The probe's last value (the truthy one when ok). */
  value: T | undefined;
  /** From `since` to the end of the successful probe, or to giving up. */
  durationMs: number;
  polls: number;
  /** Probe errors seen (with retryErrors), or the one that ended the wait. */
  errors: number;
  /** The last error the probe threw. */
  error?: unknown;
}

const waitDuration = threadRegistry.define('waitfor_duration', 'trend', 'time');
const waitFailed = threadRegistry.define('waitfor_failed', 'rate');
const waitPolls = threadRegistry.define('waitfor_polls', 'counter');

const STAGE = /^[\w.:/-]{1,128}$/;

/** A wrong waitFor call is a script error (107), named with the stage and the option. */
function scriptError(code: string, message: string, hint: string): VolleyError {
  return new VolleyError(code, message, { hint, exitCode: ExitCode.ScriptException });
}

function durationOption(name: string, v: number | string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const ms = parseDurationMs(v);
  if (ms === undefined) throw scriptError('E_WAITFOR_OPTION', `waitFor: ${name} '${String(v)}' is not a duration`, `use milliseconds or a duration such as '2s' or '1m30s'`);
  return ms;
}

/** Polls `probe` until it returns a truthy value or the timeout passes; records the stage's latency. */
export async function waitFor<T>(stage: string, probe: () => T | Promise<T>, options: WaitForOptions = {}): Promise<WaitForResult<T>> {
  const vu = currentVu('waitFor()');
  if (typeof stage !== 'string' || !STAGE.test(stage)) {
    throw scriptError('E_WAITFOR_STAGE', `waitFor: stage name '${String(stage)}' is not valid`, 'name the stage with letters, digits, _ . : / - (at most 128), e.g. transcript_ready');
  }
  if (typeof probe !== 'function') throw scriptError('E_WAITFOR_PROBE', `waitFor('${stage}'): the probe must be a function`, 'pass () => condition, e.g. async () => (await http.get(url)).status === 200');
  const timeoutMs = durationOption('timeout', options.timeout, 60_000);
  let interval = durationOption('every', options.every, 1000);
  const maxEvery = durationOption('maxEvery', options.maxEvery, Number.POSITIVE_INFINITY);
  const backoff = options.backoff ?? 1;
  if (!(backoff >= 1) || !Number.isFinite(backoff)) throw scriptError('E_WAITFOR_OPTION', `waitFor('${stage}'): backoff ${String(backoff)} must be a number ≥ 1`, 'use 1 for a fixed interval, e.g. 1.5 to back off');
  if (interval <= 0) throw scriptError('E_WAITFOR_OPTION', `waitFor('${stage}'): every must be more than 0`, "e.g. every: '1s'");

  const nowPerf = performance.now();
  const start = options.since === undefined ? nowPerf : nowPerf - Math.max(0, Date.now() - options.since);
  const deadline = start + timeoutMs;
  let polls = 0;
  let errors = 0;
  let error: unknown;
  let value: T | undefined;
  let outcome: WaitOutcome = 'timeout';
  let end = nowPerf;
  for (;;) {
    const pollStart = performance.now();
    polls++;
    try {
      value = await probe();
      end = performance.now();
      if (value) {
        outcome = 'ready';
        break;
      }
    } catch (e) {
      end = performance.now();
      if (vu.signal.aborted) throw e;
      errors++;
      error = e;
      if (!options.retryErrors) {
        outcome = 'probe_error';
        break;
      }
    }
    if (end >= deadline) break;
    const next = Math.min(pollStart + interval, deadline);
    interval = Math.min(interval * backoff, maxEvery);
    const waitMs = next - performance.now();
    if (waitMs > 0) await sleep(waitMs / 1000);
  }
  const durationMs = Math.max(0, end - start);
  const ok = outcome === 'ready';
  const rec = vu.recorder;
  const base = options.tags ? rec.tagSets.with(vu.tags, options.tags) : vu.tags;
  const tags = rec.tagSets.with(base, { stage, outcome });
  rec.add(waitDuration, durationMs, tags);
  rec.add(waitFailed, ok ? 0 : 1, tags);
  rec.add(waitPolls, polls, tags);
  const result: WaitForResult<T> = { ok, outcome, value, durationMs, polls, errors };
  if (error !== undefined) result.error = error;
  return result;
}
