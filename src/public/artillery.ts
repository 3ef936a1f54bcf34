/**
 * `volley/artillery`: runs an Artillery test definition (its YAML, parsed) on Volley. `volley run
 * test.yml` and `volley convert artillery` both produce a script that hands the definition to
 * `artillery()` here, so the run and the converted test stay in step:
 *
 *   import { artillery } from 'volley/artillery';
 *   const test = artillery({ config: { target: 'http://127.0.0.1:8080', phases: [...] }, scenarios: [...] });
 *   export const options = test.options;
 *   export default test.run;
 *
 * Each phase is a scenario of its own, started when the previous phases end (Artillery runs them in
 * sequence); arrival phases are open model: each arrival is one iteration, which plays one scenario
 * (picked by weight) as a new virtual user with fresh variables. The definition's `before` flow is
 * the test's `setup` (its captured variables are every virtual user's), `after` its `teardown`.
 */
import http from './http.js';
import { check, sleep } from './index.js';
import type { Options, ScenarioOptions } from './options.js';
import type { Response } from '../protocols/http/response.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;
type Vars = Record<string, unknown>;
type Hook = (...args: any[]) => unknown;

export interface ArtilleryDefinition {
  config: Json;
  scenarios: Json[];
  before?: Json;
  after?: Json;
}

