import { maybeCurrentVu } from '../vu/context.js';
import { threadEnv } from '../vu/thread.js';
import { makeOpen } from '../modules/open.js';

/**
 * Installs k6's script globals in this thread: `__ENV` (the VU's environment, with its scenario's
 * `env`; the base environment in the init context), `__VU`, `__ITER` and `open()` (files relative to
 * the script). Called once per thread before the script is imported.
 */
export function installGlobals(env: Record<string, string>, scriptDir: string): void {
  threadEnv.current = env;
  const g = globalThis as Record<string, unknown>;
  Object.defineProperty(g, '__ENV', { configurable: true, get: () => maybeCurrentVu()?.env ?? threadEnv.current });
  Object.defineProperty(g, '__VU', { configurable: true, get: () => maybeCurrentVu()?.id ?? 0 });
  Object.defineProperty(g, '__ITER', { configurable: true, get: () => maybeCurrentVu()?.iteration ?? 0 });
  g.open = makeOpen(scriptDir);
}
