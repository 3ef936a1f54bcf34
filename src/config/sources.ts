/**
 * Reading options from each place they come from into a `Layer`: the script's `options`, the
 * `VOLLEY_*` environment variables, and CLI flags. Values are parsed and checked here, each problem
 * named after its source (`options.vus`, `VOLLEY_VUS`, `--vus`); merging the layers is shortcuts.ts.
 */
import * as z from 'zod';
import { suggest } from '../errors/index.js';
import type { CliOptionFlags, Stage, ThresholdSpec } from './types.js';
import { durationField, intField } from './fields.js';
import { ALL_OPTION_NAMES, ENV_FLAG, NOT_IMPLEMENTED_OPTIONS, PLAIN_OPTIONS, SHORTCUT_SOURCES, type PlainOptions, type PlainOptionSpec } from './option-specs.js';
import { parseSegment, parseSequence } from '../util/execution-segment.js';
import { formatPath, type PathSegment, type Problems } from './problems.js';
import { parseKeyValueListInto, parseStagesInto } from './text-lists.js';
import { parseThresholdsInto } from './thresholds-config.js';
import {
  isPlainObject,
  parseBoolean,
  parseDuration,
  parseInteger,
  parseString,
  parseStrings,
  parseTransport,
  parseStringMap,
  parseTimeUnit,
  parseTrendStats,
  show,
  type Parsed,
} from './values.js';

/**
 * Flags of `volley run` that set options (the CLI parses argv into this). Every field is optional:
 * undefined means "flag not given". Values are checked by resolveOptions(), which names the flag
 * in its messages.
 */
export type { CliOptionFlags } from './types.js';

export type Tier = 'script' | 'env' | 'cli';

/** A value and where it came from. `ok` is false when it was given but is invalid (already reported). */
export interface Sourced<T> {
  readonly value: T;
  /** Location for messages: 'options.vus', 'VOLLEY_VUS', '--vus'. */
  readonly where: string;
  /** Location of a part of the value (stages: index and field). */
  readonly at: (path: readonly PathSegment[]) => string;
  readonly ok: boolean;
}

/** What one source sets. */
export interface Layer {
  readonly tier: Tier;
  vus?: Sourced<number>;
  duration?: Sourced<number>;
  iterations?: Sourced<number>;
  stages?: Sourced<Stage[]>;
  scenarios?: Sourced<Record<string, unknown>>;
  thresholds?: Record<string, ThresholdSpec[]>;
  plain: Partial<PlainOptions>;
  /** `-e` values (CLI only). */
  env?: Record<string, string>;
}

const sourced = <T>(value: T, where: string, ok = true, at?: (path: readonly PathSegment[]) => string): Sourced<T> => ({
  value,
  where,
  ok,
  at: at ?? ((path) => (path.length === 0 ? where : `${where} (${describeStagePath(path)})`)),
});

/** "stage 2" / "stage 2 target" for the stage part of a flag or variable. */
function describeStagePath(path: readonly PathSegment[]): string {
  const [i, field] = path[0] === 'stages' ? path.slice(1) : path;
  return typeof i === 'number' ? `stage ${i + 1}${field === undefined ? '' : ` ${String(field)}`}` : path.join('.');
}

const VUS_MESSAGE = 'must be a positive integer';

// ---------------------------------------------------------------- script

const scriptStage = z.strictObject({
  duration: durationField('is required (e.g. "30s")'),
  target: intField(0, 'is required (a number of VUs)'),
});

/** Every known top-level name, as a strict object: the only issues it yields are unknown names. */
const SCRIPT_NAMES = z.strictObject(Object.fromEntries(ALL_OPTION_NAMES.map((n) => [n, z.unknown().optional()])));
const SCRIPT_STAGES = z.array(scriptStage);

