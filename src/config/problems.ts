/**
 * Collecting configuration problems. Validation never stops at the first problem: every check adds
 * to a `Problems` list, and `resolveOptions()` throws one `InvalidOptionsError` listing them all,
 * each prefixed with where the bad value came from (`options.scenarios.x.duration`, `--vus`,
 * `VOLLEY_DURATION`).
 */
import type { core } from 'zod';
import { VolleyError, ExitCode } from '../errors/index.js';

export type PathSegment = string | number;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends path segments JS-style: identifiers with a dot, indexes and other keys in brackets.
 * formatPath('options', ['thresholds', 'http_req_duration{route:/a}', 0])
 *   → 'options.thresholds["http_req_duration{route:/a}"][0]'
 */
export function formatPath(base: string, segs: readonly PathSegment[]): string {
  let out = base;
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Error code of every options problem. */
export const INVALID_OPTIONS = 'E_INVALID_OPTIONS';

/**
 * The error `resolveOptions()` throws: exit code 104 (k6's InvalidConfig), a message with one line
 * per problem, and the problems themselves for programmatic use.
 */
export class InvalidOptionsError extends VolleyError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], hint?: string) {
    const head = problems.length === 1 ? 'Invalid options:' : `Invalid options (${problems.length} problems):`;
    super(INVALID_OPTIONS, `${head}\n${problems.map((p) => `  - ${p}`).join('\n')}`, { hint, exitCode: ExitCode.InvalidConfig });
    this.problems = problems;
  }
}

/** An ordered list of "where: what" problems. */
export class Problems {
  readonly list: string[] = [];

  /** Adds a problem; an identical one already listed is not repeated. */
  add(where: string, message: string): void {
    const line = where === '' ? message : `${where}: ${message}`;
    if (!this.list.includes(line)) this.list.push(line);
  }

  get size(): number {
    return this.list.length;
  }

  /**
   * Adds zod issues. `where` turns an issue path into the user-facing location; `unknownKey`
   * writes the complaint about one unrecognised key at a path (with a suggestion).
   */
  addZod(
    issues: readonly core.$ZodIssue[],
    where: (path: readonly PathSegment[]) => string,
    unknownKey: (path: readonly PathSegment[], key: string) => string,
  ): void {
    for (const issue of issues) {
      const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) this.add(where([...path, key]), unknownKey(path, key));
      } else if (issue.code === 'invalid_type') {
        this.add(where(path), `must be ${article(issue.expected)}`);
      } else {
        this.add(where(path), issue.message);
      }
    }
  }

  /** Throws an InvalidOptionsError when any problem was added. */
  throwIfAny(hint?: string): void {
    if (this.list.length > 0) throw new InvalidOptionsError(this.list, hint);
  }
}

function article(expected: string): string {
  if (expected === 'object' || expected === 'array' || expected === 'integer') return `an ${expected}`;
  return `a ${expected}`;
}
