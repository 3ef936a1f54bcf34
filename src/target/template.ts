import { randomUUID } from 'node:crypto';
import { suggest } from '../errors/index.js';

/**
 * Response templates: text with `{{ variable }}` placeholders, compiled once per route into static
 * parts and variable getters, rendered per request by concatenation (no regex, no parsing per request).
 *
 * Variables:
 *   requestId      the response's x-request-id
 *   method, path   request method and path (without query string)
 *   params.NAME    a path parameter (`/items/:id` → params.id)
 *   query.NAME     a query-string parameter ('' when absent)
 *   headers.NAME   a request header, lower-case name ('' when absent)
 *   body.A.B       a field of the JSON request body (routes that parse JSON bodies)
 *   seq            a counter: request number on the route, event number in an SSE stream
 *   now            ISO-8601 time; timestamp: epoch milliseconds
 *   uuid           a random UUID v4
 */

/** What a template reads from the request being answered (implemented by the server's response). */
export interface TemplateSource {
  readonly requestId: string;
  readonly method: string;
  readonly pathname: string;
  readonly params: Record<string, string> | null;
  readonly jsonBody: unknown;
  readonly seq: number;
  queryParam(name: string): string;
  header(name: string): string;
}

const enum V {
  RequestId,
  Method,
  Path,
  Param,
  Query,
  Header,
  Body,
  Seq,
  Now,
  Timestamp,
  Uuid,
}

const SIMPLE: Record<string, V> = {
  requestId: V.RequestId,
  method: V.Method,
  path: V.Path,
  seq: V.Seq,
  now: V.Now,
  timestamp: V.Timestamp,
  uuid: V.Uuid,
};
const PREFIXED: Record<string, V> = { params: V.Param, query: V.Query, headers: V.Header, body: V.Body };
const ALL_NAMES = [...Object.keys(SIMPLE), 'params.NAME', 'query.NAME', 'headers.NAME', 'body.FIELD'];

/** A compiled template. `isStatic` when it has no placeholders (then render is never needed). */
export interface Template {
  readonly isStatic: boolean;
  /** Variable names used ("params.id"...), to check them against the route. */
  readonly variables: readonly string[];
  /** Renders; with `jsonEscape`, values are escaped for a JSON string literal. */
  render(src: TemplateSource, jsonEscape: boolean): string;
}

class Compiled implements Template {
  readonly isStatic: boolean;
  constructor(
    private readonly parts: string[],
    private readonly kinds: V[],
    private readonly names: string[],
    private readonly paths: (string[] | null)[],
    readonly variables: string[],
  ) {
    this.isStatic = kinds.length === 0;
  }

  render(src: TemplateSource, jsonEscape: boolean): string {
    const parts = this.parts;
    let out = parts[0]!;
    for (let i = 0; i < this.kinds.length; i++) {
      const v = value(src, this.kinds[i]!, this.names[i]!, this.paths[i]!);
      out += (jsonEscape ? escapeJsonString(v) : v) + parts[i + 1]!;
    }
    return out;
  }
}

function value(src: TemplateSource, kind: V, name: string, path: string[] | null): string {
  switch (kind) {
    case V.RequestId:
      return src.requestId;
    case V.Method:
      return src.method;
    case V.Path:
      return src.pathname;
    case V.Param:
      return src.params?.[name] ?? '';
    case V.Query:
      return src.queryParam(name);
    case V.Header:
      return src.header(name);
    case V.Body: {
      let cur: unknown = src.jsonBody;
      for (const k of path!) {
        if (cur === null || typeof cur !== 'object') return '';
        cur = (cur as Record<string, unknown>)[k];
      }
      if (cur === undefined || cur === null) return '';
      return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
    }
    case V.Seq:
      return String(src.seq);
    case V.Now:
      return new Date().toISOString();
    case V.Timestamp:
      return String(Date.now());
    case V.Uuid:
      return randomUUID();
  }
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;

/** Escapes a value for the inside of a JSON string literal; no allocation when nothing needs escaping. */
export function escapeJsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s).slice(1, -1) : s;
}

/** Compiles a template, or returns an error message naming the bad placeholder. */
export function compileTemplate(text: string): Template | { error: string } {
  const parts: string[] = [];
  const kinds: V[] = [];
  const names: string[] = [];
  const paths: (string[] | null)[] = [];
  const variables: string[] = [];
  let pos = 0;
  for (;;) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return { error: `unclosed "{{" at character ${open}` };
    const expr = text.slice(open + 2, close).trim();
    const dot = expr.indexOf('.');
    let kind: V | undefined;
    let name = '';
    let path: string[] | null = null;
    if (dot < 0) kind = SIMPLE[expr];
    else {
      kind = PREFIXED[expr.slice(0, dot)];
      name = expr.slice(dot + 1);
      if (name === '') kind = undefined;
      if (kind === V.Header) name = name.toLowerCase();
      if (kind === V.Body) path = name.split('.');
    }
    if (kind === undefined) {
      const near = suggest(expr, [...Object.keys(SIMPLE), ...Object.keys(PREFIXED).map((p) => `${p}.${name || 'id'}`)]);
      return { error: `unknown template variable "{{${expr}}}"${near ? ` (did you mean "{{${near}}}"?)` : ''}; known: ${ALL_NAMES.join(', ')}` };
    }
    parts.push(text.slice(pos, open));
    kinds.push(kind);
    names.push(name);
    paths.push(path);
    variables.push(expr);
    pos = close + 2;
  }
  parts.push(text.slice(pos));
  return new Compiled(parts, kinds, names, paths, variables);
}
