import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configError, suggest, type VolleyError } from '../errors/index.js';
import { targetConfigSchema, type NormalizedConfig, type TargetConfig } from './config.js';
import { KNOWN_KEYS, show } from './schema-kit.js';

/** Error code of every invalid target configuration (exit code 104, InvalidConfig). */
export const E_TARGET_CONFIG = 'E_TARGET_CONFIG';
const HINT = 'The target config format is described in docs/target.md (examples/target.yaml is a working example).';

/**
 * Validates a config object (from a file or from code), filling defaults and normalising units.
 * @param label names the source in messages: a file name, or "config" for code.
 * @throws VolleyError E_TARGET_CONFIG listing every problem as `label: path: message`.
 */
export function validateTargetConfig(input: unknown, label = 'config'): NormalizedConfig {
  const r = targetConfigSchema.safeParse(input ?? {}, { reportInput: true });
  if (r.success) return r.data;
  throw configIssuesError(label, r.error.issues);
}

/**
 * Reads and validates a target config file (YAML, or JSON which is valid YAML).
 * Returns the normalised config (durations in ms, sizes in bytes), which `startTarget({ config })` accepts.
 * @throws VolleyError E_TARGET_CONFIG (exit code 104) naming the file, and the field path when relevant.
 */
export async function loadTargetConfig(file: string): Promise<TargetConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw configError(E_TARGET_CONFIG, `${file}: cannot read the target config (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))})`, HINT);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw configError(E_TARGET_CONFIG, `${file}: not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`, HINT);
  }
  if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) {
    throw configError(E_TARGET_CONFIG, `${file}: expected a mapping with keys such as routes, stalls, concurrency`, HINT);
  }
  return validateTargetConfig(doc ?? {}, file);
}

/** Builds the VolleyError for a list of zod issues. */
export function configIssuesError(label: string, issues: readonly z.core.$ZodIssue[]): VolleyError {
  const lines = [...new Set(issues.flatMap((i) => formatIssue(i)))].map((l) => `${label}: ${l}`);
  return configError(E_TARGET_CONFIG, lines.join('\n'), HINT);
}

/** "routes[1].latency.lognormal.p99" */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out === '' ? String(k) : `.${String(k)}`;
  }
  return out;
}

function formatIssue(i: z.core.$ZodIssue): string[] {
  const at = (extra: PropertyKey[] = []) => {
    const p = formatPath([...i.path, ...extra]);
    return p === '' ? '' : `${p}: `;
  };
  switch (i.code) {
    case 'unrecognized_keys':
      return i.keys.map((k) => {
        const near = suggest(k, KNOWN_KEYS);
        return `${at([k])}unknown key${near && near !== k ? ` (did you mean "${near}"?)` : ''}`;
      });
    case 'invalid_type':
      if (i.input === undefined) return [`${at()}required`];
      return [`${at()}${i.message.startsWith('Invalid input') ? `expected ${article(i.expected)}` : i.message}, got ${show(i.input)}`];
    case 'invalid_union': {
      // Report the branch that got furthest (fewest issues), not zod's generic "Invalid input".
      const best = [...i.errors].sort((a, b) => a.length - b.length)[0];
      if (best && best.length > 0) return best.flatMap((sub) => formatIssue({ ...sub, path: [...i.path, ...sub.path] } as z.core.$ZodIssue));
      return [`${at()}invalid value`];
    }
    default:
      return [`${at()}${i.message}`];
  }
}

function article(t: string): string {
  if (t === 'array' || t === 'tuple') return 'a list';
  if (t === 'object' || t === 'record') return 'a mapping';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}
