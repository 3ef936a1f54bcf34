/**
 * Runs a k6 script as written: k6's `http.*`, `sleep` and `group` block the VU, Volley's return
 * promises. This transform makes the script asynchronous where Node needs it — every function that
 * reaches one of those calls (directly, or through the file's own functions, transitively, and
 * through functions imported from the script's other local files) becomes `async`, and each such
 * call is awaited. `check` predicates stay synchronous.
 *
 * Parser: acorn (the parser of webpack, Rollup and ESLint's espree; ESTree AST, no dependencies),
 * walked with acorn-walk, edited in place with magic-string so that everything we do not touch
 * keeps its text and a source map points each line back at the user's file. We edit text rather than
 * regenerate it (Babel's generator) so that `volley convert k6` output reads like the original.
 *
 * What cannot be made asynchronous safely is an error naming the file, line and construct, with the
 * fix: such a call inside a callback of a synchronous API (`forEach`, `map`, `sort`…), a getter, a
 * setter, a constructor, a generator or a `check` predicate.
 */
import { parse, type Node } from 'acorn';
import { fullAncestor } from 'acorn-walk';
import MagicString from 'magic-string';

/** k6/http functions that return a promise in volley/http. */
export const HTTP_ASYNC: ReadonlySet<string> = new Set(['request', 'get', 'head', 'post', 'put', 'patch', 'del', 'options', 'batch']);
/** Methods of jslib httpx's `Httpx` session that return a promise in Volley (public/jslib/httpx.ts). */
const HTTPX_ASYNC: ReadonlySet<string> = new Set(['request', 'get', 'head', 'options', 'post', 'put', 'patch', 'delete', 'batch']);
/** k6 browser's `browser` methods that return a promise in volley/browser (synchronous in k6/experimental/browser before k6 0.52). */
const BROWSER_ASYNC: ReadonlySet<string> = new Set(['newPage', 'newContext', 'closeContext']);
/** Response methods that return a promise in volley/http. */
/** k6/ws: `connect` blocks until the socket closes in k6; a promise here. */
const WS_ASYNC: ReadonlySet<string> = new Set(['connect']);
/** xk6-sse: `open` blocks until the stream is over in k6; a promise here. */
const SSE_ASYNC: ReadonlySet<string> = new Set(['open']);
const RESPONSE_ASYNC: ReadonlySet<string> = new Set(['submitForm', 'clickLink']);
/** Calls whose function argument may be async: they wait for it or ignore its result. */
const ASYNC_CALLBACK_TAKERS: ReadonlySet<string> = new Set(['then', 'catch', 'finally', 'setTimeout', 'setInterval']);

// ESTree nodes, loosely typed: acorn's own types are a union that would need a cast at every step.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type N = Node & Record<string, any>;

/** One problem the transform cannot fix by itself. */
export interface TransformProblem {
  line: number;
  column: number;
  construct: string;
  fix: string;
}

/** What one file's analysis needs from the files it imports. */
export interface ModuleAsyncInfo {
  /** Exported names (`default` included) of functions this transform makes async. */
  asyncExports: Set<string>;
}

export interface FileAnalysis {
  /** Relative import specifiers of this file (for the cross-file pass). */
  localImports: string[];
  asyncExports: Set<string>;
  problems: TransformProblem[];
  /** The transformed source and its source map (null when nothing changed and no rewrite asked). */
  code: string;
  map: ReturnType<MagicString['generateMap']>;
  changed: boolean;
}

interface FnInfo {
  node: N;
  name?: string;
  methodName?: string;
  kind: 'function' | 'method' | 'get' | 'set' | 'constructor';
  parent?: N;
  calls: Array<{ call: N; parent: N }>;
  marked: boolean;
}

export interface TransformOptions {
  /** Rewrites `k6/*` (and jslib) import specifiers with this map, for `volley convert k6`. */
  rewriteImport?: (specifier: string) => string | undefined;
  /** For a relative import: the async exports of that module (cross-file analysis). */
  importedModule?: (specifier: string) => ModuleAsyncInfo | undefined;
}

