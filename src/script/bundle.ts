import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Message, type Plugin } from 'esbuild';
import { ExitCode, VolleyError } from '../errors/index.js';
import { importsK6, isK6Specifier, resolveK6Import } from './k6/modules.js';
import { transformK6Program } from './k6/program.js';
import { artilleryScript } from './artillery.js';
import type { FileAnalysis } from './k6/transform.js';

/** Where `volley` and `volley/*` resolve to: this Volley's own compiled public modules. */
const PUBLIC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const PUBLIC_MODULES = new Set([
  '',
  'http',
  'metrics',
  'execution',
  'html',
  'encoding',
  'crypto',
  'data',
  'workflow',
  'timers',
  'summary',
  'utils',
  'artillery',
  'sse',
  'ws',
  'browser',
  'jslib/papaparse',
  'jslib/httpx',
  'jslib/k6chaijs',
  'llm',
  'sql',
]);

/** The file types `volley run` takes: TypeScript and JavaScript modules (esbuild transpiles them). */
export const SCRIPT_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.yml', '.yaml'];

/**
 * Refuses a file that is not a TypeScript or JavaScript script before esbuild sees it (esbuild would
 * say "No loader is configured"), naming the file and the types accepted. Exit 107, as k6 gives for
 * a file it cannot run as a script.
 */
export function checkScriptType(scriptPath: string): void {
  const ext = extname(scriptPath).toLowerCase();
  if (SCRIPT_EXTENSIONS.includes(ext)) return;
  const what = ext ? `a ${ext} file` : 'a file without an extension';
  const hints: Record<string, string> = {
    '.json': 'options belong in the script (`export const options = {...}`); a .json file can be imported by a script',
    '.tar': 'k6 archives are not supported: run the original .js script',
  };
  throw new VolleyError('E_SCRIPT_TYPE', `cannot run ${scriptPath}: ${what} is not a test script; volley run takes TypeScript or JavaScript scripts and Artillery YAML (${SCRIPT_EXTENSIONS.join(', ')})`, {
    hint: hints[ext] ?? 'give the path of a .ts or .js test script',
    exitCode: ExitCode.ScriptException,
  });
}

/** How to bundle. */
export interface BundleOptions {
  /**
   * A bundle to run on another machine (`volley k8s`): `volley/*` (and k6 modules, mapped to them)
   * stay bare imports that the Volley there resolves when it bundles the file again; the user's
   * packages are bundled in; no `require` banner (the second bundling adds it). Default false.
   */
  portable?: boolean;
}

export interface Bundle {
  /** file: URL of the bundled ES module (source maps inline, pointing at the user's files). */
  url: string;
  /** Absolute path of the user's script. */
  scriptPath: string;
  /** Removes the temporary bundle. */
  dispose(): Promise<void>;
}

/**
 * Bundles a user script (TypeScript or JavaScript) with esbuild into one ES module that Node can
 * import from a temporary directory:
 * - `volley`, `volley/http`, ... point to the Volley that runs it (so a script anywhere on disk works,
 *   and shares module state, e.g. the VU context, with the engine);
 * - the user's packages stay external but are resolved from the script's own directory (their own
 *   node_modules, with Node's conditions) and imported by absolute URL;
 * - relative imports, JSON and text files are bundled;
 * - a k6 script (a .js file importing `k6` or `k6/*`) runs as written: its k6 imports resolve to
 *   Volley's modules, and it and its local .js files are made asynchronous (./k6/transform.ts).
 * Types are not checked (as with tsx/esbuild); syntax errors are reported with file:line.
 */
