import { createRequire } from 'node:module';
import { configError } from '../../errors/index.js';

const require = createRequire(import.meta.url);

/**
 * The store drivers (better-sqlite3, pg) are optional dependencies: loaded here, when a store is
 * opened, never at start-up, so that `volley run` without history works when they are not
 * installed (`npm install --omit=optional`, or a native build that failed). A missing driver is
 * exit 104 naming the package to install.
 */
export function loadDriver<T>(pkg: 'better-sqlite3' | 'pg', store: string): T {
  try {
    const mod = require(pkg) as T;
    // better-sqlite3 loads its native module on the first open: open an in-memory database now.
    if (pkg === 'better-sqlite3') new (mod as unknown as new (path: string) => { close(): void })(':memory:').close();
    return mod;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing = err.code === 'MODULE_NOT_FOUND' && err.message.includes(`'${pkg}'`);
    // better-sqlite3 present but its native binding absent or built for another Node.
    const unbuilt = !missing && pkg === 'better-sqlite3' && /bindings|NODE_MODULE_VERSION|invalid ELF|\.node\b/i.test(err.message);
    if (!missing && !unbuilt) throw e;
    const version = pkg === 'better-sqlite3' ? 'better-sqlite3@12' : 'pg@8';
    throw configError(
      'E_STORE_DRIVER',
      missing
        ? `the ${store} run store needs the package ${pkg}, which is not installed (an optional dependency of Volley)`
        : `the ${store} run store needs ${pkg}, whose native module cannot be loaded (${err.message.split('\n')[0]})`,
      missing
        ? `npm install ${version} in your project (better-sqlite3 compiles from source when no prebuilt binary can be downloaded: python3, make, a C++ compiler)`
        : `rebuild it: npm rebuild better-sqlite3 (needs python3, make and a C++ compiler)`,
    );
  }
}
