/**
 * `volley/metrics`: custom metrics, as k6/metrics. Declare them in the init context (module top level);
 * call `add` from VU code.
 *
 *   const ttft = new Trend('llm_ttft', true);   // true: values are durations in ms
 *   ttft.add(123.4, { model: 'small' });
 */
import { currentVu } from '../vu/context.js';
import { threadRegistry } from '../vu/thread.js';
import type { Metric, MetricType } from '../metrics/metric.js';

abstract class CustomMetric {
  /** @internal */
  protected readonly metric: Metric;
  constructor(name: string, type: MetricType, isTime = false) {
    this.metric = threadRegistry.define(name, type, isTime ? 'time' : 'default');
  }
  get name(): string {
    return this.metric.name;
  }
  protected record(value: number, tags?: Record<string, string>): void {
    const vu = currentVu(`${this.metric.name}.add()`);
    const ts = tags ? vu.recorder.tagSets.with(vu.tags, tags) : vu.tags;
    vu.recorder.add(this.metric, value, ts);
  }
}

/** A cumulative sum (k6 Counter). */
export class Counter extends CustomMetric {
  constructor(name: string) {
    super(name, 'counter');
  }
  add(value: number, tags?: Record<string, string>): void {
    this.record(Number(value), tags);
  }
}

/** The last value set, with min and max (k6 Gauge). */
export class Gauge extends CustomMetric {
  constructor(name: string, isTime = false) {
    super(name, 'gauge', isTime);
  }
  add(value: number, tags?: Record<string, string>): void {
    this.record(Number(value), tags);
  }
}

/** The fraction of non-zero (truthy) values (k6 Rate). */
export class Rate extends CustomMetric {
  constructor(name: string) {
    super(name, 'rate');
  }
  add(value: number | boolean, tags?: Record<string, string>): void {
    this.record(value ? 1 : 0, tags);
  }
}

/** A distribution: avg, min, max, percentiles (k6 Trend); `isTime` makes values milliseconds. */
export class Trend extends CustomMetric {
  constructor(name: string, isTime = false) {
    super(name, 'trend', isTime);
  }
  add(value: number, tags?: Record<string, string>): void {
    this.record(Number(value), tags);
  }
}
