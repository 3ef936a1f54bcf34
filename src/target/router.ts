/**
 * Route matching, compiled once. Exact paths are a Map lookup (method → path → entry); paths with
 * parameters are checked in declaration order by walking the request path with indexOf/startsWith
 * (no regex, no split, no allocation unless the route matches and has parameters).
 *
 * Precedence: exact paths beat parameterised ones; among parameterised paths the first declared wins;
 * method-specific routes beat `*` routes; HEAD falls back to GET. A trailing slash is ignored.
 */

/** A parsed path pattern: "/api/items/:id", "/files/*" (rest of the path, as params['*']). */
export interface PathPattern {
  /** Literal text per segment ('' for parameters). */
  readonly literals: string[];
  /** 0 = literal, 1 = :param, 2 = * (rest, last only). */
  readonly kinds: number[];
  /** Parameter name per segment ('' for literals). */
  readonly names: string[];
  readonly params: string[];
  readonly isStatic: boolean;
  /** The path without a trailing slash. */
  readonly normalized: string;
}

const LIT = 0;
const PARAM = 1;
const REST = 2;

/** Parses a route path, or returns a message saying what is wrong with it. */
export function parsePathPattern(path: string): PathPattern | { error: string } {
  if (!path.startsWith('/')) return { error: `must start with "/", got "${path}"` };
  if (/[?#\s]/.test(path)) return { error: 'must not contain "?", "#" or spaces (query strings are matched by the route without them)' };
  const normalized = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segs = normalized === '/' ? [] : normalized.slice(1).split('/');
  const literals: string[] = [];
  const kinds: number[] = [];
  const names: string[] = [];
  const params: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (s === '') return { error: `empty segment in "${path}" (double slash)` };
    if (s === '*') {
      if (i !== segs.length - 1) return { error: '"*" is only allowed as the last segment' };
      literals.push('');
      kinds.push(REST);
      names.push('*');
      params.push('*');
    } else if (s.startsWith(':')) {
      const name = s.slice(1);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { error: `bad parameter name "${s}" (use letters, digits and _)` };
      if (params.includes(name)) return { error: `parameter :${name} appears twice` };
      literals.push('');
      kinds.push(PARAM);
      names.push(name);
      params.push(name);
    } else {
      literals.push(s);
      kinds.push(LIT);
      names.push('');
    }
  }
  return { literals, kinds, names, params, isStatic: params.length === 0, normalized };
}

interface DynamicEntry<T> {
  readonly pattern: PathPattern;
  readonly value: T;
}

/** Routes of one method. */
interface Table<T> {
  exact: Map<string, T>;
  dynamic: DynamicEntry<T>[];
}

/** Thrown by `match` when a path parameter has bad percent-encoding (the server answers 400). */
export class BadPathError extends Error {}

/** Routes → values (compiled routes), matched per request. */
export class Router<T> {
  private readonly tables = new Map<string, Table<T>>();
  /** Parameters of the last successful `match` (null for exact routes); read it right after matching. */
  params: Record<string, string> | null = null;

  /** Adds a route; method '*' matches any method. Throws on an invalid pattern (validated earlier). */
  add(method: string, path: string, value: T): void {
    const p = parsePathPattern(path);
    if ('error' in p) throw new Error(`invalid route path ${path}: ${p.error}`);
    let t = this.tables.get(method);
    if (!t) this.tables.set(method, (t = { exact: new Map(), dynamic: [] }));
    if (p.isStatic) {
      if (!t.exact.has(p.normalized)) t.exact.set(p.normalized, value);
    } else t.dynamic.push({ pattern: p, value });
  }

  /**
   * The route for `method` and `path` (path without query string), or undefined. On success
   * `this.params` holds the decoded parameters. Throws BadPathError on malformed percent-encoding.
   */
  match(method: string, path: string): T | undefined {
    if (path.length > 1 && path.charCodeAt(path.length - 1) === 47 /* / */) path = path.slice(0, -1);
    const t = this.tables.get(method);
    let v = t === undefined ? undefined : this.matchTable(t, path);
    if (v === undefined && method === 'HEAD') {
      const g = this.tables.get('GET');
      if (g !== undefined) v = this.matchTable(g, path);
    }
    if (v === undefined) {
      const any = this.tables.get('*');
      if (any !== undefined) v = this.matchTable(any, path);
    }
    return v;
  }

  /** Methods that have a route for `path` (for 405 answers' Allow header); slow path only. */
  allowedMethods(path: string): string[] {
    const out: string[] = [];
    for (const [m, t] of this.tables) if (m !== '*' && this.matchTable(t, path) !== undefined) out.push(m);
    return out;
  }

  private matchTable(t: Table<T>, path: string): T | undefined {
    const v = t.exact.get(path);
    if (v !== undefined) {
      this.params = null;
      return v;
    }
    const dyn = t.dynamic;
    for (let i = 0; i < dyn.length; i++) {
      const e = dyn[i]!;
      if (matchPattern(e.pattern, path)) {
        this.params = extractParams(e.pattern, path);
        return e.value;
      }
    }
    return undefined;
  }
}

/** Does `path` match? Allocation-free walk over the segments. */
function matchPattern(p: PathPattern, path: string): boolean {
  const n = p.kinds.length;
  let pos = 1;
  for (let i = 0; i < n; i++) {
    const kind = p.kinds[i]!;
    if (kind === REST) return pos <= path.length;
    if (pos > path.length) return false;
    let end = path.indexOf('/', pos);
    if (end < 0) end = path.length;
    if (kind === LIT) {
      const lit = p.literals[i]!;
      if (end - pos !== lit.length || !path.startsWith(lit, pos)) return false;
    } else if (end === pos) return false;
    pos = end + 1;
  }
  return pos === path.length + 1;
}

function extractParams(p: PathPattern, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 1;
  for (let i = 0; i < p.kinds.length; i++) {
    let end = p.kinds[i] === REST ? path.length : path.indexOf('/', pos);
    if (end < 0) end = path.length;
    if (p.kinds[i] !== LIT) out[p.names[i]!] = decode(pos <= path.length ? path.slice(pos, end) : '');
    pos = end + 1;
  }
  return out;
}

function decode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    throw new BadPathError(`bad percent-encoding in "${s}"`);
  }
}