/** Reads the script's exported `options` (undefined or null: none). */
export function readScriptLayer(options: unknown, problems: Problems, warnings: string[]): Layer {
  const layer: Layer = { tier: 'script', plain: {} };
  if (options === undefined || options === null) return layer;
  if (!isPlainObject(options)) {
    problems.add('options', `must be an object (got ${show(options)})`);
    return layer;
  }
  const o = options;
  const names = SCRIPT_NAMES.safeParse(o);
  if (!names.success) problems.addZod(names.error.issues, (path) => formatPath('options', path), (_path, key) => unknownTopLevel(key));

  const shortcut = <T>(key: 'vus' | 'duration' | 'iterations', parse: (v: unknown) => Parsed<T>): Sourced<T> | undefined => {
    if (o[key] === undefined) return undefined;
    const r = parse(o[key]);
    if (!r.ok) problems.add(`options.${key}`, r.message);
    return sourced(r.ok ? r.value : (undefined as T), `options.${key}`, r.ok);
  };
  layer.vus = shortcut('vus', (v) => parseInteger(v, 0, { message: VUS_MESSAGE }));
  layer.duration = shortcut('duration', (v) => parseDuration(v, 'ms'));
  layer.iterations = shortcut('iterations', (v) => parseInteger(v, 1));
  if (o.stages !== undefined && o.stages !== null) {
    const at = (path: readonly PathSegment[]) => formatPath('options.stages', path[0] === 'stages' ? path.slice(1) : path);
    const r = SCRIPT_STAGES.safeParse(o.stages);
    if (!r.success) problems.addZod(r.error.issues, at, (_path, key) => unknownStageKey(key));
    const stages = r.success ? r.data.map((st) => ({ durationMs: st.duration, target: st.target })) : [];
    layer.stages = sourced(stages, 'options.stages', r.success, at);
  }
  if (o.scenarios !== undefined && o.scenarios !== null) {
    const at = (path: readonly PathSegment[]) => formatPath('options.scenarios', path);
    if (isPlainObject(o.scenarios)) layer.scenarios = sourced(o.scenarios, 'options.scenarios', true, at);
    else {
      problems.add('options.scenarios', `must be an object mapping scenario names to scenarios (got ${show(o.scenarios)})`);
      layer.scenarios = sourced({}, 'options.scenarios', false, at);
    }
  }
  layer.thresholds = parseThresholdsInto(o.thresholds, 'options.thresholds', problems);

  for (const spec of PLAIN_OPTIONS) {
    const v = o[spec.name];
    if (v === undefined) continue;
    readPlain(spec, v, false, `options.${spec.name}`, layer, problems);
  }
  for (const name of NOT_IMPLEMENTED_OPTIONS) {
    if (o[name] !== undefined) warnings.push(`options.${name}: not implemented by Volley yet; ignored`);
  }
  return layer;
}

function unknownStageKey(key: string): string {
  const close = suggest(key, ['duration', 'target']);
  return close ? `unknown stage option; did you mean "${close}"?` : 'unknown stage option (a stage has "duration" and "target")';
}

function unknownTopLevel(key: string): string {
  if (key === 'env') return `not a script option: pass variables with ${ENV_FLAG} KEY=VALUE, or per scenario with scenarios.NAME.env`;
  const close = suggest(key, ALL_OPTION_NAMES);
  return close ? `unknown option; did you mean "${close}"?` : 'unknown option (see docs/options.md for the options Volley reads)';
}

/** Parses one plain option value into the layer; `fromString` for environment variables. */
function readPlain(spec: PlainOptionSpec, v: unknown, fromString: boolean, where: string, layer: Layer, problems: Problems): void {
  const set = <K extends keyof PlainOptions>(field: K, value: PlainOptions[K]) => {
    layer.plain[field] = value;
  };
  const use = <T>(r: Parsed<T>, assign: (value: T) => void) => {
    if (r.ok) assign(r.value);
    else problems.add(where, r.message);
  };
  switch (spec.kind) {
    case 'duration':
      use(parseDuration(v, layer.tier === 'cli' ? 'reject' : 'ms'), (ms) => set(spec.field, ms as never));
      break;
    case 'int':
      use(parseInteger(v, spec.min ?? 0, { fromString }), (n) => set(spec.field, n as never));
      break;
    case 'bool':
      use(parseBoolean(v, fromString), (b) => set(spec.field, b as never));
      break;
    case 'string':
      use(parseString(v), (s) => set(spec.field, s as never));
      break;
    case 'strings':
      use(parseStrings(v, fromString || layer.tier === 'cli'), (l) => set(spec.field, l as never));
      break;
    case 'transport':
      use(parseTransport(v), (t) => set('httpTransport', t));
      break;
    case 'segment':
    case 'segmentSequence':
      use(parseString(v), (s) => {
        const r = spec.kind === 'segment' ? parseSegment(s) : parseSequence(s);
        if (typeof r === 'string') problems.add(where, r);
        else set(spec.field, s as never);
      });
      break;
    case 'timeUnit':
      use(parseTimeUnit(v), (u) => set('summaryTimeUnit', u));
      break;
    case 'trendStats': {
      const r = parseTrendStats(v, fromString || layer.tier === 'cli');
      for (const p of r.problems) problems.add(p.index === undefined ? where : `${where}[${p.index}]`, p.message);
      if (r.value) set('summaryTrendStats', r.value);
      break;
    }
    case 'tags': {
      if (fromString && typeof v === 'string') {
        const before = problems.size;
        const tags = parseKeyValueListInto(v, { label: where, requireValue: true, envNames: false, separators: ['=', ':'] }, problems);
        if (problems.size === before) set('tags', tags);
      } else {
        const r = parseStringMap(v);
        for (const p of r.problems) problems.add(p.key === undefined ? where : formatPath(where, [p.key]), p.message);
        if (r.value) set('tags', r.value);
      }
      break;
    }
  }
}

