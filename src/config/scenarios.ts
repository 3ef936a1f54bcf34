/**
 * One scenario: from the object the user wrote (`options.scenarios.NAME`) to a validated
 * `ScenarioConfig` with every k6 default filled in. Field rules and defaults follow k6's executor
 * configs (lib/executor/*.go), except where docs/options.md says Volley differs.
 */
import * as z from 'zod';
import { suggest } from '../errors/index.js';
import type { BrowserScenarioOptions, ExecutorName, ScenarioConfig, Stage } from './types.js';
import { anyField, durationField, intField, nonEmptyStringField, oneOfField, stringMapField } from './fields.js';
import type { PathSegment, Problems } from './problems.js';
import { isPlainObject, show } from './values.js';

/** k6 defaults shared by every executor. */
export const SCENARIO_DEFAULTS = {
  /** startTime: 0s. */
  startTimeMs: 0,
  /** gracefulStop: 30s. */
  gracefulStopMs: 30_000,
  /** exec: the default export. */
  exec: 'default',
  /** shared-iterations / per-vu-iterations: 1 VU. */
  vus: 1,
  /** shared-iterations / per-vu-iterations: 1 iteration (shared, or per VU). */
  iterations: 1,
  /** shared-iterations / per-vu-iterations: maxDuration 10m. */
  maxDurationMs: 600_000,
  /** constant-vus: 1 VU. */
  constantVus: 1,
  /** ramping-vus: startVUs 1. */
  startVUs: 1,
  /** ramping-vus: gracefulRampDown 30s. */
  gracefulRampDownMs: 30_000,
  /** arrival-rate executors: timeUnit 1s. */
  timeUnitMs: 1000,
  /** ramping-arrival-rate: startRate 0. */
  startRate: 0,
  /** arrival-rate executors: drop iterations when every VU is busy (k6 behaviour). */
  whenBusy: 'drop',
  /** arrival-rate executors with whenBusy 'queue': at most this many waiting iterations. */
  maxQueue: 100_000,
} as const;

/** k6's sanity limit on VUs in ramping-vus (lib/executor/ramping_vus.go maxConcurrentVUs). */
export const MAX_CONCURRENT_VUS = 100_000_000;

/** The executors Volley runs. */
export const EXECUTORS: readonly ExecutorName[] = [
  'shared-iterations',
  'per-vu-iterations',
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
];

/** k6 executors that Volley does not run yet. */
const NOT_YET_EXECUTORS = ['externally-controlled'];

/** k6 restricts scenario names to these characters (lib/executor/base_config.go). */
const SCENARIO_NAME = /^[0-9a-zA-Z_-]+$/;

const STAGE_KEYS = ['duration', 'target'];

const required = (what: string) => `is required (${what})`;

const stageSchema = z.strictObject({
  duration: durationField(required('e.g. "30s"')),
  target: intField(0, required('a number')),
});
const stagesField = () => z.array(stageSchema);

const base = {
  executor: z.unknown(),
  startTime: durationField().optional(),
  gracefulStop: durationField().optional(),
  exec: nonEmptyStringField().optional(),
  env: stringMapField().optional(),
  tags: stringMapField().optional(),
  /** k6's per-scenario `options`: `browser.type` ('chromium') lets the scenario's VUs use volley/browser. */
  options: anyField().optional(),
};
const COMMON_KEYS = Object.keys(base).filter((k) => k !== 'executor' && k !== 'options');

/**
 * Field schemas per executor. Each field is parsed on its own, so that one bad field does not
 * hide the checks that involve only good ones.
 */
const SHAPES: Record<ExecutorName, Record<string, z.ZodType>> = {
  'shared-iterations': { ...base, vus: intField(1).optional(), iterations: intField(1).optional(), maxDuration: durationField().optional() },
  'per-vu-iterations': { ...base, vus: intField(1).optional(), iterations: intField(1).optional(), maxDuration: durationField().optional() },
  'constant-vus': { ...base, vus: intField(1).optional(), duration: durationField(required('e.g. "30s"')) },
  'ramping-vus': { ...base, startVUs: intField(0).optional(), stages: stagesField().optional(), gracefulRampDown: durationField().optional() },
  'constant-arrival-rate': {
    ...base,
    rate: intField(1, required('iterations to start per timeUnit')),
    timeUnit: durationField().optional(),
    duration: durationField(required('e.g. "30s"')),
    preAllocatedVUs: intField(0, required('VUs to initialise before the test')),
    maxVUs: intField(0).optional(),
    whenBusy: oneOfField(['drop', 'queue'] as const).optional(),
    maxQueue: intField(1).optional(),
  },
  'ramping-arrival-rate': {
    ...base,
    startRate: intField(0).optional(),
    timeUnit: durationField().optional(),
    stages: stagesField().optional(),
    preAllocatedVUs: intField(0, required('VUs to initialise before the test')),
    maxVUs: intField(0).optional(),
    whenBusy: oneOfField(['drop', 'queue'] as const).optional(),
    maxQueue: intField(1).optional(),
  },
};

