import { setTimeout as delay } from 'node:timers/promises';
import { VolleyError, ExitCode } from '../errors/index.js';
import { mulberry32 } from '../util/prng.js';
import { currentVu, maybeCurrentVu } from './context.js';

/**
 * `check(value, { name: predicate })`: records one `checks` sample per predicate (tag `check`),
 * returns true when all passed. Predicates are synchronous, as in k6; a predicate that throws
 * counts as failed and the error propagates (k6 behaviour).
 */
export function check<T>(value: T, checks: Record<string, (v: T) => unknown>, tags?: Record<string, string>): boolean {
  const vu = currentVu('check()');
  const rec = vu.recorder;
  const base = tags ? rec.tagSets.with(vu.tags, tags) : vu.tags;
  let all = true;
  for (const name in checks) {
    const fn = checks[name]!;
    let ok: boolean;
    try {
      ok = typeof fn === 'function' ? Boolean(fn(value)) : Boolean(fn);
    } catch (e) {
      rec.add(vu.metrics.checks, 0, rec.tagSets.with1(base, 'check', name));
      throw e;
    }
    rec.add(vu.metrics.checks, ok ? 1 : 0, rec.tagSets.with1(base, 'check', name));
    if (!ok) all = false;
  }
  return all;
}

/**
 * `await group(name, async () => {...})`: runs fn with the `group` tag set to the nested group path
 * ('::outer::inner', as k6), records `group_duration`, and returns fn's result.
 */
export async function group<R>(name: string, fn: () => R | Promise<R>): Promise<R> {
  const vu = currentVu('group()');
  if (name.includes('::')) {
    throw new VolleyError('E_GROUP_NAME', `group name "${name}" must not contain "::"`, { exitCode: ExitCode.ScriptException });
  }
  const prevGroup = vu.group;
  const prevTags = vu.tags;
  const path = `${prevGroup}::${name}`;
  vu.group = path;
  vu.tags = vu.recorder.tagSets.with1(prevTags, 'group', path);
  const start = performance.now();
  try {
    return await fn();
  } finally {
    vu.recorder.add(vu.metrics.group_duration, performance.now() - start, vu.tags);
    vu.group = prevGroup;
    vu.tags = prevTags;
  }
}

/**
 * `await sleep(seconds)`: pauses this VU. Ends early (rejects with an abort) when the VU is stopped,
 * so graceful stops don't wait for long sleeps.
 */
export function sleep(seconds: number): Promise<void> {
  const ms = Math.max(0, Number(seconds) * 1000);
  const vu = maybeCurrentVu();
  if (!vu) return delay(ms);
  // The VU's own sleep holds one promise and one timer (~0.4 KB per sleeping VU against ~2.1 KB
  // for timers/promises with a signal; bench/micro/memory-per-vu.mjs).
  return vu.sleep ? vu.sleep(ms) : delay(ms, undefined, { signal: vu.signal });
}

/** k6's `fail(msg)`: throws, ending the iteration (counted as a script error). */
export function fail(message = 'fail() called'): never {
  throw new Error(message);
}

/**
 * k6's `randomSeed(n)`: makes `Math.random()` a seeded generator (mulberry32), for reproducible
 * data. Node cannot reseed its own generator, so this replaces `Math.random` in the thread that
 * calls it: the VUs of a worker thread share one sequence (in k6 each VU has its own).
 */
export function randomSeed(seed: number): void {
  Math.random = mulberry32(Math.trunc(Number(seed)));
}

/** A random integer in [min, max], inclusive. Convenience for think times and data selection. */
export function randomIntBetween(min: number, max: number): number {
  return Math.floor(Math.random() * (max - min + 1)) + min;
}
