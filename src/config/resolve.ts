/**
 * resolveOptions(): the one place where a run's options are decided. It reads the script's
 * `options`, the `VOLLEY_*` environment variables and the CLI flags; merges them with k6's
 * precedence (CLI > environment > script); turns the shortcut options into a 'default' scenario;
 * fills in every default; and validates everything before anything runs. Every problem is reported
 * at once, in one InvalidOptionsError (code E_INVALID_OPTIONS, exit code 104), each line naming
 * where the bad value came from.
 *
 * See docs/options.md for every option, its default, flag and variable.
 */
import { suggest } from '../errors/index.js';
import type { ResolvedOptions, ScenarioConfig } from './types.js';
import { PLAIN_DEFAULTS } from './option-specs.js';
import { Problems } from './problems.js';
import { resolveSegment } from '../util/execution-segment.js';
import { isPlainObject } from './values.js';
import { readFaultsOption, readProxiesOption } from './faults-config.js';
import { deriveScenarios, mergeLayers, type ScenarioSource } from './shortcuts.js';
import { isValidScenarioName, normaliseScenario } from './scenarios.js';
import { readCliLayer, readEnvLayer, readScriptLayer, type CliOptionFlags } from './sources.js';

export type { CliOptionFlags } from './sources.js';
export { parseStagesFlag, parseKeyValueList, isValidEnvName } from './text-lists.js';
export { describeScenario, scenarioMaxDurationMs, maxVUs, testMaxDurationMs } from './describe.js';
export { InvalidOptionsError, INVALID_OPTIONS } from './problems.js';
export { EXECUTORS, SCENARIO_DEFAULTS } from './scenarios.js';
export { HTTP_FAULT_KINDS, TCP_FAULT_KINDS, type FaultOption, type ProxyOption } from './faults-config.js';
export { PLAIN_DEFAULTS, DEFAULT_USER_AGENT } from './option-specs.js';

export interface ResolveInput {
  /** The script's exported `options` (undefined when it exports none). */
  scriptOptions: unknown;
  /** Path of the script, for messages. */
  scriptPath: string;
  /** The process environment: `VOLLEY_*` options are read from it, and it is the base of `__ENV`. */
  processEnv: Record<string, string | undefined>;
  cli: CliOptionFlags;
  /** Names of the functions the script exports ('default' for the default export). */
  exportedFunctions: string[];
}

export interface ResolveResult {
  options: ResolvedOptions;
  /**
   * Notices that do not stop the run: options accepted but not implemented, scenarios overridden
   * by shortcuts from a higher layer, empty `stages`/`scenarios`. The CLI prints them before the test.
   */
  warnings: string[];
}

/**
 * Resolves and validates the run's options; also returns warnings.
 * @throws InvalidOptionsError (E_INVALID_OPTIONS, exit code 104) listing every problem.
 */
export function resolveOptionsWithWarnings(input: ResolveInput): ResolveResult {
  const problems = new Problems();
  const warnings: string[] = [];

  const script = readScriptLayer(input.scriptOptions, problems, warnings);
  const env = readEnvLayer(input.processEnv, problems);
  const cli = readCliLayer(input.cli, problems);
  const merged = mergeLayers([script, env, cli], warnings);

  const scenarios: ScenarioConfig[] = [];
  const sources = deriveScenarios(merged, problems, warnings);
  const exported = new Set(input.exportedFunctions);
  for (const src of sources ?? []) {
    if (!src.derived && !isValidScenarioName(src.name)) {
      problems.add(src.where([]), 'the scenario name should contain only latin letters, digits, underscores and dashes');
    }
    const s = normaliseScenario(src.name, src.raw, src.where, problems, warnings);
    if (isPlainObject(src.raw)) checkExec(src, s, exported, input.scriptPath, problems);
    if (s) scenarios.push(s);
  }

  const so = isPlainObject(input.scriptOptions) ? input.scriptOptions : {};
  const proxies = readProxiesOption(so.proxies, problems);
  const faults = readFaultsOption(so.faults, proxies, scenarios, problems);
  const seg = merged.plain.executionSegment;
  const seq = merged.plain.executionSegmentSequence;
  if (seg !== undefined || seq !== undefined) {
    const r = resolveSegment(seg, seq);
    if (typeof r === 'string') problems.add('executionSegment', r);
  }

  problems.throwIfAny(`Fix the options above (in ${input.scriptPath}, or the flags and VOLLEY_* variables named) and run again.`);

  const processEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.processEnv)) if (v !== undefined) processEnv[k] = v;
  const options: ResolvedOptions = {
    ...PLAIN_DEFAULTS,
    ...merged.plain,
    tags: { ...PLAIN_DEFAULTS.tags, ...merged.plain.tags },
    scenarios,
    proxies,
    faults,
    thresholds: merged.thresholds,
    env: { ...processEnv, ...cli.env },
  };
  return { options, warnings };
}

/** Checks that the function a scenario runs is exported by the script. */
function checkExec(src: ScenarioSource, s: ScenarioConfig | undefined, exported: ReadonlySet<string>, scriptPath: string, problems: Problems): void {
  const rawExec = (src.raw as { exec?: unknown }).exec;
  // A bad `exec` value (not a string, empty) was reported by normaliseScenario.
  const exec = s?.exec ?? (rawExec === undefined ? 'default' : typeof rawExec === 'string' && rawExec.trim() !== '' ? rawExec : undefined);
  if (exec === undefined || exported.has(exec)) return;
  if (rawExec !== undefined) {
    const close = suggest(exec, [...exported].filter((f) => f !== 'default'));
    problems.add(src.where(['exec']), `the script exports no function "${exec}"${close ? `; did you mean "${close}"?` : ''}`);
  } else if (src.derived) {
    problems.add(scriptPath, 'the script has no default export to run; add `export default async function () { ... }`');
  } else {
    problems.add(src.where([]), 'the script has no default export to run: export a default function or set "exec" to an exported function');
  }
}

/**
 * Resolves and validates the run's options (see resolveOptionsWithWarnings, which also returns
 * the warnings).
 * @throws InvalidOptionsError (E_INVALID_OPTIONS, exit code 104) listing every problem.
 */
export function resolveOptions(input: ResolveInput): ResolvedOptions {
  return resolveOptionsWithWarnings(input).options;
}
