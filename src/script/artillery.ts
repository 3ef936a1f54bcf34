import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { ExitCode, VolleyError } from '../errors/index.js';

/**
 * An Artillery test definition (YAML) as a Volley script: the definition, parsed, handed to
 * `volley/artillery` (which maps phases, flows, captures and expectations onto Volley). `volley
 * run test.yml` bundles this script; `volley convert artillery` writes it, so both stay in step.
 * `importFrom` is the directory the script will live in (the processor is imported relative to it).
 */
export async function artilleryScript(yamlPath: string, importFrom?: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(yamlPath, 'utf8');
  } catch {
    throw new VolleyError('E_SCRIPT_NOT_FOUND', `script not found: ${yamlPath}`, { exitCode: ExitCode.ScriptException });
  }
  let def: Record<string, unknown>;
  try {
    def = parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new VolleyError('E_SCRIPT_SYNTAX', `cannot load ${yamlPath}: ${(e as Error).message}`, { hint: 'fix the YAML and run again', exitCode: ExitCode.ScriptException });
  }
  const config = (def?.config ?? undefined) as Record<string, unknown> | undefined;
  if (!def || typeof def !== 'object' || !config || !Array.isArray(def.scenarios)) {
    throw new VolleyError('E_SCRIPT_SYNTAX', `${yamlPath} is not an Artillery test definition: it needs a config and a list of scenarios`, {
      hint: 'volley run takes TypeScript or JavaScript scripts, k6 scripts and Artillery YAML (docs/ways-in.md)',
      exitCode: ExitCode.ScriptException,
    });
  }
  for (const s of def.scenarios as Array<Record<string, unknown>>) {
    if (s.engine && s.engine !== 'http') {
      throw new VolleyError('E_ARTILLERY_ENGINE', `${yamlPath}: scenario "${String(s.name ?? '(unnamed)')}" uses Artillery's ${String(s.engine)} engine, which Volley does not support yet`, {
        hint: 'Volley runs Artillery HTTP scenarios; remove the scenario or run it with Artillery',
        exitCode: ExitCode.ScriptException,
      });
    }
  }
  const from = importFrom ?? dirname(yamlPath);
  // Payload files are opened relative to the script: point them at the YAML's own.
  if (importFrom) {
    for (const p of [config.payload ?? []].flat() as Array<Record<string, unknown>>) {
      if (typeof p.path === 'string') p.path = relative(from, resolve(dirname(yamlPath), p.path));
    }
  }
  let processorImport = '';
  if (typeof config.processor === 'string') {
    const abs = resolve(dirname(yamlPath), config.processor);
    let spec = relative(from, abs);
    if (!spec.startsWith('.')) spec = `./${spec}`;
    processorImport = `import * as processor from ${JSON.stringify(importFrom ? spec : abs)};\n`;
  }
  return `// From ${relative(from, yamlPath) || yamlPath} (Artillery) by Volley: volley/artillery maps its phases, flows,
// captures and expectations onto Volley (docs/ways-in.md).
import { artillery } from 'volley/artillery';
${processorImport}
const test = artillery(${JSON.stringify(def, null, 2)}${processorImport ? ', processor as never' : ''});

export const options = test.options;
export default test.run;
${def.before ? 'export const setup = test.setup;\n' : ''}${def.after ? 'export const teardown = test.teardown;\n' : ''}`;
}
