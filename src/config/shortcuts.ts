/**
 * Merging the option layers (script < VOLLEY_* environment < CLI) and turning the shortcut options
 * `vus`, `duration`, `iterations` and `stages` into a 'default' scenario, with k6's rules
 * (lib/options.go Apply, lib/executor/execution_config_shortcuts.go):
 *
 * Merging, from the lowest layer up:
 * - `vus` from a higher layer replaces a lower one, and nothing else.
 * - If a layer sets any of `duration`, `iterations`, `stages` or `scenarios`, it replaces ALL four
 *   from the lower layers (so `--duration 10s` drops the script's scenarios and its `iterations`),
 *   with a warning when scenarios are dropped.
 * - Other options: a higher layer replaces a lower one; `tags` are merged key by key.
 *
 * Deriving scenarios from what is left (first match wins):
 * | set                         | result                                                           |
 * |-----------------------------|------------------------------------------------------------------|
 * | iterations                  | shared-iterations: vus (default 1), iterations, maxDuration = duration (default 10m) |
 * | duration                    | constant-vus: vus (default 1) for duration (must be > 0)        |
 * | stages (non-empty)          | ramping-vus: startVUs = vus (default 1), the stages              |
 * | vus only (stages not given) | shared-iterations: vus VUs, vus iterations (scenarios ignored, with a warning) |
 * | scenarios (non-empty)       | the scenarios                                                    |
 * | nothing (or empty lists)    | per-vu-iterations: 1 VU, 1 iteration (a warning for an explicitly empty list) |
 * Errors: iterations with stages or scenarios; duration with stages or scenarios; stages with
 * scenarios (after merging, so only when set in the same layer).
 */
import type { ThresholdSpec } from './types.js';
import type { PathSegment, Problems } from './problems.js';
import type { PlainOptions } from './option-specs.js';
import type { Layer, Sourced } from './sources.js';
import type { Stage } from './types.js';

/** The layers merged. */
export interface MergedLayers {
  vus?: Sourced<number>;
  duration?: Sourced<number>;
  iterations?: Sourced<number>;
  stages?: Sourced<Stage[]>;
  scenarios?: Sourced<Record<string, unknown>>;
  thresholds: Record<string, ThresholdSpec[]>;
  plain: Partial<PlainOptions>;
}

/** Merges layers given from lowest to highest precedence. */
export function mergeLayers(layers: readonly Layer[], warnings: string[]): MergedLayers {
  const m: MergedLayers = { thresholds: {}, plain: {} };
  for (const layer of layers) {
    if (layer.vus) m.vus = layer.vus;
    const execution = [layer.duration, layer.iterations, layer.stages, layer.scenarios].filter((s) => s !== undefined);
    if (execution.length > 0) {
      if (m.scenarios) warnings.push(`${execution[0]!.where} overrides ${m.scenarios.where}: those scenarios are ignored`);
      m.duration = layer.duration;
      m.iterations = layer.iterations;
      m.stages = layer.stages;
      m.scenarios = layer.scenarios;
    }
    if (layer.thresholds) m.thresholds = layer.thresholds;
    const { tags, ...rest } = layer.plain;
    Object.assign(m.plain, rest);
    if (tags) m.plain.tags = { ...m.plain.tags, ...tags };
  }
  return m;
}

/** A scenario to validate: the raw object and where each of its fields came from. */
export interface ScenarioSource {
  name: string;
  raw: unknown;
  where: (path: readonly PathSegment[]) => string;
  /** True for the 'default' scenario made from shortcuts (or from nothing). */
  derived: boolean;
}

/**
 * Picks the scenarios to run from the merged shortcuts and scenarios (see the table above).
 * Returns undefined when the shortcuts conflict or one of them is invalid (already reported).
 */
export function deriveScenarios(m: MergedLayers, problems: Problems, warnings: string[]): ScenarioSource[] | undefined {
  const { vus, duration, iterations, stages, scenarios } = m;
  const conflict = (a: Sourced<unknown>, b: Sourced<unknown>) =>
    problems.add(a.where, `can't be used together with ${b.where}; use one of iterations, duration, stages or scenarios`);
  const before = problems.size;
  const hasStages = stages !== undefined && stages.value.length > 0;
  if (iterations) {
    if (stages && hasStages) conflict(iterations, stages);
    if (scenarios) conflict(iterations, scenarios);
  } else if (duration) {
    if (stages && hasStages) conflict(duration, stages);
    if (scenarios) conflict(duration, scenarios);
  } else if (stages && hasStages && scenarios) {
    conflict(stages, scenarios);
  }
  if (problems.size > before) return undefined;
  if ([vus, duration, iterations, stages, scenarios].some((s) => s !== undefined && !s.ok)) return undefined;

  /** Maps a field of the derived scenario to the shortcut it came from. */
  const derived = (raw: Record<string, unknown>, fields: Record<string, Sourced<unknown> | undefined>, root: Sourced<unknown>): ScenarioSource => ({
    name: 'default',
    raw,
    derived: true,
    where: (path) => {
      const src = typeof path[0] === 'string' ? fields[path[0]] : undefined;
      if (!src) return root.where;
      return path.length <= 1 ? src.where : src.at(path);
    },
  });
  const withVus = (raw: Record<string, unknown>, key: string) => (vus ? { ...raw, [key]: vus.value } : raw);

  if (iterations) {
    const raw = withVus({ executor: 'shared-iterations', iterations: iterations.value }, 'vus');
    if (duration) raw.maxDuration = duration.value;
    return [derived(raw, { vus, iterations, maxDuration: duration }, iterations)];
  }
  if (duration) {
    if (duration.value <= 0) {
      problems.add(duration.where, 'must be longer than 0 (for a test without an end, use scenarios)');
      return undefined;
    }
    return [derived(withVus({ executor: 'constant-vus', duration: duration.value }, 'vus'), { vus, duration }, duration)];
  }
  if (stages && hasStages) {
    const raw = withVus({ executor: 'ramping-vus', stages: stages.value.map((s) => ({ duration: s.durationMs, target: s.target })) }, 'startVUs');
    return [derived(raw, { startVUs: vus, stages }, stages)];
  }
  if (vus && stages === undefined) {
    if (scenarios) warnings.push(`${vus.where}=${vus.value} without duration, iterations or stages runs ${vus.value} shared iterations on ${vus.value} VUs; ${scenarios.where} is ignored`);
    return [derived({ executor: 'shared-iterations', vus: vus.value, iterations: vus.value }, { vus, iterations: vus }, vus)];
  }
  if (scenarios && Object.keys(scenarios.value).length > 0) {
    return Object.entries(scenarios.value).map(([name, raw]) => ({
      name,
      raw,
      derived: false,
      where: (path: readonly PathSegment[]) => scenarios.at([name, ...path]),
    }));
  }
  if (stages) warnings.push(`${stages.where} is empty: running 1 iteration on 1 VU`);
  if (scenarios) warnings.push(`${scenarios.where} is empty: running 1 iteration on 1 VU`);
  return [{ name: 'default', raw: { executor: 'per-vu-iterations' }, derived: true, where: () => 'options' }];
}
