/** Helpers shared by the output tests (not part of the API). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricType, ValueType } from '../../metrics/metric.js';
import type { OutputContext, SampleBatch } from '../types.js';

export const T0 = Date.UTC(2025, 0, 15, 9, 30, 0); // 2025-01-15T09:30:00Z

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'volley-out-'));
}

export function context(cwd: string, extra: Partial<OutputContext> = {}): OutputContext & { warnings: string[] } {
  const warnings: string[] = [];
  const metricTypes = new Map<string, { type: MetricType; contains: ValueType }>([
    ['http_reqs', { type: 'counter', contains: 'default' }],
    ['http_req_duration', { type: 'trend', contains: 'time' }],
    ['checks', { type: 'rate', contains: 'default' }],
    ['vus', { type: 'gauge', contains: 'default' }],
  ]);
  return { metricTypes, cwd, warn: (m) => warnings.push(m), warnings, ...extra };
}

/** Two batches as a worker sends them: tag sets travel once, the second batch reuses them by id. */
export function batches(): [SampleBatch, SampleBatch] {
  const metricNames = ['vus', 'http_reqs', 'http_req_duration', 'checks'];
  const first: SampleBatch = {
    metricNames,
    tagSets: new Map<number, Record<string, string>>([
      [0, {}],
      [1, { method: 'GET', name: 'http://127.0.0.1/api/query', status: '200', scenario: 'browse', expected_response: 'true', route: '/api/query', vu: '3', iter: '7' }],
      [2, { check: 'status is 200, "really"', group: '::browse', scenario: 'browse' }],
    ]),
    metric: new Uint16Array([0, 1, 2, 3]),
    value: new Float64Array([5, 1, 12.345678, 1]),
    tagSet: new Int32Array([0, 1, 1, 2]),
    time: new Float64Array([T0, T0 + 1.5, T0 + 1.5, T0 + 2.25]),
    length: 4,
  };
  const second: SampleBatch = {
    metricNames,
    tagSets: new Map(),
    metric: [1, 2, 3],
    value: [1, 1500, 0],
    tagSet: [1, 1, -1],
    time: [T0 + 1000, T0 + 1000.000001, T0 + 2000],
    length: 3,
    inlineTags: [undefined, undefined, { check: 'inline', custom: 'x y' }],
  };
  return [first, second];
}