// ---------------------------------------------------------------- environment

/** Reads `VOLLEY_*` variables. Unset and empty variables are ignored. */
export function readEnvLayer(env: Record<string, string | undefined>, problems: Problems): Layer {
  const layer: Layer = { tier: 'env', plain: {} };
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  readShortcuts(
    layer,
    {
      vus: get(SHORTCUT_SOURCES.vus.env),
      duration: get(SHORTCUT_SOURCES.duration.env),
      iterations: get(SHORTCUT_SOURCES.iterations.env),
      stages: env[SHORTCUT_SOURCES.stages.env],
    },
    'env',
    problems,
  );
  for (const spec of PLAIN_OPTIONS) {
    if (spec.env === undefined) continue;
    const v = get(spec.env);
    if (v !== undefined) readPlain(spec, v, true, spec.env, layer, problems);
  }
  return layer;
}

/** Parses the four shortcuts given as strings/numbers by the environment or the CLI. */
function readShortcuts(
  layer: Layer,
  raw: { vus?: unknown; duration?: unknown; iterations?: unknown; stages?: string },
  kind: 'env' | 'cli',
  problems: Problems,
): void {
  const name = (k: keyof typeof SHORTCUT_SOURCES) => (kind === 'env' ? SHORTCUT_SOURCES[k].env : SHORTCUT_SOURCES[k].flag);
  const fromString = kind === 'env';
  const take = <T>(k: 'vus' | 'duration' | 'iterations', v: unknown, parse: (v: unknown) => Parsed<T>): Sourced<T> | undefined => {
    if (v === undefined) return undefined;
    const r = parse(v);
    if (!r.ok) problems.add(name(k), r.message);
    return sourced(r.ok ? r.value : (undefined as T), name(k), r.ok);
  };
  layer.vus = take('vus', raw.vus, (v) => parseInteger(v, 0, { fromString, message: VUS_MESSAGE }));
  // k6: K6_DURATION=10000 is 10s, but `--duration 10000` is refused.
  layer.duration = take('duration', raw.duration, (v) => parseDuration(v, kind === 'env' ? 'ms' : 'reject'));
  layer.iterations = take('iterations', raw.iterations, (v) => parseInteger(v, 1, { fromString }));
  if (raw.stages !== undefined) {
    if (typeof raw.stages !== 'string') {
      problems.add(name('stages'), `must be a string such as "10s:5,20s:10" (got ${show(raw.stages)})`);
      layer.stages = sourced([], name('stages'), false);
    } else {
      const stages = parseStagesInto(raw.stages, name('stages'), problems);
      layer.stages = sourced(stages ?? [], name('stages'), stages !== undefined);
    }
  }
}

// ---------------------------------------------------------------- CLI

/** Reads CLI flags. */
export function readCliLayer(cli: CliOptionFlags, problems: Problems): Layer {
  const layer: Layer = { tier: 'cli', plain: {} };
  readShortcuts(layer, { vus: cli.vus, duration: cli.duration, iterations: cli.iterations, stages: cli.stages }, 'cli', problems);
  const flags = cli as Record<string, unknown>;
  for (const spec of PLAIN_OPTIONS) {
    if (spec.cli === undefined || spec.flag === undefined) continue;
    const v = flags[spec.cli];
    if (v !== undefined) readPlain(spec, v, false, spec.flag, layer, problems);
  }
  if (cli.env !== undefined) {
    const r = parseStringMap(cli.env);
    for (const p of r.problems) problems.add(p.key === undefined ? ENV_FLAG : `${ENV_FLAG} ${p.key}`, p.message);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.value ?? {})) {
      if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) env[k] = v;
      else problems.add(ENV_FLAG, `invalid variable name "${k}" (use letters, digits and _, not starting with a digit)`);
    }
    layer.env = env;
  }
  if ((flags.thresholds as unknown) !== undefined) problems.add('--thresholds', 'thresholds can only be set in the script options');
  return layer;
}