/** Parses and transforms one file. Throws a SyntaxError-like error (with `loc`) on bad syntax. */
export function transformK6Source(source: string, file: string, opts: TransformOptions = {}): FileAnalysis {
  const ast = parse(source, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    locations: true,
    allowHashBang: true,
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: false,
  }) as unknown as N;
  const s = new MagicString(source);

  // 1. Imports: which local names are k6's blocking calls.
  const asyncIds = new Set<string>();
  const checkIds = new Set<string>();
  const groupIds = new Set<string>();
  const nsAsync = new Map<string, Set<string>>();
  const localImports: string[] = [];
  /** Local names of jslib httpx's `Httpx` class: variables holding `new Httpx(...)` are sessions. */
  const httpxClasses = new Set<string>();
  for (const stmt of ast.body as N[]) {
    if (stmt.type !== 'ImportDeclaration' && !((stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportAllDeclaration') && stmt.source)) continue;
    const spec = String(stmt.source.value);
    const replaced = opts.rewriteImport?.(spec);
    if (replaced !== undefined && replaced !== spec) s.overwrite(stmt.source.start, stmt.source.end, JSON.stringify(replaced).replace(/"/g, "'"));
    if (stmt.type !== 'ImportDeclaration') continue;
    let named: ReadonlySet<string> | undefined;
    if (spec === 'k6') named = new Set(['sleep', 'group']);
    else if (spec === 'k6/http') named = HTTP_ASYNC;
    else if (spec === 'k6/ws') named = WS_ASYNC;
    else if (spec === 'k6/x/sse') named = SSE_ASYNC;
    else if (/k6chaijs/.test(spec)) named = new Set(['describe']);
    else if (spec.startsWith('.')) {
      localImports.push(spec);
      named = opts.importedModule?.(spec)?.asyncExports;
    }
    for (const sp of stmt.specifiers as N[]) {
      const local = sp.local.name as string;
      if (sp.type === 'ImportSpecifier') {
        const imported = (sp.imported.name ?? sp.imported.value) as string;
        if (named?.has(imported)) asyncIds.add(local);
        if (/jslib\.k6\.io\/httpx\//.test(spec) && imported === 'Httpx') httpxClasses.add(local);
        if ((spec === 'k6/browser' || spec === 'k6/experimental/browser') && imported === 'browser') nsAsync.set(local, new Set(BROWSER_ASYNC));
        if (spec === 'k6' && imported === 'check') checkIds.add(local);
        if ((spec === 'k6' && imported === 'group') || (/k6chaijs/.test(spec) && imported === 'describe')) groupIds.add(local);
      } else if (sp.type === 'ImportDefaultSpecifier' && spec !== 'k6/http' && spec !== 'k6' && spec !== 'k6/ws' && spec !== 'k6/x/sse') {
        if (named?.has('default')) asyncIds.add(local);
      } else if (named) {
        nsAsync.set(local, new Set(named));
      }
    }
  }

  // Sessions: `const session = new Httpx(...)` makes `session.get(...)` and its siblings blocking calls.
  if (httpxClasses.size > 0) {
    fullAncestor(ast, (node: Node) => {
      const n = node as N;
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init?.type === 'NewExpression' && n.init.callee.type === 'Identifier' && httpxClasses.has(n.init.callee.name)) {
        nsAsync.set(n.id.name as string, new Set(HTTPX_ASYNC));
      }
    });
  }

  // 2. Functions, and the calls directly inside each (not inside a nested function).
  const fns = new Map<N, FnInfo>();
  const top: FnInfo = { node: ast, kind: 'function', calls: [], marked: true };
  const isFn = (n: N): boolean => n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
  fullAncestor(ast, (node: Node, _st: unknown, ancestors: Node[]) => {
    const n = node as N;
    const parent = ancestors[ancestors.length - 2] as N | undefined;
    // acorn-walk calls back after a node's children: a function's info may exist already.
    if (isFn(n) && !fns.has(n)) fns.set(n, describeFn(n, parent));
    if (n.type === 'CallExpression' && parent) {
      let owner = top;
      for (let i = ancestors.length - 2; i >= 0; i--) {
        const a = ancestors[i] as N;
        if (isFn(a)) {
          owner = fns.get(a) ?? describeFn(a, ancestors[i - 1] as N | undefined);
          fns.set(a, owner);
          break;
        }
      }
      owner.calls.push({ call: n, parent });
    }
  });

  // 3. Which calls block in k6, to a fixed point through the file's own functions.
  const asyncFnNames = new Set<string>();
  const asyncMethodNames = new Set<string>();
  const isAsyncCall = (call: N): boolean => {
    const c = call.callee as N;
    if (c.type === 'Identifier') return asyncIds.has(c.name) || asyncFnNames.has(c.name);
    if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier') {
      const p = c.property.name as string;
      if (c.object.type === 'Identifier' && nsAsync.has(c.object.name)) return nsAsync.get(c.object.name)!.has(p);
      return RESPONSE_ASYNC.has(p) || asyncMethodNames.has(p);
    }
    return false;
  };
  const list = [...fns.values()];
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of list) {
      if (f.marked || f.node.async) continue;
      if (!f.calls.some((c) => isAsyncCall(c.call))) continue;
      f.marked = true;
      changed = true;
      if (f.name) asyncFnNames.add(f.name);
      if (f.methodName) asyncMethodNames.add(f.methodName);
    }
  }

  // 4. Check that each function made async may be, then edit.
  const problems: TransformProblem[] = [];
  const problem = (n: N, construct: string, fix: string): void => {
    problems.push({ line: n.loc!.start.line, column: n.loc!.start.column + 1, construct, fix });
  };
  const firstAsyncCall = (f: FnInfo): string => {
    const c = f.calls.find((x) => isAsyncCall(x.call))!.call;
    return `${source.slice(c.callee.start, c.callee.end)}()`;
  };
  for (const f of list) {
    if (!f.marked) continue;
    const what = firstAsyncCall(f);
    if (f.kind === 'get' || f.kind === 'set' || f.kind === 'constructor') {
      problem(f.node, `a ${f.kind === 'constructor' ? 'constructor' : `${f.kind}ter`} that calls ${what}`, `Volley's ${what} returns a promise, which a ${f.kind === 'constructor' ? 'constructor' : `${f.kind}ter`} cannot wait for: move the call into an ordinary function or method`);
      continue;
    }
    if (f.node.generator) {
      problem(f.node, `a generator function that calls ${what}`, 'make it an ordinary function that returns an array');
      continue;
    }
    const p = f.parent;
    if (p && (p.type === 'CallExpression' || p.type === 'NewExpression') && p.arguments.includes(f.node)) {
      const callee = p.callee as N;
      const calleeName = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && !callee.computed ? callee.property.name : '';
      const ok = (callee.type === 'Identifier' && groupIds.has(callee.name)) ||
        (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && nsAsync.get(callee.object.name)?.has('group') && calleeName === 'group') ||
        ASYNC_CALLBACK_TAKERS.has(calleeName);
      if (!ok) {
        const text = source.slice(callee.start, callee.end);
        problem(f.node, `a callback passed to ${text.length > 40 ? `${text.slice(0, 37)}...` : text}() calls ${what}`,
          `${text}() does not wait for an async callback: rewrite it as a for...of loop (or a plain loop) around the call`);
        continue;
      }
    }
    if (p && p.type === 'Property' && isCheckPredicate(p)) {
      problem(f.node, `a check predicate calls ${what}`, 'make the request before check() and check its response');
      continue;
    }
    s.appendLeft(asyncInsertPoint(f, source), 'async ');
  }
  function isCheckPredicate(prop: N): boolean {
    // Property -> ObjectExpression -> argument of check(); found by position among the call nodes.
    for (const f of [top, ...list]) {
      for (const { call } of f.calls) {
        if (call.callee.type === 'Identifier' && checkIds.has(call.callee.name) && call.arguments.some((a: N) => a.type === 'ObjectExpression' && a.properties.includes(prop))) return true;
      }
    }
    return false;
  }

  const awaits: Array<{ call: N; parent: N }> = [];
  for (const f of [top, ...list]) {
    if (!f.marked && !f.node.async) continue;
    for (const c of f.calls) if (isAsyncCall(c.call) && c.parent.type !== 'AwaitExpression') awaits.push(c);
  }
  // Outer calls first, so that `http.get(u).clickLink()` becomes `await (await http.get(u)).clickLink()`.
  awaits.sort((a, b) => a.call.start - b.call.start || b.call.end - a.call.end);
  for (const { call, parent } of awaits) {
    const wrap = (parent.type === 'MemberExpression' && parent.object === call) ||
      ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.callee === call) ||
      (parent.type === 'TaggedTemplateExpression' && parent.tag === call) ||
      (parent.type === 'BinaryExpression' && parent.operator === '**' && parent.left === call);
    if (wrap) {
      s.appendLeft(call.start, '(await ');
      s.appendRight(call.end, ')');
    } else {
      s.appendLeft(call.start, 'await ');
    }
  }

  // 5. Exports that became async, for the files importing this one.
  const asyncExports = new Set<string>();
  const localAsync = (name: string): boolean => asyncFnNames.has(name);
  for (const stmt of ast.body as N[]) {
    if (stmt.type === 'ExportNamedDeclaration') {
      const d = stmt.declaration as N | null;
      if (d?.type === 'FunctionDeclaration' && fns.get(d)?.marked) asyncExports.add(d.id.name);
      if (d?.type === 'VariableDeclaration') for (const v of d.declarations as N[]) if (v.id.type === 'Identifier' && v.init && fns.get(v.init)?.marked) asyncExports.add(v.id.name);
      if (!stmt.source) for (const sp of stmt.specifiers as N[]) if (localAsync(sp.local.name)) asyncExports.add(sp.exported.name ?? sp.exported.value);
    } else if (stmt.type === 'ExportDefaultDeclaration') {
      const d = stmt.declaration as N;
      if (fns.get(d)?.marked || (d.type === 'Identifier' && localAsync(d.name))) asyncExports.add('default');
    }
  }

  const changed = s.hasChanged();
  return {
    localImports,
    asyncExports,
    problems,
    code: s.toString(),
    map: s.generateMap({ hires: true, source: file, includeContent: true }),
    changed,
  };
}