/** Executor-specific option names, for "not an option of this executor" messages. */
const EXECUTOR_KEYS: Record<ExecutorName, string[]> = Object.fromEntries(
  EXECUTORS.map((e) => [e, Object.keys(SHAPES[e]).filter((k) => !(k in base))]),
) as Record<ExecutorName, string[]>;
const ALL_SCENARIO_KEYS = new Set([...Object.keys(base), ...Object.values(EXECUTOR_KEYS).flat()]);

/** Where a scenario's problems are reported: maps a path inside the scenario to a location. */
export type ScenarioWhere = (path: readonly PathSegment[]) => string;

/** Is `name` acceptable as a scenario name (k6's rule: letters, digits, `_` and `-`)? */
export function isValidScenarioName(name: string): boolean {
  return SCENARIO_NAME.test(name);
}

/**
 * Validates one scenario and fills in its defaults. Adds every problem to `problems` (and returns
 * undefined when there was any), and notices to `warnings`.
 */
export function normaliseScenario(
  name: string,
  raw: unknown,
  where: ScenarioWhere,
  problems: Problems,
  warnings: string[],
): ScenarioConfig | undefined {
  if (!isPlainObject(raw)) {
    problems.add(where([]), `must be an object with an "executor" (got ${show(raw)})`);
    return undefined;
  }
  const executor = raw.executor;
  if (executor === 'users') return normaliseUsers(name, raw, where, problems, warnings);
  if (executor === undefined) {
    problems.add(where(['executor']), `is required (one of ${EXECUTORS.join(', ')})`);
    return undefined;
  }
  if (typeof executor !== 'string' || !(EXECUTORS as readonly string[]).includes(executor)) {
    if (typeof executor === 'string' && NOT_YET_EXECUTORS.includes(executor)) {
      problems.add(where(['executor']), `the "${executor}" executor is not supported by Volley yet (use one of ${EXECUTORS.join(', ')})`);
    } else {
      const close = typeof executor === 'string' ? suggest(executor, EXECUTORS) : undefined;
      problems.add(
        where(['executor']),
        close ? `unknown executor ${show(executor)}; did you mean "${close}"?` : `unknown executor ${show(executor)} (use one of ${EXECUTORS.join(', ')})`,
      );
    }
    return undefined;
  }
  const type = executor as ExecutorName;
  const before = problems.size;
  const shape = SHAPES[type];
  const d: Record<string, unknown> = {};
  const bad = new Set<string>();
  for (const [key, schema] of Object.entries(shape)) {
    const r = schema.safeParse(raw[key]);
    if (r.success) d[key] = r.data;
    else {
      bad.add(key);
      problems.addZod(
        r.error.issues,
        (path) => where([key, ...path]),
        (path, k) => unknownKeyMessage(type, [key, ...path], k),
      );
    }
  }
  for (const key of Object.keys(raw)) if (!(key in shape)) problems.add(where([key]), unknownKeyMessage(type, [], key));
  const browser = raw.options === undefined ? undefined : scenarioBrowser(raw.options, where, problems, warnings);
  /** True when none of these fields was bad, so a check involving them is meaningful. */
  const good = (...keys: string[]) => keys.every((k) => !bad.has(k));

  const common = {
    name,
    startTimeMs: (d.startTime as number | undefined) ?? SCENARIO_DEFAULTS.startTimeMs,
    gracefulStopMs: (d.gracefulStop as number | undefined) ?? SCENARIO_DEFAULTS.gracefulStopMs,
    exec: (d.exec as string | undefined) ?? SCENARIO_DEFAULTS.exec,
    env: (d.env as Record<string, string> | undefined) ?? {},
    tags: (d.tags as Record<string, string> | undefined) ?? {},
    ...(browser === undefined ? {} : { browser }),
  };
  const num = (k: string, dflt: number): number => (d[k] as number | undefined) ?? dflt;
  const positive = (k: string, v: number) => {
    if (v <= 0 && good(k)) problems.add(where([k]), 'must be longer than 0');
  };
  const stages: Stage[] | undefined = (d.stages as { duration: number; target: number }[] | undefined)?.map((s) => ({ durationMs: s.duration, target: s.target }));
  const needStages = (): Stage[] => {
    if (stages === undefined || stages.length === 0) {
      if (good('stages')) problems.add(where(['stages']), `needs at least one stage, e.g. [{ duration: "30s", target: 10 }]`);
      return [];
    }
    return stages;
  };

  let result: ScenarioConfig;
  switch (type) {
    case 'shared-iterations':
    case 'per-vu-iterations': {
      const vus = num('vus', SCENARIO_DEFAULTS.vus);
      const iterations = num('iterations', SCENARIO_DEFAULTS.iterations);
      const maxDurationMs = num('maxDuration', SCENARIO_DEFAULTS.maxDurationMs);
      positive('maxDuration', maxDurationMs);
      if (type === 'shared-iterations' && iterations < vus && good('iterations', 'vus')) {
        problems.add(where(['iterations']), `${iterations} iterations can't be shared among ${vus} VUs: iterations must be at least vus`);
      }
      result = { ...common, executor: type, vus, iterations, maxDurationMs };
      break;
    }
    case 'constant-vus': {
      const durationMs = num('duration', 0);
      positive('duration', durationMs);
      result = { ...common, executor: type, vus: num('vus', SCENARIO_DEFAULTS.constantVus), durationMs };
      break;
    }
    case 'ramping-vus': {
      const startVUs = num('startVUs', SCENARIO_DEFAULTS.startVUs);
      const st = needStages();
      if (st.length > 0 && good('startVUs') && Math.max(startVUs, ...st.map((s) => s.target)) <= 0) {
        problems.add(where([]), `either startVUs or one of the stages' targets must be greater than 0`);
      }
      if (startVUs > MAX_CONCURRENT_VUS) problems.add(where(['startVUs']), `must be at most ${MAX_CONCURRENT_VUS}`);
      st.forEach((s, i) => {
        if (s.target > MAX_CONCURRENT_VUS) problems.add(where(['stages', i, 'target']), `must be at most ${MAX_CONCURRENT_VUS} VUs`);
      });
      result = { ...common, executor: type, startVUs, stages: st, gracefulRampDownMs: num('gracefulRampDown', SCENARIO_DEFAULTS.gracefulRampDownMs) };
      break;
    }
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const timeUnitMs = num('timeUnit', SCENARIO_DEFAULTS.timeUnitMs);
      positive('timeUnit', timeUnitMs);
      const preAllocatedVUs = num('preAllocatedVUs', 0);
      const maxVUs = num('maxVUs', preAllocatedVUs);
      if (!good('maxVUs', 'preAllocatedVUs')) {
        // already reported
      } else if (maxVUs < preAllocatedVUs) problems.add(where(['maxVUs']), `${maxVUs} is less than preAllocatedVUs (${preAllocatedVUs}); maxVUs must be at least preAllocatedVUs`);
      else if (maxVUs === 0) problems.add(where(['preAllocatedVUs']), 'no VUs to run iterations with: set preAllocatedVUs (and maxVUs) to at least 1');
      const open = {
        preAllocatedVUs,
        maxVUs,
        whenBusy: (d.whenBusy as 'drop' | 'queue' | undefined) ?? SCENARIO_DEFAULTS.whenBusy,
        maxQueue: num('maxQueue', SCENARIO_DEFAULTS.maxQueue),
      };
      if (type === 'constant-arrival-rate') {
        const durationMs = num('duration', 0);
        positive('duration', durationMs);
        result = { ...common, executor: type, rate: num('rate', 0), timeUnitMs, durationMs, ...open };
      } else {
        result = { ...common, executor: type, startRate: num('startRate', SCENARIO_DEFAULTS.startRate), timeUnitMs, stages: needStages(), ...open };
      }
      break;
    }
  }
  return problems.size === before ? result : undefined;
}

