import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { isK6Specifier, resolveK6Import } from '../script/k6/modules.js';
import { transformK6Program } from '../script/k6/program.js';
import { ExitCode, VolleyError } from '../errors/index.js';

/**
 * `volley convert k6 in.js -o out.ts`: the port `volley run` makes of a k6 script, written out as a
 * Volley script (imports from volley/*, `async`/`await` where Node needs them) for users who move
 * over for good. Local modules the script imports are ported too when they use k6: each is written
 * next to the output as `<name>.volley.js` and the import is pointed at it.
 */
export async function convertK6(input: string, output: string): Promise<string[]> {
  const entry = resolve(input);
  try {
    await readFile(entry, 'utf8');
  } catch {
    throw new VolleyError('E_CONVERT_INPUT', `cannot read ${input}`, { hint: 'give the path of the k6 script', exitCode: ExitCode.InvalidConfig });
  }
  const out = resolve(output);
  const renamed = new Map<string, string>();
  const rewriteImport = (spec: string): string | undefined => {
    if (isK6Specifier(spec)) {
      const r = resolveK6Import(spec);
      if ('error' in r) throw new VolleyError('E_CONVERT_IMPORT', `${input}: ${r.error}`, { exitCode: ExitCode.ScriptException });
      return r.module;
    }
    return renamed.get(spec);
  };
  // First pass finds the local files; the second rewrites their imports to the ported copies.
  const first = await transformK6Program(entry);
  for (const [file, a] of first) {
    if (file === entry) continue;
    if (!a.changed && !/['"]k6/.test(a.code)) continue;
    renamed.set(file, resolve(dirname(out), `${basename(file).replace(/\.[mc]?js$/, '')}.volley.js`));
  }
  const specFor = new Map<string, string>();
  for (const [file, a] of first) for (const spec of a.localImports) {
    const target = resolve(dirname(file), spec);
    for (const [orig, port] of renamed) if (orig === target || orig === `${target}.js`) specFor.set(spec, `./${relative(dirname(out), port)}`);
  }
  const files = await transformK6Program(entry, { rewriteImport: (spec) => rewriteImport(spec) ?? specFor.get(spec) });
  const written: string[] = [];
  for (const [file, a] of files) {
    const dest = file === entry ? out : renamed.get(file);
    if (!dest) continue;
    const header = `// Ported from ${relative(dirname(dest), file) || basename(file)} by \`volley convert k6\`: k6/* imports point at volley/*,\n// and http.*, sleep() and group() (Volley's return promises) are awaited.\n`;
    await writeFile(dest, header + a.code);
    written.push(dest);
  }
  return written;
}
