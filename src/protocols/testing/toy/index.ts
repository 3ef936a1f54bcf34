/**
 * A throwaway protocol, to show (and test) the protocol contract: everything it needs is in this
 * folder, and registering it is one line (`[...PROTOCOLS, toyProtocol]`, as protocols/index.ts
 * lists HTTP). It records one sample group per call: an op counter, its latency and a failure rate,
 * with a per-op breakdown, its ops in the per-scenario table and two time-series columns.
 */
import type { MetricDeclarations } from '../../../metrics/catalog.js';
import { declareSampleGroup, NO_SAMPLE } from '../../../metrics/group.js';
import type { MetricSpec } from '../../../metrics/metric.js';
import { currentVu } from '../../../vu/context.js';
import type { Protocol } from '../../contract.js';

const TOY_METRICS = [
  { name: 'toy_ops', type: 'counter', contains: 'default' },
  { name: 'toy_latency', type: 'trend', contains: 'time' },
  { name: 'toy_failed', type: 'rate', contains: 'default' },
] as const satisfies readonly MetricSpec[];

const TOY_CALL = declareSampleGroup('toy', TOY_METRICS);

const DECLARATIONS: MetricDeclarations = {
  name: 'toy',
  metrics: TOY_METRICS,
  breakdowns: [
    { name: 'toy_op', by: ['op'], max: 10, metrics: ['toy_ops', 'toy_latency'] },
    { name: 'scenario', metrics: ['toy_ops'] },
  ],
  series: [
    { metric: 'toy_ops', as: 'per-second' },
    { metric: 'toy_latency', as: 'trend' },
  ],
};

export const toyProtocol: Protocol = { name: 'toy', metrics: DECLARATIONS };

const values = new Float64Array(TOY_CALL.metrics.length);

/** The toy's user API: one call, one sample group. `failed` undefined: no failure sample. */
export function toyCall(op: string, latencyMs: number, failed?: boolean): void {
  const vu = currentVu('toy.call()');
  values[0] = 1;
  values[1] = latencyMs;
  values[2] = failed === undefined ? NO_SAMPLE : failed ? 1 : 0;
  vu.recorder.record(TOY_CALL, vu.recorder.tagSets.with1(vu.tags, 'op', op), values);
}
