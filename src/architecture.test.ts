/**
 * The module boundaries of ../shared/STYLE.md, checked on every test run (our stand-in for a lint
 * rule on imports): dependencies point towards metrics/ and errors/; readers of results (summary,
 * report, outputs, dashboard, history) see metric snapshots, not the engine; only cli/ wires concrete parts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Domain → the domains its code may import at run time (type-only imports: see TYPES). */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  util: [],
  metrics: ['errors'],
  config: ['errors'],
  target: ['errors'],
  init: ['errors'],
  capacity: ['errors'],
  monitors: ['errors'],
  proxy: ['errors'],
  llmbench: ['errors', 'protocols', 'modules', 'report'],
  vu: ['errors', 'metrics'],
  modules: ['errors', 'vu'],
  protocols: ['errors', 'metrics', 'vu', 'config', 'modules'],
  // summary/ and report/ render SummaryData and import only errors/ and metrics/: scripts get
  // them for handleSummary (volley/summary).
  public: ['errors', 'metrics', 'vu', 'protocols', 'modules', 'summary', 'report'],
  script: ['errors', 'vu', 'modules'],
  convert: ['errors', 'script'],
  // Main thread: controller, worker pool, health, plan. Worker thread: entry, executors, clock, segments.
  scheduler: ['errors', 'metrics', 'config'],
  worker: ['errors', 'metrics', 'vu', 'config', 'script'],
  summary: ['errors', 'metrics'],
  report: ['errors', 'metrics', 'summary'],
  outputs: ['errors', 'metrics', 'config'],
  dashboard: ['errors', 'metrics', 'summary'],
  history: ['errors', 'summary'],
  cli: ['*'],
};
/** Extra domains a domain may import types from (contracts it reads, never code it runs). */
const TYPES: Record<string, readonly string[]> = {
  summary: ['config'],
  vu: ['config'],
  // The message protocol only (see the thread test below).
  scheduler: ['worker'],
  dashboard: ['config', 'outputs'],
  report: ['config'],
  outputs: ['summary'],
  history: ['report'],
};

/** Test-only code (fixtures, fakes, test servers) lives in `testing/` folders, like the tests that use it. */
function isTestingCode(p: string): boolean {
  return p.split('/').includes('testing');
}

/** Leaf helpers every domain may use (they import nothing from Volley). */
const SHARED = ['util'];

function files(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) files(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts') && !isTestingCode(p)) out.push(p);
  }
  return out;
}

test('imports respect the module boundaries', () => {
  const problems: string[] = [];
  for (const f of files(SRC)) {
    const rel = relative(SRC, f);
    const from = rel.split('/')[0]!;
    if (!rel.includes('/')) continue;
    const allowed = ALLOWED[from];
    assert.ok(allowed, `src/${from}/ is not a known domain: add it to ALLOWED in architecture.test.ts`);
    if (allowed.includes('*')) continue;
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
      const to = relative(SRC, resolve(dirname(f), m[2]!)).split('/')[0]!;
      if (to === from) continue;
      const typeOnly = m[1] !== undefined;
      if (SHARED.includes(to) || allowed.includes(to) || (typeOnly && (TYPES[from] ?? []).includes(to))) continue;
      problems.push(`src/${rel} imports ${typeOnly ? 'types from ' : ''}src/${to}/ (${m[2]})`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the engine names no protocol: metrics/, scheduler/ and worker/ hold no HTTP metric name or type', () => {
  const problems: string[] = [];
  for (const f of files(SRC)) {
    const rel = relative(SRC, f);
    const domain = rel.split('/')[0]!;
    if (domain !== 'metrics' && domain !== 'scheduler' && domain !== 'worker') continue;
    // Code only: comments may use HTTP as an example.
    const src = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const m of src.matchAll(/\b(http_req\w*|HttpPhases|recordHttp|BuiltinMetrics)\b|\.http\b/g)) problems.push(`src/${rel}: ${m[0]}`);
  }
  assert.deepEqual(problems, []);
});

test('product code imports no test code (testing/ folders and *.test.ts stay out of the shipped build)', () => {
  const problems: string[] = [];
  for (const f of files(SRC)) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s+(?:type\s+)?[^'";]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
      const to = relative(SRC, resolve(dirname(f), m[1]!));
      if (isTestingCode(to) || to.endsWith('.test.js')) problems.push(`src/${relative(SRC, f)} imports ${m[1]}`);
    }
  }
  assert.deepEqual(problems, []);
  // The product-only build (tsconfig.build.json: `npm run build:dist`) leaves them out; package.json `files` too.
  const build = JSON.parse(readFileSync(join(SRC, '..', 'tsconfig.build.json'), 'utf8')) as { include: string[]; exclude: string[] };
  assert.deepEqual(build.include, ['src']);
  assert.ok(build.exclude.includes('src/**/testing/**') && build.exclude.includes('src/**/*.test.ts'));
});