/**
 * k6's per-scenario `options`: `{ browser: { type: 'chromium' } }` marks a scenario whose VUs drive
 * a browser (volley/browser refuses to start one elsewhere, as k6 does). Other keys are warned about.
 */
function scenarioBrowser(options: unknown, where: ScenarioWhere, problems: Problems, warnings: string[]): BrowserScenarioOptions | undefined {
  if (!isPlainObject(options)) {
    problems.add(where(['options']), `must be an object such as { browser: { type: 'chromium' } } (got ${show(options)})`);
    return undefined;
  }
  for (const k of Object.keys(options)) if (k !== 'browser') warnings.push(`${where(['options', k])}: not a per-scenario option Volley knows (only "browser"); ignored`);
  const b = options.browser;
  if (b === undefined) return undefined;
  if (!isPlainObject(b) || b.type !== 'chromium') {
    problems.add(where(['options', 'browser', 'type']), `must be 'chromium', the only browser Volley (like k6) drives (got ${show(isPlainObject(b) ? b.type : b)})`);
    return undefined;
  }
  for (const k of Object.keys(b)) if (k !== 'type') warnings.push(`${where(['options', 'browser', k])}: unknown browser option; ignored`);
  return { type: 'chromium' };
}

/** `executor: 'users'` keys beside the common ones. */
const USERS_KEYS = ['users', 'spawnRate', 'duration'];