export async function bundleScript(scriptPath: string, mode: BundleOptions = {}): Promise<Bundle> {
  const portable = mode.portable === true;
  const abs = resolve(scriptPath);
  if (!existsSync(abs)) throw new VolleyError('E_SCRIPT_NOT_FOUND', `script not found: ${scriptPath}`, { exitCode: ExitCode.ScriptException });
  checkScriptType(abs);
  let k6: Map<string, FileAnalysis> | undefined;
  if (/\.[mc]?js$/i.test(abs)) {
    let source: string | undefined;
    try {
      source = await readFile(abs, 'utf8');
    } catch {
      // esbuild reports the missing file below
    }
    // esbuild loads files by their real path: key the transformed files the same way, or a script
    // reached through a symlink would run untransformed (every http.* a pending promise).
    if (source !== undefined && importsK6(source)) k6 = new Map([...(await transformK6Program(abs))].map(([f, a]) => [realpathSync(f), a]));
  }
  const dir = await mkdtemp(join(tmpdir(), 'volley-'));
  const outfile = join(dir, 'script.mjs');
  let entry = abs;
  if (/\.ya?ml$/i.test(abs)) {
    try {
      entry = join(dir, 'artillery.ts');
      await writeFile(entry, await artilleryScript(abs));
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  }
  const plugin: Plugin = {
    name: 'volley-resolve',
    setup(b) {
      b.onResolve({ filter: /^volley(\/.*)?$/ }, (args) => {
        const sub = args.path === 'volley' ? '' : args.path.slice('volley/'.length);
        if (!PUBLIC_MODULES.has(sub)) {
          return { errors: [{ text: `"${args.path}" is not a Volley module (available: volley, ${[...PUBLIC_MODULES].filter(Boolean).map((m) => `volley/${m}`).join(', ')})` }] };
        }
        return portable ? { path: args.path, external: true } : { path: pathToFileURL(join(PUBLIC_DIR, `${sub || 'index'}.js`)).href, external: true };
      });
      // k6 modules and jslib URLs: Volley's own modules.
      b.onResolve({ filter: /^(k6(\/.*)?|https?:\/\/.*)$/ }, (args) => {
        if (!isK6Specifier(args.path)) return undefined;
        const r = resolveK6Import(args.path);
        if ('error' in r) return { errors: [{ text: r.error }] };
        const sub = r.module === 'volley' ? '' : r.module.slice('volley/'.length);
        if (portable) return { path: r.module, external: true };
        return { path: pathToFileURL(join(PUBLIC_DIR, `${sub || 'index'}.js`)).href, external: true };
      });
      if (k6) {
        const files = k6;
        b.onLoad({ filter: /\.[mc]?js$/ }, (args) => {
          const a = files.get(args.path);
          if (!a) return undefined;
          const map = Buffer.from(JSON.stringify(a.map)).toString('base64');
          return { contents: `${a.code}\n//# sourceMappingURL=data:application/json;base64,${map}\n`, loader: 'js', resolveDir: dirname(args.path) };
        });
      }
      // Bare package imports: resolve them as Node would from the importing file, keep them external.
      b.onResolve({ filter: /^[^./]|^\.[^./]|^\.\.[^/]/ }, async (args) => {
        if (portable || args.pluginData === 'volley-inner' || args.path.startsWith('node:')) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'volley-inner' });
        if (r.errors.length > 0) return { errors: r.errors };
        if (r.external || !r.path || r.namespace !== 'file') return undefined;
        if (!r.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
        return { path: pathToFileURL(r.path).href, external: true };
      });
    },
  };
  try {
    const result = await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: portable ? false : 'inline',
      sourcesContent: true,
      write: false,
      logLevel: 'silent',
      plugins: [plugin],
      loader: { '.txt': 'text', '.csv': 'text', '.html': 'text', '.bin': 'binary' },
      banner: { js: portable ? '' : "import { createRequire as __volleyCreateRequire } from 'node:module'; const require = __volleyCreateRequire(import.meta.url);" },
    });
    const out = result.outputFiles.find((f) => f.path.endsWith('.mjs')) ?? result.outputFiles[0]!;
    await writeFile(outfile, out.contents);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw bundleError(e, abs);
  }
  return {
    url: pathToFileURL(outfile).href,
    scriptPath: abs,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

function bundleError(e: unknown, scriptPath: string): VolleyError {
  const errors = (e as { errors?: Message[] }).errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const lines = errors.slice(0, 10).map((m) => {
      const loc = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
      const src = m.location?.lineText ? `\n    ${m.location.lineText}` : '';
      return `${loc}${m.text}${src}`;
    });
    const notFound = errors.some((m) => /Could not resolve/.test(m.text));
    return new VolleyError('E_SCRIPT_SYNTAX', `cannot load ${scriptPath}:\n  ${lines.join('\n  ')}`, {
      hint: notFound ? 'check the import path, or install the package next to your script (npm i ...)' : 'fix the script and run again',
      exitCode: ExitCode.ScriptException,
    });
  }
  if ((e as { code?: string }).code === 'ENOENT') {
    return new VolleyError('E_SCRIPT_NOT_FOUND', `script not found: ${scriptPath}`, { exitCode: ExitCode.ScriptException });
  }
  return new VolleyError('E_SCRIPT_SYNTAX', `cannot load ${scriptPath}: ${(e as Error).message}`, { exitCode: ExitCode.ScriptException });
}
