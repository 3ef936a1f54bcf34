/**
 * Where a k6 script's imports go: `k6/*` to Volley's modules, k6's remote jslib modules to local
 * implementations (nothing is fetched at run time). Anything else k6-specific is refused with a
 * message that lists what is supported.
 */

/** k6 module → Volley module. */
export const K6_MODULES: Readonly<Record<string, string>> = {
  k6: 'volley',
  'k6/http': 'volley/http',
  'k6/metrics': 'volley/metrics',
  'k6/execution': 'volley/execution',
  'k6/data': 'volley/data',
  'k6/encoding': 'volley/encoding',
  'k6/crypto': 'volley/crypto',
  'k6/html': 'volley/html',
  'k6/timers': 'volley/timers',
  'k6/ws': 'volley/ws',
  // The xk6-sse extension's API is volley/sse's.
  'k6/x/sse': 'volley/sse',
  // An iteration waits for its open sockets, as k6's event loop does (protocols/ws/session.ts).
  'k6/websockets': 'volley/ws',
  'k6/experimental/websockets': 'volley/ws',
  'k6/browser': 'volley/browser',
  'k6/experimental/browser': 'volley/browser',
};

/** jslib.k6.io module (first path segment) → Volley module. */
export const JSLIB_MODULES: Readonly<Record<string, string>> = {
  'k6-utils': 'volley/utils',
  'k6-summary': 'volley/summary',
  papaparse: 'volley/jslib/papaparse',
  httpx: 'volley/jslib/httpx',
  k6chaijs: 'volley/jslib/k6chaijs',
};

const NOT_YET: Readonly<Record<string, string>> = {
  'k6/net/grpc': 'gRPC is not supported yet',
};

export type Resolution = { module: string } | { error: string };

/** True for the specifiers this map handles (k6 modules and remote URLs). */
export function isK6Specifier(spec: string): boolean {
  return spec === 'k6' || spec.startsWith('k6/') || /^https?:\/\//.test(spec);
}

/** The Volley module for a k6 import, or an error saying why not and what is supported. */
export function resolveK6Import(spec: string): Resolution {
  const mod = K6_MODULES[spec];
  if (mod) return { module: mod };
  if (/^https?:\/\//.test(spec)) {
    const m = /^https?:\/\/jslib\.k6\.io\/([^/]+)\//.exec(spec);
    const local = m ? JSLIB_MODULES[m[1]!] : undefined;
    if (local) return { module: local };
    return {
      error: `cannot import ${spec}: Volley fetches nothing at run time; the remote modules it has locally are jslib.k6.io's ${Object.keys(JSLIB_MODULES).join(', ')} (any version). ` +
        'Install an npm equivalent next to the script (npm i ...) and import it by name, or copy the module into a local file',
    };
  }
  const why = NOT_YET[spec] ?? (spec.startsWith('k6/x/') ? 'k6 extensions (xk6) cannot be loaded' : `${spec} has no Volley equivalent yet`);
  return { error: `cannot import "${spec}": ${why}. Supported k6 modules: ${Object.keys(K6_MODULES).join(', ')}` };
}

/** True when a source imports k6 (so it is a k6 script to be made asynchronous). */
export function importsK6(source: string): boolean {
  return /(?:^|[\s;])(?:import|export)\b[^'"`;]*?(?:from\s*)?['"](?:k6|k6\/[^'"]+|https?:\/\/jslib\.k6\.io\/[^'"]+)['"]/m.test(source) ||
    /\brequire\(\s*['"]k6(?:\/[^'"]*)?['"]\s*\)/.test(source);
}
