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
  /**
   * Records one value; returns true, or false (and records nothing) when the value is not a
   * number, as k6's `add` does. Booleans count as 1 and 0 (k6: `CounterErrors.add(!ok)`).
   */
  protected record(value: unknown, tags?: Record<string, string>): boolean {
    const vu = currentVu(`${this.metric.name}.add()`);
    const v = Number(value);
    if (Number.isNaN(v)) return false;
    const ts = tags ? vu.recorder.tagSets.with(vu.tags, tags) : vu.tags;
    vu.recorder.add(this.metric, v, ts);
    return true;
  }
}

/** A cumulative sum (k6 Counter); `isTime` makes values milliseconds. */
export class Counter extends CustomMetric {
  constructor(name: string, isTime = false) {
    super(name, 'counter', isTime);
  }
  /** Adds `value` (true when recorded). */
  add(value: number | boolean, tags?: Record<string, string>): boolean {
    return this.record(value, tags);
  }
}

/** The last value set, with min and max (k6 Gauge). */
export class Gauge extends CustomMetric {
  constructor(name: string, isTime = false) {
    super(name, 'gauge', isTime);
  }
  /** Sets the gauge to `value` (true when recorded). */
  add(value: number | boolean, tags?: Record<string, string>): boolean {
    return this.record(value, tags);
  }
}

/** The fraction of non-zero (truthy) values (k6 Rate). */
export class Rate extends CustomMetric {
  constructor(name: string) {
    super(name, 'rate');
  }
  /** Adds one sample: non-zero (truthy) or zero (true when recorded; always, as in k6). */
  add(value: unknown, tags?: Record<string, string>): boolean {
    return this.record(value ? 1 : 0, tags);
  }
}

/** A distribution: avg, min, max, percentiles (k6 Trend); `isTime` makes values milliseconds. */
export class Trend extends CustomMetric {
  constructor(name: string, isTime = false) {
    super(name, 'trend', isTime);
  }
  /** Adds one value to the distribution (true when recorded). */
  add(value: number | boolean, tags?: Record<string, string>): boolean {
    return this.record(value, tags);
  }
}
