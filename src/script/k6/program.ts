import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ExitCode, VolleyError } from '../../errors/index.js';
import { transformK6Source, type FileAnalysis, type TransformOptions } from './transform.js';

/** The rounds of the cross-file pass; a longer chain of files calling each other is not followed. */
const MAX_ROUNDS = 8;

/**
 * Transforms a k6 script and the local JavaScript files it imports (transitively), so that a
 * function imported from `./lib.js` that becomes async is awaited where it is called. Returns each
 * file's transformed source by absolute path. Throws a VolleyError (exit 107) naming file, line and
 * construct for what cannot be converted, and for syntax errors.
 */
export async function transformK6Program(entry: string, opts: Pick<TransformOptions, 'rewriteImport'> = {}): Promise<Map<string, FileAnalysis>> {
  const sources = new Map<string, string>();
  const result = new Map<string, FileAnalysis>();
  const pending = [resolve(entry)];
  // Reads every local .js file reachable from the entry.
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (sources.has(file)) continue;
    sources.set(file, await readFile(file, 'utf8'));
    const a = analyse(file, sources.get(file)!, result, opts);
    for (const spec of a.localImports) {
      const dep = await resolveLocal(file, spec);
      if (dep && !sources.has(dep)) pending.push(dep);
    }
    result.set(file, a);
  }
  // Re-analyses until the async exports stop changing.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (const [file, src] of sources) {
      const before = [...result.get(file)!.asyncExports].sort().join();
      const a = analyse(file, src, result, opts);
      result.set(file, a);
      if ([...a.asyncExports].sort().join() !== before) changed = true;
    }
    if (!changed) break;
  }
  const problems = [...result].flatMap(([file, a]) => a.problems.map((p) => `${file}:${p.line}:${p.column}: ${p.construct}\n      fix: ${p.fix}`));
  if (problems.length > 0) {
    throw new VolleyError('E_K6_ASYNC', `cannot run this k6 script as written:\n  ${problems.slice(0, 10).join('\n  ')}`, {
      hint: "Volley's http.*, sleep() and group() return promises; the callers above cannot wait for one. Apply the fix, or port the script with `volley convert k6` and finish it by hand",
      exitCode: ExitCode.ScriptException,
    });
  }
  return result;
}

const resolvedCache = new Map<string, string | undefined>();

function analyse(file: string, source: string, known: Map<string, FileAnalysis>, opts: Pick<TransformOptions, 'rewriteImport'>): FileAnalysis {
  try {
    return transformK6Source(source, file, {
      ...opts,
      importedModule: (spec) => {
        const dep = resolvedCache.get(`${file}\0${spec}`);
        return dep ? known.get(dep) : undefined;
      },
    });
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    if (!loc) throw e;
    const line = source.split('\n')[loc.line - 1] ?? '';
    throw new VolleyError('E_SCRIPT_SYNTAX', `cannot load ${file}:\n  ${file}:${loc.line}:${loc.column + 1}: ${(e as Error).message.replace(/ \(\d+:\d+\)$/, '')}\n    ${line}`, {
      hint: 'fix the script and run again',
      exitCode: ExitCode.ScriptException,
    });
  }
}

async function resolveLocal(from: string, spec: string): Promise<string | undefined> {
  const key = `${from}\0${spec}`;
  if (resolvedCache.has(key)) return resolvedCache.get(key);
  const base = resolve(dirname(from), spec);
  let found: string | undefined;
  for (const c of [base, `${base}.js`, `${base}.mjs`, resolve(base, 'index.js')]) {
    if (!/\.[mc]?js$/.test(c)) continue;
    try {
      if ((await stat(c)).isFile()) {
        found = c;
        break;
      }
    } catch {
      // try the next candidate
    }
  }
  resolvedCache.set(key, found);
  return found;
}