function describeFn(n: N, parent: N | undefined): FnInfo {
  const info: FnInfo = { node: n, kind: 'function', parent, calls: [], marked: false };
  if (n.type === 'FunctionDeclaration' && n.id) info.name = n.id.name;
  if (!parent) return info;
  const keyName = (k: N): string | undefined => (k.type === 'Identifier' ? k.name : k.type === 'Literal' ? String(k.value) : undefined);
  if (parent.type === 'VariableDeclarator' && parent.init === n && parent.id.type === 'Identifier') info.name = parent.id.name;
  else if (parent.type === 'AssignmentExpression' && parent.right === n) {
    if (parent.left.type === 'Identifier') info.name = parent.left.name;
    else if (parent.left.type === 'MemberExpression' && !parent.left.computed) info.methodName = parent.left.property.name;
  } else if (parent.type === 'Property' && parent.value === n) {
    info.methodName = parent.computed ? undefined : keyName(parent.key);
    if (parent.kind === 'get' || parent.kind === 'set') info.kind = parent.kind;
    else if (parent.method) info.kind = 'method';
  } else if (parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') {
    info.methodName = parent.computed ? undefined : keyName(parent.key);
    info.kind = parent.kind === 'get' || parent.kind === 'set' || parent.kind === 'constructor' ? parent.kind : parent.type === 'MethodDefinition' ? 'method' : 'function';
  }
  return info;
}

/** Where `async ` goes: before `function`, an arrow's parameters, or a method's name. */
function asyncInsertPoint(f: FnInfo, source: string): number {
  const p = f.parent;
  if (f.kind === 'method' && p) {
    if (!p.computed) return p.key.start as number;
    return source.lastIndexOf('[', p.key.start as number);
  }
  return f.node.start;
}