/**
 * `executor: 'users'` is Locust's model: `users` users, started at `spawnRate` users per second
 * (default 1, as Locust's), kept until `duration` from the scenario's start. It runs as a ramping-vus
 * scenario (a linear ramp at the spawn rate, then a plateau), with that scenario's semantics and
 * metrics; workflows (volley/workflow) give each VU its user class.
 */
function normaliseUsers(name: string, raw: Record<string, unknown>, where: ScenarioWhere, problems: Problems, warnings: string[]): ScenarioConfig | undefined {
  const before = problems.size;
  const users = intField(1, required('the number of users, e.g. 100')).safeParse(raw.users);
  const duration = durationField(required('e.g. "10m"')).safeParse(raw.duration);
  const rateRaw = raw.spawnRate ?? 1;
  if (!users.success) problems.add(where(['users']), users.error.issues[0]?.message ?? 'must be a whole number ≥ 1');
  if (!duration.success) problems.add(where(['duration']), duration.error.issues[0]?.message ?? 'must be a duration');
  else if (duration.data <= 0) problems.add(where(['duration']), 'must be longer than 0');
  if (typeof rateRaw !== 'number' || !Number.isFinite(rateRaw) || rateRaw <= 0) problems.add(where(['spawnRate']), `must be a number of users per second above 0 (got ${show(rateRaw)})`);
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (USERS_KEYS.includes(k) || k === 'executor') continue;
    if (!COMMON_KEYS.includes(k) && k !== 'options') {
      const close = suggest(k, [...USERS_KEYS, ...COMMON_KEYS]);
      problems.add(where([k]), close ? `unknown option; did you mean "${close}"?` : `unknown option (the "users" executor takes ${[...USERS_KEYS, ...COMMON_KEYS].join(', ')})`);
      continue;
    }
    rest[k] = v;
  }
  if (problems.size !== before || !users.success || !duration.success) return undefined;
  const rate = rateRaw as number;
  const totalS = duration.data / 1000;
  const rampS = users.data / rate;
  const stages =
    rampS >= totalS
      ? [{ duration: duration.data, target: Math.max(1, Math.floor(rate * totalS)) }]
      : [
          { duration: Math.round(rampS * 1000), target: users.data },
          { duration: duration.data - Math.round(rampS * 1000), target: users.data },
        ];
  return normaliseScenario(name, { ...rest, executor: 'ramping-vus', startVUs: 0, stages, gracefulRampDown: 0 }, where, problems, warnings);
}

function unknownKeyMessage(type: ExecutorName, path: readonly PathSegment[], key: string): string {
  if (path.includes('stages')) {
    const close = suggest(key, STAGE_KEYS);
    return close ? `unknown stage option; did you mean "${close}"?` : `unknown stage option (a stage has "duration" and "target")`;
  }
  const own = [...COMMON_KEYS, ...EXECUTOR_KEYS[type]];
  if (ALL_SCENARIO_KEYS.has(key)) {
    const owners = EXECUTORS.filter((e) => EXECUTOR_KEYS[e].includes(key));
    return `not an option of the "${type}" executor (it takes ${EXECUTOR_KEYS[type].join(', ')}; "${key}" belongs to ${owners.join(', ')})`;
  }
  const close = suggest(key, own);
  return close ? `unknown option; did you mean "${close}"?` : `unknown option (the "${type}" executor takes ${[...EXECUTOR_KEYS[type], ...COMMON_KEYS].join(', ')})`;
}
