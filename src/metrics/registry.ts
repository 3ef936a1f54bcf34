import { configError } from '../errors/index.js';
import { METRIC_NAME, type Metric, type MetricSpec, type MetricType, type ValueType } from './metric.js';

/**
 * Holds metric definitions by name. Every thread builds the same built-ins in the same order,
 * and custom metrics are declared by name, so metrics are matched across threads by name.
 */
export class MetricRegistry {
  private readonly byName = new Map<string, Metric>();
  private readonly list: Metric[] = [];

  /** Returns the metric, creating it; re-declaring with another type is a user error. */
  define(name: string, type: MetricType, contains: ValueType = 'default'): Metric {
    const existing = this.byName.get(name);
    if (existing) {
      if (existing.type !== type) {
        throw configError('E_METRIC_TYPE', `metric "${name}" is already a ${existing.type}; it cannot also be a ${type}`, 'give the new metric another name');
      }
      return existing;
    }
    if (!METRIC_NAME.test(name)) {
      throw configError('E_METRIC_NAME', `invalid metric name "${name}"`, 'metric names use letters, digits and _ (at most 128), and do not start with a digit');
    }
    const m: Metric = { id: this.list.length, name, type, contains };
    this.byName.set(name, m);
    this.list.push(m);
    return m;
  }

  /** `define` for a declared metric. */
  declare(spec: MetricSpec): Metric {
    return this.define(spec.name, spec.type, spec.contains);
  }

  get(name: string): Metric | undefined {
    return this.byName.get(name);
  }

  byId(id: number): Metric {
    return this.list[id]!;
  }

  all(): readonly Metric[] {
    return this.list;
  }
}
