/**
 * Test helpers: a VuContext without a scheduler, and a recorder that keeps every sample so tests
 * can assert on what a protocol module recorded. For tests only (it stores samples, which the real
 * metric store never does).
 *
 *   const { vu, recorder } = makeTestVu({ options: { maxRedirects: 2 } });
 *   const res = await runInVu(vu, () => http.get(url));
 *   assert.equal(recorder.values('http_reqs').length, 1);
 */
import type { SampleGroup } from '../../metrics/group.js';
import type { Metric } from '../../metrics/metric.js';
import type { SampleRecorder } from '../../metrics/recorder.js';
import { MetricRegistry } from '../../metrics/registry.js';
import { TagSetCache, type TagSet, type Tags } from '../../metrics/tags.js';
import { PLAIN_DEFAULTS } from '../../config/option-specs.js';
import type { ResolvedOptions } from '../../config/types.js';
import { defineCoreMetrics } from '../metrics.js';
import { vuStorage, type ScenarioInfo, type VuContext } from '../context.js';

/** One recorded sample. */
export interface TestSample {
  metric: string;
  value: number;
  tags: Tags;
  tagSet: TagSet;
}

/** A SampleRecorder that keeps every sample in order. */
export class TestRecorder implements SampleRecorder {
  readonly tagSets = new TagSetCache();
  readonly samples: TestSample[] = [];

  add(metric: Metric, value: number, tags: TagSet): void {
    this.samples.push({ metric: metric.name, value, tags: tags.tags, tagSet: tags });
  }

  record(group: SampleGroup, tags: TagSet, values: Float64Array): void {
    group.metrics.forEach((m, i) => {
      const v = values[i]!;
      if (v === v) this.samples.push({ metric: m.name, value: v, tags: tags.tags, tagSet: tags });
    });
  }

  /** Samples of one metric, optionally only those whose tags include `where`. */
  of(metric: string, where: Record<string, string> = {}): TestSample[] {
    return this.samples.filter((s) => s.metric === metric && Object.entries(where).every(([k, v]) => s.tags[k] === v));
  }

  /** Values of one metric (optionally filtered by tags). */
  values(metric: string, where: Record<string, string> = {}): number[] {
    return this.of(metric, where).map((s) => s.value);
  }

  clear(): void {
    this.samples.length = 0;
  }
}

export interface TestVuOptions {
  /** Default 1. */
  id?: number;
  /** Options as the VU sees them: these fields, the option table's defaults for the rest. */
  options?: Partial<ResolvedOptions>;
  /** Tags the VU starts with. Default { scenario: 'default' }. */
  tags?: Record<string, string>;
  env?: Record<string, string>;
  /** Default process.cwd(). */
  scriptDir?: string;
  /** Share a recorder between VUs. */
  recorder?: TestRecorder;
}

export interface TestVu {
  vu: VuContext;
  recorder: TestRecorder;
  /** Aborts the VU's signal (a hard stop). */
  abort(): void;
  /** Closes the VU's protocol resources (as the runtime does when a VU retires). */
  close(): Promise<void>;
}

/** A VuContext wired to a TestRecorder and a fresh registry with the built-in metrics. */
export function makeTestVu(o: TestVuOptions = {}): TestVu {
  const recorder = o.recorder ?? new TestRecorder();
  const registry = new MetricRegistry();
  const metrics = defineCoreMetrics(registry);
  const ac = new AbortController();
  const scenario: ScenarioInfo = {
    name: o.tags?.scenario ?? 'default',
    executor: 'per-vu-iterations',
    startTime: Date.now(),
    iterationInInstance: 0,
    iterationInTest: 0,
    progress: 0,
  };
  const vu: VuContext = {
    id: o.id ?? 1,
    iteration: 0,
    iterationInScenario: 0,
    scenario,
    tags: recorder.tagSets.of(o.tags ?? { scenario: scenario.name }),
    group: '',
    env: o.env ?? {},
    recorder,
    metrics,
    registry,
    slots: new Map(),
    signal: ac.signal,
    scriptDir: o.scriptDir ?? process.cwd(),
    options: { ...PLAIN_DEFAULTS, scenarios: [], proxies: [], faults: [], thresholds: {}, env: {}, ...o.options },
  };
  return {
    vu,
    recorder,
    abort: () => ac.abort(),
    close: async () => {
      for (const r of vu.slots.values()) await r.close();
      vu.slots.clear();
    },
  };
}

/** Runs `fn` as code of this VU (so `currentVu()` finds it). */
export function runInVu<T>(vu: VuContext, fn: () => T): T {
  return vuStorage.run(vu, fn);
}