export interface ArtilleryTest {
  options: Options;
  /** One arrival: a virtual user playing one scenario; `data` is what `setup` captured. */
  run: (data?: Vars) => Promise<void>;
  /** The `before` section's flow, once before the phases; resolves to the variables it captured. */
  setup: () => Promise<Vars>;
  /** The `after` section's flow, once after the phases, with the variables `before` captured. */
  teardown: (data?: Vars) => Promise<void>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/**
 * Builds the options and the iteration function of an Artillery test. `processor` is the module
 * named by `config.processor`; `environment` picks one of `config.environments` (ENVIRONMENT).
 */
export function artillery(def: ArtilleryDefinition, processor: Record<string, Hook> = {}, environment?: string): ArtilleryTest {
  const envName = environment ?? (globalThis as { __ENV?: Record<string, string> }).__ENV?.ENVIRONMENT;
  let config: Json = { ...(def.config ?? {}) };
  if (envName) {
    const env = config.environments?.[envName];
    if (!env) throw new Error(`ENVIRONMENT=${envName}: the test defines no such environment (it has: ${Object.keys(config.environments ?? {}).join(', ') || 'none'})`);
    config = { ...config, ...env, variables: { ...config.variables, ...env.variables }, defaults: { ...config.defaults, ...env.defaults } };
  }
  for (const s of def.scenarios ?? []) {
    if (s.engine && s.engine !== 'http') throw new Error(`scenario "${s.name ?? '(unnamed)'}": Artillery's ${s.engine} engine is not supported yet; Volley runs HTTP scenarios`);
  }
  const options = optionsOf(config);
  const payloads = loadPayloads(config);
  const scenarios: Json[] = def.scenarios ?? [];
  const totalWeight = scenarios.reduce((a, s) => a + (Number(s.weight) || 1), 0);
  const headers: Record<string, string> = { ...(config.defaults?.headers ?? {}), ...(config.http?.defaults?.headers ?? {}) };
  const target: string = String(template(config.target ?? '', {}));
  let sequence = 0;

  /** Variables every virtual user starts with: the environment, the target, `config.variables`. */
  const baseVars = (data?: Vars): Vars => {
    const vars: Vars = { $environment: envName, target, ...data };
    for (const [k, v] of Object.entries(config.variables ?? {})) vars[k] = Array.isArray(v) ? v[Math.floor(Math.random() * v.length)] : v;
    return vars;
  };

  const setup = async (): Promise<Vars> => {
    const context = { vars: baseVars() };
    await runSteps(def.before?.flow ?? [], context, { emit: () => undefined });
    // What the flow captured or set, for every virtual user (JSON, as setup data is).
    const out: Vars = {};
    for (const [k, v] of Object.entries(context.vars)) if (!k.startsWith('$') && k !== 'target' && !(k in (config.variables ?? {}))) out[k] = v;
    return out;
  };

  const teardown = async (data?: Vars): Promise<void> => {
    await runSteps(def.after?.flow ?? [], { vars: baseVars(data) }, { emit: () => undefined });
  };

  const run = async (data?: Vars): Promise<void> => {
    let pick = Math.random() * totalWeight;
    let scenario = scenarios[0];
    for (const s of scenarios) {
      pick -= Number(s.weight) || 1;
      if (pick < 0) {
        scenario = s;
        break;
      }
    }
    if (!scenario) return;
    const vars = baseVars(data);
    for (const p of payloads) {
      const row = p.order === 'sequence' ? p.rows[sequence++ % p.rows.length] : p.rows[Math.floor(Math.random() * p.rows.length)];
      if (!row) continue;
      if (p.name) vars[p.name] = Object.fromEntries(p.fields.map((f, i) => [f, row[i]]));
      else p.fields.forEach((f, i) => (vars[f] = row[i]));
    }
    const context = { vars, scenario };
    const events = { emit: () => undefined };
    for (const name of scenario.beforeScenario ? [scenario.beforeScenario].flat() : []) await callHook(processor, name, [context, events]);
    await runSteps(scenario.flow ?? [], context, events);
    for (const name of scenario.afterScenario ? [scenario.afterScenario].flat() : []) await callHook(processor, name, [context, events]);
  };

  async function runSteps(steps: Json[], context: { vars: Vars }, events: Json): Promise<void> {
    for (const step of steps) {
      if (step.think !== undefined) {
        await sleep(Number(template(step.think, context.vars)));
      } else if (step.log !== undefined) {
        console.log(template(step.log, context.vars));
      } else if (step.function !== undefined) {
        await callHook(processor, step.function, [context, events]);
      } else if (step.parallel !== undefined) {
        // Artillery's `parallel`: the steps at once, in the same virtual user (shared variables).
        await Promise.all([step.parallel].flat().map((s: Json) => runSteps([s], context, events)));
      } else if (step.loop !== undefined) {
        const over = step.over !== undefined ? (typeof step.over === 'string' ? context.vars[step.over] : step.over) : undefined;
        const items: unknown[] = Array.isArray(over) ? over : Array.from({ length: step.count === undefined ? 1 : Number(template(step.count, context.vars)) }, (_, i) => i);
        for (const item of items) {
          context.vars.$loopElement = item;
          context.vars.$loopCount = items.indexOf(item);
          await runSteps(step.loop, context, events);
        }
      } else {
        const method = METHODS.find((m) => step[m] !== undefined);
        if (!method) throw new Error(`unknown flow step: ${JSON.stringify(step).slice(0, 80)}`);
        await request(method, step[method], context, events);
      }
    }
  }

  async function request(method: string, spec: Json, context: { vars: Vars }, events: Json): Promise<void> {
    const vars = context.vars;
    if (spec.ifTrue !== undefined && !evaluate(spec.ifTrue, vars)) return;
    const req: Json = {
      url: template(spec.url, vars),
      headers: { ...headers, ...templateAll(spec.headers ?? {}, vars) },
      json: spec.json !== undefined ? templateAll(spec.json, vars) : undefined,
      body: spec.body !== undefined ? template(spec.body, vars) : undefined,
      form: spec.form !== undefined ? templateAll(spec.form, vars) : undefined,
      qs: spec.qs !== undefined ? templateAll(spec.qs, vars) : undefined,
      cookie: spec.cookie !== undefined ? templateAll(spec.cookie, vars) : undefined,
    };
    for (const name of [spec.beforeRequest ?? []].flat()) await callHook(processor, name, [req, context, events]);
    let url = /^https?:\/\//.test(req.url) ? req.url : `${target}${req.url}`;
    if (req.qs) url += (url.includes('?') ? '&' : '?') + new URLSearchParams(Object.entries(req.qs as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString();
    let body: string | Record<string, string> | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      req.headers['content-type'] ??= req.headers['Content-Type'] ?? 'application/json';
    } else if (req.form !== undefined) {
      body = Object.fromEntries(Object.entries(req.form).map(([k, v]) => [k, String(v)]));
    } else if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    }
    const name = spec.name ?? spec.url;
    const res = (await http.request(method.toUpperCase(), url, body ?? null, {
      headers: req.headers,
      tags: { name: String(name) },
      ...(req.cookie ? { cookies: Object.fromEntries(Object.entries(req.cookie).map(([k, v]) => [k, String(v)])) } : {}),
    })) as Response;
    for (const c of [spec.capture ?? []].flat()) capture(c, res, vars);
    const expects = [spec.expect ?? []].flat();
    if (expects.length > 0) check(res, Object.fromEntries(expects.map((e: Json) => expectation(e, res, vars))));
    for (const m of [spec.match ?? []].flat()) {
      const got = extract(m, res);
      check(res, { [`match ${m.json ?? m.regexp ?? m.header}`]: () => String(got) === String(template(m.value, vars)) });
    }
    for (const hook of [spec.afterResponse ?? []].flat()) await callHook(processor, hook, [req, responseView(res), context, events]);
  }

  return { options, run, setup, teardown };
}

/** Artillery's phases, one scenario each, in sequence; `ensure` as thresholds. */
function optionsOf(config: Json): Options {
  const scenarios: Record<string, ScenarioOptions> = {};
  // SCALE (a Volley extension, used by the seed examples) multiplies every phase's duration, at least 1 s.
  const scale = Number((globalThis as { __ENV?: Record<string, string> }).__ENV?.SCALE ?? 1) || 1;
  const seconds = (v: unknown): number => {
    const n = Number(template(v, {}));
    return scale === 1 ? n : Math.max(1, Math.round(n * scale));
  };
  let start = 0;
  (config.phases ?? [{ duration: 1, arrivalCount: 1 }]).forEach((p: Json, i: number) => {
    const name = `${String(p.name ?? `phase ${i + 1}`).replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_|_$/g, '') || `phase_${i + 1}`}`;
    const duration = seconds(p.duration ?? p.pause ?? 0);
    const maxVUs = p.maxVusers !== undefined ? Number(template(p.maxVusers, {})) : undefined;
    const common = { startTime: `${start}s`, ...(maxVUs ? { maxVUs, preAllocatedVUs: Math.min(maxVUs, 10) } : { preAllocatedVUs: 10, maxVUs: 1000 }), gracefulStop: '30s' };
    if (p.pause !== undefined && p.arrivalRate === undefined && p.arrivalCount === undefined) {
      start += duration;
      return;
    }
    if (p.arrivalCount !== undefined) {
      scenarios[name] = { executor: 'constant-arrival-rate', rate: Number(p.arrivalCount), timeUnit: `${duration}s`, duration: `${duration}s`, ...common } as ScenarioOptions;
    } else if (p.rampTo !== undefined) {
      scenarios[name] = { executor: 'ramping-arrival-rate', startRate: Number(p.arrivalRate ?? 0), timeUnit: '1s', stages: [{ duration: `${duration}s`, target: Number(p.rampTo) }], ...common } as ScenarioOptions;
    } else {
      scenarios[name] = { executor: 'constant-arrival-rate', rate: Number(p.arrivalRate ?? 0), timeUnit: '1s', duration: `${duration}s`, ...common } as ScenarioOptions;
    }
    start += duration;
  });
  const thresholds: Record<string, string[]> = {};
  const add = (metric: string, t: string): void => void (thresholds[metric] ??= []).push(t);
  const ensure = config.ensure ?? config.plugins?.ensure;
  if (ensure) {
    for (const [k, v] of Object.entries(ensure)) {
      const m = /^(p\d+|max|min|median)$/.exec(k);
      if (m) add('http_req_duration', `${k === 'median' ? 'med' : k.startsWith('p') ? `p(${k.slice(1)})` : k}<${v}`);
      if (k === 'maxErrorRate') add('http_req_failed', `rate<=${Number(v) / 100}`);
    }
    for (const t of [ensure.thresholds ?? []].flat() as Json[]) {
      for (const [k, v] of Object.entries(t)) {
        const m = /^http\.response_time\.(p\d+|max|min|median)$/.exec(k);
        if (m) add('http_req_duration', `${m[1] === 'median' ? 'med' : m[1]!.startsWith('p') ? `p(${m[1]!.slice(1)})` : m[1]}<${v}`);
      }
    }
  }
  return { scenarios, ...(Object.keys(thresholds).length > 0 ? { thresholds } : {}) } as Options;
}

interface Payload {
  rows: string[][];
  fields: string[];
  order: string;
  name?: string;
}

function loadPayloads(config: Json): Payload[] {
  const open = (globalThis as { open?: (p: string) => string }).open;
  return [config.payload ?? []].flat().map((p: Json) => {
    const text = open ? String(open(p.path)) : '';
    const rows = text.split(/\r?\n/).filter((l) => l.trim() !== '').map(splitCsv);
    if (p.skipHeader) rows.shift();
    return { rows, fields: p.fields ?? [], order: p.order ?? 'random', name: p.name };
  });
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

/** `{{ name }}`, `{{ $randomString() }}`, `{{ $randomNumber(a, b) }}`, `{{ $env.X }}`, `{{ $processEnvironment.X }}`. */
export function template(value: unknown, vars: Vars): any {
  if (typeof value !== 'string') return value;
  const whole = /^\{\{\s*([^}]+?)\s*\}\}$/.exec(value);
  if (whole) return lookup(whole[1]!, vars);
  return value.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const v = lookup(expr, vars);
    return v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

function templateAll(value: unknown, vars: Vars): any {
  if (typeof value === 'string') return template(value, vars);
  if (Array.isArray(value)) return value.map((v) => templateAll(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [template(k, vars), templateAll(v, vars)]));
  return value;
}

function lookup(expr: string, vars: Vars): unknown {
  const fn = /^\$(\w+)\((.*)\)$/.exec(expr);
  if (fn) {
    const args = fn[2]!.split(',').map((a) => a.trim()).filter(Boolean).map(Number);
    if (fn[1] === 'randomString') return Math.random().toString(36).slice(2, 2 + (args[0] || 10)).padEnd(args[0] || 10, 'x');
    if (fn[1] === 'randomNumber') {
      const [lo = 0, hi = 10000] = args;
      return Math.floor(Math.random() * (hi - lo + 1)) + lo;
    }
    throw new Error(`{{ ${expr} }}: Volley knows $randomString() and $randomNumber(min, max); define other functions in the processor and set a variable`);
  }
  const env = /^\$(env|processEnvironment)\.(\w+)$/.exec(expr);
  if (env) return (globalThis as { __ENV?: Record<string, string> }).__ENV?.[env[2]!];
  let cur: any = vars;
  for (const part of expr.split('.')) cur = cur?.[part];
  return cur;
}

/** A JSONPath of the simple kind Artillery's examples use: `$.a.b[0].c`, `$[1]`. */
function jsonPath(body: unknown, path: string): unknown {
  let cur: any = body;
  for (const part of path.replace(/^\$\.?/, '').split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) cur = cur?.[part];
  return cur;
}

function extract(spec: Json, res: Response): unknown {
  if (spec.json !== undefined) {
    try {
      return jsonPath(res.json(), spec.json);
    } catch {
      return undefined;
    }
  }
  if (spec.header !== undefined) return res.headers[String(spec.header).toLowerCase()] ?? res.headers[spec.header];
  if (spec.regexp !== undefined) {
    const m = new RegExp(spec.regexp, spec.flags ?? '').exec(String(res.body ?? ''));
    return m ? m[spec.group ?? (m.length > 1 ? 1 : 0)] : undefined;
  }
  if (spec.selector !== undefined) {
    const sel = res.html().find(spec.selector).first();
    return spec.attr ? sel.attr(spec.attr) : sel.text();
  }
  return undefined;
}

function capture(spec: Json, res: Response, vars: Vars): void {
  const v = extract(spec, res);
  if (spec.as) vars[spec.as] = v;
}

function expectation(e: Json, res: Response, vars: Vars): [string, () => boolean] {
  const [kind, arg] = Object.entries(e)[0] ?? ['', ''];
  switch (kind) {
    case 'statusCode':
      return [`statusCode ${arg}`, () => [arg].flat().map(Number).includes(res.status)];
    case 'contentType':
      return [`contentType ${arg}`, () => String(res.headers['content-type'] ?? res.headers['Content-Type'] ?? '').includes(String(arg) === 'json' ? 'application/json' : String(arg))];
    case 'hasProperty':
      return [`hasProperty ${arg}`, () => jsonPathSafe(res, `$.${arg}`) !== undefined];
    case 'hasHeader':
      return [`hasHeader ${arg}`, () => res.headers[String(arg).toLowerCase()] !== undefined || res.headers[String(arg)] !== undefined];
    case 'equals': {
      const [a, b] = (arg as unknown[]).map((x) => String(template(x, vars)));
      return [`equals ${a} ${b}`, () => a === b];
    }
    default:
      return [`${kind} (not supported by Volley yet)`, () => false];
  }
}

function jsonPathSafe(res: Response, path: string): unknown {
  try {
    return jsonPath(res.json(), path);
  } catch {
    return undefined;
  }
}

/** `ifTrue`: a comparison on variables, e.g. `"id"`, `"status == 200"`, `"count > 3"`. */
function evaluate(expr: string, vars: Vars): boolean {
  const m = /^\s*([\w$.]+)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$/.exec(expr);
  if (!m) return Boolean(lookup(expr.trim(), vars));
  const a = lookup(m[1]!, vars);
  const raw = m[3]!.replace(/^['"]|['"]$/g, '');
  const b: unknown = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : (lookup(raw, vars) ?? raw);
  switch (m[2]) {
    case '==': return a == b; // eslint-disable-line eqeqeq
    case '!=': return a != b; // eslint-disable-line eqeqeq
    case '<': return Number(a) < Number(b);
    case '>': return Number(a) > Number(b);
    case '<=': return Number(a) <= Number(b);
    default: return Number(a) >= Number(b);
  }
}

function responseView(res: Response): Json {
  return { statusCode: res.status, headers: res.headers, body: res.body, timings: res.timings };
}

/** Calls a processor hook, callback style (`done`/`next`) or returning a promise. */
async function callHook(processor: Record<string, Hook>, name: string, args: unknown[]): Promise<void> {
  const fn = processor[name];
  if (typeof fn !== 'function') throw new Error(`the processor has no function "${name}" (it exports: ${Object.keys(processor).join(', ') || 'nothing'})`);
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const done = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve();
    };
    try {
      const r = fn(...args, done);
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(() => done(), done);
      else if (fn.length <= args.length) done();
    } catch (e) {
      done(e);
    }
  });
}