/** Every import cycle among `src` modules (files), each as the list of files around it. */
function importCycles(includeTypes: boolean): string[][] {
  const graph = new Map<string, string[]>();
  for (const f of files(SRC)) {
    const src = readFileSync(f, 'utf8');
    const deps: string[] = [];
    for (const m of src.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
      if (m[1] !== undefined && !includeTypes) continue;
      deps.push(resolve(dirname(f), m[2]!).replace(/\.js$/, '.ts'));
    }
    graph.set(f, deps);
  }
  // Tarjan's strongly connected components: a component of more than one file is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(relative(SRC, w));
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

test('no import cycles anywhere in src', () => {
  assert.deepEqual(importCycles(false), []);
});

test('no import cycles in src counting type imports either', () => {
  assert.deepEqual(importCycles(true), []);
});

test('threads apart: main-thread code (scheduler/) shares only the message protocol with worker code (worker/)', () => {
  const problems: string[] = [];
  for (const f of files(join(SRC, 'scheduler'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
      const to = relative(SRC, resolve(dirname(f), m[2]!));
      if (to.startsWith('worker/') && (to !== 'worker/protocol.js' || m[1] === undefined)) problems.push(`src/${relative(SRC, f)} imports ${m[2]}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('readers (summary, report, outputs, dashboard, history) may import no protocol, scheduler, worker, VU or script code', () => {
  for (const reader of ['summary', 'report', 'outputs', 'dashboard', 'history']) {
    const reach = [...(ALLOWED[reader] ?? []), ...(TYPES[reader] ?? [])];
    for (const engine of ['protocols', 'scheduler', 'worker', 'vu', 'script', 'modules', 'public', 'cli']) assert.ok(!reach.includes(engine), `${reader} → ${engine}`);
  }
});

/**
 * Protocol folders stay apart: http/ knows no other protocol; ws/ imports none; sse/ builds on
 * HTTP's streamed exchange and request preparation only; the SSE parser is pure (no Volley import),
 * so any client (an LLM client) can reuse it.
 */
test('protocol folders: http/ and ws/ import no other protocol, sse/ only the HTTP stream layer, the SSE parser nothing', () => {
  const SSE_MAY = new Set(['http/stream-wire.js', 'http/params.js', 'http/url.js', 'http/error-codes.js', 'http/vu-state.js', 'http/body.js']);
  const problems: string[] = [];
  for (const proto of ['http', 'sse', 'ws']) {
    for (const f of files(join(SRC, 'protocols', proto))) {
      if (f.endsWith('.test.ts') || isTestingCode(relative(SRC, f))) continue;
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/^\s*(?:import|export)\s+(?:type\s+)?[^'";]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
        const to = relative(join(SRC, 'protocols'), resolve(dirname(f), m[1]!));
        const where = `src/${relative(SRC, f)} imports ${m[1]}`;
        if (f.endsWith('sse/parser.ts')) problems.push(where);
        else if (['http', 'sse', 'ws'].some((o) => o !== proto && to.startsWith(`${o}/`)) && !(proto === 'sse' && SSE_MAY.has(to))) problems.push(where);
      }
    }
  }
  assert.deepEqual(problems, []);
});
