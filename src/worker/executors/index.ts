import type { ExecutorName, ScenarioConfig } from '../../config/types.js';
import { ConstantArrivalRate, RampingArrivalRate } from './arrival.js';
import type { Executor, ExecutorEnv } from './base.js';
import { ConstantVus } from './constant-vus.js';
import { PerVuIterations } from './per-vu-iterations.js';
import { RampingVus } from './ramping-vus.js';
import { SharedIterations } from './shared-iterations.js';

/** Executor name → class. The config module validates names against these keys. */
const registry = {
  'shared-iterations': SharedIterations,
  'per-vu-iterations': PerVuIterations,
  'constant-vus': ConstantVus,
  'ramping-vus': RampingVus,
  'constant-arrival-rate': ConstantArrivalRate,
  'ramping-arrival-rate': RampingArrivalRate,
} satisfies Record<ExecutorName, unknown>;

export const EXECUTOR_NAMES = Object.keys(registry) as ExecutorName[];

export function createExecutor(config: ScenarioConfig, env: ExecutorEnv): Executor {
  const Cls = registry[config.executor] as unknown as new (c: ScenarioConfig, e: ExecutorEnv) => Executor;
  return new Cls(config, env);
}

export type { Executor, ExecutorEnv } from './base.js';
