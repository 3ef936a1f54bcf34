/**
 * `volley/data`: k6/data's SharedArray.
 *
 *   const users = new SharedArray('users', () => JSON.parse(open('./users.json')));
 *
 * The loader runs once per thread for a given name (every VU of the thread reads the same
 * array). The data is copied through JSON, as in k6 (only JSON values survive), and deeply frozen:
 * it is read-only. The result is a frozen array, so indexing, `length`, `for…of` and the read-only
 * array methods all work at native speed.
 *
 * Create SharedArrays in the init context (top level of the script), as k6 requires.
 */
import { VolleyError, ExitCode } from '../errors/index.js';
import { maybeCurrentVu } from '../vu/context.js';

/** A read-only array shared by the VUs of a thread. */
export interface SharedArray<T> extends ReadonlyArray<T> {}

const byName = new Map<string, readonly unknown[]>();
const instances = new WeakSet<object>();

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

interface SharedArrayConstructor {
  new <T>(name: string, loader: () => T[]): SharedArray<T>;
  readonly prototype: SharedArray<unknown>;
}

function SharedArrayImpl(this: unknown, name: string, loader: () => unknown[]): readonly unknown[] {
  if (!new.target) {
    throw new VolleyError('E_SHARED_ARRAY', 'SharedArray must be called with new', { exitCode: ExitCode.ScriptException });
  }
  if (typeof name !== 'string' || name === '') {
    throw new VolleyError('E_SHARED_ARRAY', 'new SharedArray(name, loader): name must be a non-empty string', { exitCode: ExitCode.ScriptException });
  }
  const hit = byName.get(name);
  if (hit !== undefined) return hit;
  if (maybeCurrentVu() !== undefined) {
    throw new VolleyError('E_SHARED_ARRAY', `new SharedArray('${name}') must be called in the init context`, {
      hint: 'create it at the top level of the script, outside the default function',
      exitCode: ExitCode.ScriptException,
    });
  }
  if (typeof loader !== 'function') {
    throw new VolleyError('E_SHARED_ARRAY', `new SharedArray('${name}', loader): loader must be a function returning an array`, { exitCode: ExitCode.ScriptException });
  }
  const data = loader();
  if (!Array.isArray(data)) {
    throw new VolleyError('E_SHARED_ARRAY', `new SharedArray('${name}'): the loader returned ${data === null ? 'null' : typeof data}, not an array`, {
      exitCode: ExitCode.ScriptException,
    });
  }
  const arr = deepFreeze(JSON.parse(JSON.stringify(data)) as unknown[]);
  byName.set(name, arr);
  instances.add(arr);
  return arr;
}
Object.defineProperty(SharedArrayImpl, Symbol.hasInstance, { value: (v: unknown) => typeof v === 'object' && v !== null && instances.has(v) });

/** k6 `new SharedArray(name, loader)`. */
export const SharedArray = SharedArrayImpl as unknown as SharedArrayConstructor;

/** Forgets every SharedArray of this thread (tests). @internal */
export function clearSharedArrays(): void {
  byName.clear();
}

export { dataset, feeder, parseCsv, parseJsonl, parseDataset, syntheticPrompts, type FeedOrder, type SyntheticSpec } from './dataset.js';
import { dataset, feeder, syntheticPrompts } from './dataset.js';

export default { SharedArray, dataset, feeder, syntheticPrompts };
