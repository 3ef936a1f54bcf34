import { AsyncLocalStorage } from 'node:async_hooks';
import type { ResolvedOptions } from '../config/types.js';
import { VolleyError, ExitCode } from '../errors/index.js';
import type { MetricRegistry } from '../metrics/registry.js';
import type { SampleRecorder } from '../metrics/recorder.js';
import type { TagSet } from '../metrics/tags.js';
import type { CoreMetrics } from './metrics.js';

/** Per-scenario facts a VU can read (k6/execution's `scenario`). */
export interface ScenarioInfo {
  readonly name: string;
  readonly executor: string;
  /** Epoch ms when the scenario started. */
  startTime: number;
  /** Iteration number within the scenario, across this worker's VUs (k6's iterationInInstance). */
  iterationInInstance: number;
  /** Global iteration number in the scenario across all workers and runners (k6's iterationInTest), set by every executor. */
  iterationInTest: number;
  /** Fraction of the scenario done, 0..1. */
  progress: number;
}

/**
 * A protocol module keeps its per-VU state (connections, cookie jar) in a slot on the VU and
 * registers a closer, called when the VU retires.
 */
export interface VuResource {
  close(): void | Promise<void>;
}

/**
 * The state of one virtual user. A VU is a coroutine, not a runtime: this object, the protocol
 * state it holds, and the user's own closures are all it costs.
 *
 * Inside a VU's iteration, `currentVu()` returns it (AsyncLocalStorage), which is how `check`,
 * `group`, `http.get` and friends find their VU without the user passing it.
 */
export interface VuContext {
  /** 1-based VU id, unique across workers (k6 `__VU`); 0 in setup/teardown. */
  readonly id: number;
  /** Iteration number of this VU, 0-based (k6 `__ITER`). */
  iteration: number;
  /** Iteration number of this VU in the current scenario. */
  iterationInScenario: number;
  readonly scenario: ScenarioInfo;
  /** Current tags: test-wide `tags`, scenario name and tags, group; plus per-VU tags set by the script. */
  tags: TagSet;
  /**
   * Open-model executors only: how late this iteration started against its schedule (ms), so that
   * protocol modules can report coordinated-omission-corrected latencies. undefined in closed models.
   */
  startLagMs?: number | undefined;
  /** Current group path, k6 style: '' at the root, '::a::b' inside group a > b. */
  group: string;
  /** The environment the script sees (`__ENV`), including per-scenario `env`. */
  readonly env: Record<string, string>;
  readonly recorder: SampleRecorder;
  readonly metrics: CoreMetrics;
  readonly registry: MetricRegistry;
  /** Per-protocol state slots, owned by each protocol module (e.g. http: dispatcher + cookie jar). */
  readonly slots: Map<symbol, VuResource>;
  /** Pauses this VU for `ms`; rejects with an AbortError when the VU is interrupted. Optional: `sleep()` falls back to timers. */
  sleep?(ms: number): Promise<void>;
  /** Aborted when the VU must stop at once (hard stop / gracefulStop expired). */
  readonly signal: AbortSignal;
  /** Directory of the script, for `open()` and relative paths. */
  readonly scriptDir: string;
  /** The run's options, resolved and typed once (config/), as every VU of the run sees them. */
  readonly options: Readonly<ResolvedOptions>;
}

export const vuStorage = new AsyncLocalStorage<VuContext>();

/** The VU running the calling code; throws a user-facing error in the init context. */
export function currentVu(what = 'this function'): VuContext {
  const vu = vuStorage.getStore();
  if (!vu) {
    throw new VolleyError('E_INIT_CONTEXT', `${what} can only be called from a VU (the default function, an exec function, setup or teardown), not from the init context`, {
      hint: 'move the call into your default (or scenario exec) function',
      exitCode: ExitCode.ScriptException,
    });
  }
  return vu;
}

/** The VU running the calling code, if any. */
export function maybeCurrentVu(): VuContext | undefined {
  return vuStorage.getStore();
}
