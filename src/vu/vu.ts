import { setTimeout as delay } from 'node:timers/promises';
import type { ResolvedOptions } from '../config/types.js';
import type { MetricRegistry } from '../metrics/registry.js';
import type { SampleRecorder } from '../metrics/recorder.js';
import type { TagSet } from '../metrics/tags.js';
import type { ScenarioInfo, VuContext, VuResource } from './context.js';
import type { CoreMetrics } from './metrics.js';

/** What a VU keeps between the start and the end of an iteration (set by IterationRunner, see `Vu.iter`). */
export interface IterationState {
  /** The IterationRunner the state was made by (compared by identity only). */
  readonly runner: object;
  /** performance.now() at the start of the current iteration. */
  startMs: number;
  /** The current iteration already reported its exception: an iteration reports one, the first. */
  failed: boolean;
  /** Continuations of the iteration promise, made once per VU (not per iteration). */
  onDone: (v: unknown) => boolean | Promise<boolean>;
  onError: (e: unknown) => boolean | Promise<boolean>;
}

/** What every VU of a thread shares. */
export interface VuShared {
  recorder: SampleRecorder;
  metrics: CoreMetrics;
  registry: MetricRegistry;
  scriptDir: string;
  options: Readonly<ResolvedOptions>;
}

/**
 * Optional hook on a VU slot: called when the VU is interrupted. A Vu calls it directly, so a
 * protocol module needs no abort listener of its own (a Listener, its closure and the signal's
 * listener map per VU; with the other per-VU trims of that commit, 8.5 → 7.7 KB of heap per
 * HTTP VU in bench/micro/memory-per-vu.mjs).
 */
export interface InterruptAware {
  onInterrupt?(): void;
}

/**
 * A virtual user. Its lifecycle (transition table):
 *
 *   idle --start iteration--> running --iteration ends--> idle
 *   idle|running --interrupt()--> interrupted   (signal aborted; in-flight work is abandoned)
 *   idle|interrupted --close()--> closed        (protocol resources released)
 */
export class Vu implements VuContext {
  iteration = 0;
  iterationInScenario = 0;
  group = '';
  startLagMs: number | undefined = undefined;
  /** Open model: local time (performance.now) the current iteration was scheduled for; NaN otherwise. */
  intendedStartMs = Number.NaN;
  tags: TagSet;
  readonly slots = new Map<symbol, VuResource>();
  readonly recorder: SampleRecorder;
  readonly metrics: CoreMetrics;
  readonly registry: MetricRegistry;
  readonly scriptDir: string;
  readonly options: Readonly<ResolvedOptions>;
  /**
   * Created on first use of `signal` only: the engine and the HTTP client read `interrupted` and
   * get `onInterrupt` calls, so most VUs never need an AbortController (its AbortSignal and
   * listener map are ~0.5–1 KB per VU).
   */
  private controller: AbortController | undefined = undefined;
  /** True while an iteration runs. */
  busy = false;
  /** Slots may rely on `InterruptAware.onInterrupt` instead of listening to `signal`. */
  readonly interruptHooks = true;
  /** The iteration runner's per-VU state (set on the first iteration). */
  iter: IterationState | undefined = undefined;
  /** The pending `sleep` (at most one tracked; see `sleep`). */
  private sleepTimer: NodeJS.Timeout | null = null;
  private sleepReject: ((e: Error) => void) | null = null;

  constructor(
    readonly id: number,
    readonly scenario: ScenarioInfo,
    readonly env: Record<string, string>,
    /** Tags every iteration starts with: test tags + scenario name + scenario tags. */
    readonly baseTags: TagSet,
    shared: VuShared,
  ) {
    this.tags = baseTags;
    this.recorder = shared.recorder;
    this.metrics = shared.metrics;
    this.registry = shared.registry;
    this.scriptDir = shared.scriptDir;
    this.options = shared.options;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.interrupted) this.controller.abort();
    }
    return this.controller.signal;
  }

  /**
   * True once `interrupt()` ran (the signal is then aborted). A plain field: it is read on every
   * request and iteration, where `signal.aborted` is two getters with a brand check each
   * (`validateThisAbortSignal`: 0.7 % of the scripted-GET profile, bench/micro/README.md round 2).
   */
  interrupted = false;

  /** Stops this VU at once: sleeps end, requests are aborted, its iteration is not counted. */
  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    this.controller?.abort();
    const t = this.sleepTimer;
    if (t !== null) {
      clearTimeout(t);
      const reject = this.sleepReject!;
      this.sleepDone();
      reject(sleepAbortError());
    }
    for (const slot of this.slots.values()) (slot as InterruptAware).onInterrupt?.();
  }

  /**
   * A lean `sleep` for this VU: resolves after `ms`, rejects with an AbortError when the VU is
   * interrupted first. One promise and one timer while it waits (≈ 0.4 KB), where
   * `timers/promises` `setTimeout(ms, undefined, { signal })` adds an abort listener, a bound
   * function and a `finally` promise (≈ 2.1 KB per sleeping VU, bench/micro/memory-per-vu.mjs).
   * A second overlapping sleep of the same VU falls back to that general form.
   */
  sleep(ms: number): Promise<void> {
    if (this.interrupted) return Promise.reject(sleepAbortError());
    if (this.sleepTimer !== null) return delay(ms, undefined, { signal: this.signal });
    return new Promise<void>((resolve, reject) => {
      this.sleepReject = reject;
      this.sleepTimer = setTimeout(onSleepDone, ms, this, resolve);
    });
  }

  /** @internal the timer of `sleep` fired. */
  sleepDone(): void {
    this.sleepTimer = null;
    this.sleepReject = null;
  }

  /** Releases protocol resources (connections). */
  async close(): Promise<void> {
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.allSettled(slots.map((r) => r.close()));
  }
}

function onSleepDone(vu: Vu, resolve: () => void): void {
  vu.sleepDone();
  resolve();
}

/** What an interrupted sleep rejects with (as timers/promises does: name AbortError, code ABORT_ERR). */
function sleepAbortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}
