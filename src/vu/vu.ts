import type { BuiltinMetrics } from '../metrics/builtin.js';
import type { MetricRegistry } from '../metrics/registry.js';
import type { SampleRecorder } from '../metrics/recorder.js';
import type { TagSet } from '../metrics/tags.js';
import type { ScenarioInfo, VuContext, VuResource } from './context.js';

/** What every VU of a thread shares. */
export interface VuShared {
  recorder: SampleRecorder;
  metrics: BuiltinMetrics;
  registry: MetricRegistry;
  scriptDir: string;
  options: Readonly<Record<string, unknown>>;
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
  readonly metrics: BuiltinMetrics;
  readonly registry: MetricRegistry;
  readonly scriptDir: string;
  readonly options: Readonly<Record<string, unknown>>;
  private readonly controller = new AbortController();
  /** True while an iteration runs. */
  busy = false;

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
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
  }

  /** Stops this VU at once: sleeps end, requests are aborted, its iteration is not counted. */
  interrupt(): void {
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  /** Releases protocol resources (connections). */
  async close(): Promise<void> {
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.allSettled(slots.map((r) => r.close()));
  }
}
