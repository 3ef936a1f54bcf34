/**
 * Parsers for list-valued flags and variables: stages ("10s:5,20s:10"), KEY=VALUE lists (`-e`,
 * `--tag`) and `VOLLEY_TAGS` ("a:1,b:2"). The exported ones throw an InvalidOptionsError (exit code
 * 104) naming the flag; the `*Into` forms add problems to a list instead, so that
 * `resolveOptions()` can report them with everything else.
 */
import type { Stage } from './types.js';
import { Problems } from './problems.js';
import { parseDuration, parseInteger } from './values.js';

/**
 * Parses k6 stage syntax: comma-separated `DURATION:TARGET` items ("10s:5,1m:20,10s:0"), as in
 * `--stages` / `-s` and `VOLLEY_STAGES`. Durations
 * need a unit (k6 refuses "1000:20" too, since the order is easy to swap). An empty string is an
 * empty list (as k6's `--stage ""`, it explicitly clears stages).
 */
export function parseStagesInto(text: string, label: string, problems: Problems): Stage[] | undefined {
  const before = problems.size;
  const stages: Stage[] = [];
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 1 && items[0] === '') return stages;
  items.forEach((item, i) => {
    const where = `${label} (stage ${i + 1}${item === '' ? '' : `, "${item}"`})`;
    if (item === '') {
      problems.add(where, 'is empty; write DURATION:TARGET, e.g. "30s:10"');
      return;
    }
    const colon = item.indexOf(':');
    const durText = colon < 0 ? item : item.slice(0, colon);
    const targetText = colon < 0 ? '' : item.slice(colon + 1).trim();
    if (durText.trim() === '') {
      problems.add(where, 'has no duration; write DURATION:TARGET, e.g. "30s:10"');
      return;
    }
    const d = parseDuration(durText, 'reject');
    if (!d.ok) problems.add(where, d.message);
    if (targetText === '') {
      problems.add(where, `has no target; write DURATION:TARGET, e.g. "${durText.trim()}:10"`);
      return;
    }
    const t = parseInteger(targetText, 0, { fromString: true, message: 'the target must be a non-negative integer' });
    if (!t.ok) problems.add(where, t.message);
    if (d.ok && t.ok) stages.push({ durationMs: d.value, target: t.value });
  });
  return problems.size === before ? stages : undefined;
}

/**
 * Parses a `--stages` value ("10s:5,20s:10") into stages (durations in ms).
 * Throws an InvalidOptionsError (E_INVALID_OPTIONS, exit 104) listing every bad item.
 */
export function parseStagesFlag(text: string, label = '--stages'): Stage[] {
  const problems = new Problems();
  const stages = parseStagesInto(text, label, problems);
  problems.throwIfAny();
  return stages!;
}

/** k6's rule for `-e` names (internal/cmd/runtime_options.go). */
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Is `name` acceptable as an `-e NAME=VALUE` variable name (letters, digits, `_`, not starting with a digit)? */
export function isValidEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

export interface KeyValueOptions {
  /** Flag named in errors; default '--env'. */
  label?: string;
  /** When true, `KEY` or `KEY=` without a value is an error (k6 `--tag`); when false it means `KEY=""` (k6 `-e`). Default false. */
  requireValue?: boolean;
  /** Check names as environment variable names (default: true when label is '--env' or '-e'). */
  envNames?: boolean;
  /** Separators between key and value; default ['=']. `VOLLEY_TAGS` also accepts ':' as k6's K6_TAGS does. */
  separators?: readonly string[];
}

/**
 * Parses KEY=VALUE items into a map; later items win.
 * - An array (a repeatable flag's values) is one item per element, never split, so values may hold
 *   commas: `-e LIST=a,b`.
 * - A single string may hold several comma-separated items ("a=1,b=2"); a comma-separated piece
 *   without a separator continues the previous value ("LIST=a,b" is LIST → "a,b").
 */
export function parseKeyValueListInto(input: string | readonly string[], opts: KeyValueOptions, problems: Problems): Record<string, string> {
  const label = opts.label ?? '--env';
  const seps = opts.separators ?? ['='];
  const envNames = opts.envNames ?? (label === '--env' || label === '-e');
  const items: string[] = [];
  if (typeof input === 'string') {
    for (const piece of input.split(',')) {
      if (items.length > 0 && sepIndex(piece, seps) < 0) items[items.length - 1] += `,${piece}`;
      else items.push(piece);
    }
  } else {
    items.push(...input);
  }
  const out: Record<string, string> = {};
  for (const raw of items) {
    const item = typeof input === 'string' ? raw.trim() : raw;
    if (item === '') {
      if (typeof input !== 'string') problems.add(label, 'empty item; write KEY=VALUE');
      continue;
    }
    const at = sepIndex(item, seps);
    const key = at < 0 ? item : item.slice(0, at);
    const value = at < 0 ? '' : item.slice(at + 1);
    if (key === '') {
      problems.add(label, `"${item}" has no name; write KEY=VALUE`);
      continue;
    }
    if (opts.requireValue && value === '') {
      problems.add(label, `"${item}" has no value; write ${key}=VALUE`);
      continue;
    }
    if (envNames && !isValidEnvName(key)) {
      problems.add(label, `invalid variable name "${key}" (use letters, digits and _, not starting with a digit)`);
      continue;
    }
    out[key] = value;
  }
  return out;
}

function sepIndex(s: string, seps: readonly string[]): number {
  let best = -1;
  for (const sep of seps) {
    const i = s.indexOf(sep);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

/**
 * Parses `-e KEY=VALUE` / `--tag NAME=VALUE` values into a map (see parseKeyValueListInto for the
 * splitting rules). Throws an InvalidOptionsError naming `opts.label` on a malformed item.
 * Example: parseKeyValueList('a=b') → { a: 'b' }; parseKeyValueList(['A=1', 'B=x,y']) → { A: '1', B: 'x,y' }.
 */
export function parseKeyValueList(input: string | readonly string[], opts: KeyValueOptions = {}): Record<string, string> {
  const problems = new Problems();
  const out = parseKeyValueListInto(input, opts, problems);
  problems.throwIfAny();
  return out;
}
