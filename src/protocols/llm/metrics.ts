/**
 * What `volley/llm` records (definitions and formulas: docs/llm.md). One call is one sample group
 * (`LLM_CALL`, slots in this order); each gap between two token events is one `LLM_GAP` sample (the
 * pooled inter-token latency, as vLLM's ITL).
 */
import { declareSampleGroup } from '../../metrics/group.js';
import type { MetricDeclarations } from '../../metrics/catalog.js';
import type { MetricSpec } from '../../metrics/metric.js';

const time = (name: string): MetricSpec => ({ name, type: 'trend', contains: 'time' });

export const LLM_METRICS = {
  llm_reqs: { name: 'llm_reqs', type: 'counter', contains: 'default' },
  llm_req_failed: { name: 'llm_req_failed', type: 'rate', contains: 'default' },
  llm_request_duration: time('llm_request_duration'),
  llm_time_to_first_token: time('llm_time_to_first_token'),
  llm_time_to_first_any_token: time('llm_time_to_first_any_token'),
  llm_inter_token_latency: time('llm_inter_token_latency'),
  llm_inter_token_latency_mean: time('llm_inter_token_latency_mean'),
  llm_time_per_output_token: time('llm_time_per_output_token'),
  llm_output_tokens_per_second: { name: 'llm_output_tokens_per_second', type: 'trend', contains: 'default' },
  llm_input_tokens: { name: 'llm_input_tokens', type: 'counter', contains: 'default' },
  llm_output_tokens: { name: 'llm_output_tokens', type: 'counter', contains: 'default' },
  llm_tokens_from_tokenizer: { name: 'llm_tokens_from_tokenizer', type: 'rate', contains: 'default' },
  llm_in_flight: { name: 'llm_in_flight', type: 'gauge', contains: 'default' },
} as const satisfies Record<string, MetricSpec>;

export const LLM_CALL = declareSampleGroup('llm', [
  LLM_METRICS.llm_reqs,
  LLM_METRICS.llm_req_failed,
  LLM_METRICS.llm_request_duration,
  LLM_METRICS.llm_time_to_first_token,
  LLM_METRICS.llm_time_to_first_any_token,
  LLM_METRICS.llm_inter_token_latency_mean,
  LLM_METRICS.llm_time_per_output_token,
  LLM_METRICS.llm_output_tokens_per_second,
  LLM_METRICS.llm_input_tokens,
  LLM_METRICS.llm_output_tokens,
  LLM_METRICS.llm_tokens_from_tokenizer,
]);
export const S_REQS = 0;
export const S_FAILED = 1;
export const S_DURATION = 2;
export const S_TTFT = 3;
export const S_TTF_ANY = 4;
export const S_ITL_MEAN = 5;
export const S_TPOT = 6;
export const S_TPS = 7;
export const S_INPUT = 8;
export const S_OUTPUT = 9;
export const S_TOKENIZER = 10;

export const LLM_GAP = declareSampleGroup('llm_gap', [LLM_METRICS.llm_inter_token_latency]);

/**
 * The worker's calls in flight, recorded as it changes (when a call starts and when it ends, never
 * per token) with no tag: its per-second column (`level`) is each worker's value at the end of the
 * second, summed over the workers.
 */
export const LLM_IN_FLIGHT = declareSampleGroup('llm_in_flight', [LLM_METRICS.llm_in_flight]);

export const LLM_DECLARATIONS: MetricDeclarations = {
  name: 'llm',
  metrics: Object.values(LLM_METRICS),
  breakdowns: [
    {
      name: 'llm_route',
      by: ['name', 'model'],
      max: 100,
      metrics: ['llm_reqs', 'llm_req_failed', 'llm_time_to_first_token', 'llm_request_duration', 'llm_inter_token_latency', 'llm_output_tokens_per_second', 'llm_output_tokens'],
      // The summary's LLM ROUTES table (an LLM call records no http_* sample, so ROUTES does not list it).
      table: {
        title: 'LLM ROUTES',
        columns: [
          { label: 'REQS', metric: 'llm_reqs', stat: 'count' },
          { label: 'ERRORS', metric: 'llm_req_failed', stat: 'rate' },
          { label: 'TTFT P50', metric: 'llm_time_to_first_token', stat: 'med' },
          { label: 'TTFT P95', metric: 'llm_time_to_first_token', stat: 'p(95)' },
          { label: 'ITL P95', metric: 'llm_inter_token_latency', stat: 'p(95)' },
          { label: 'TOK/S P50', metric: 'llm_output_tokens_per_second', stat: 'med' },
          { label: 'OUT TOKENS', metric: 'llm_output_tokens', stat: 'count' },
        ],
      },
    },
    { name: 'llm_error', by: ['error_kind'], max: 20, metrics: ['llm_req_failed'] },
  ],
  series: [
    { metric: 'llm_reqs', as: 'per-second' },
    { metric: 'llm_output_tokens', as: 'per-second' },
    { metric: 'llm_req_failed', as: 'rate' },
    { metric: 'llm_time_to_first_token', as: 'trend' },
    { metric: 'llm_inter_token_latency', as: 'trend' },
    { metric: 'llm_in_flight', as: 'level' },
  ],
  charts: [
    {
      id: 'chart-llm-latency',
      title: 'LLM latency',
      caption: 'TTFT p50/p95 · inter-token latency p95, every gap pooled (right)',
      series: [
        { column: 'llm_time_to_first_token.p50', label: 'TTFT p50', unit: 'ms' },
        { column: 'llm_time_to_first_token.p95', label: 'TTFT p95', unit: 'ms' },
        { column: 'llm_inter_token_latency.p95', label: 'ITL p95', unit: 'ms', right: true },
      ],
    },
    {
      id: 'chart-llm-throughput',
      title: 'LLM throughput',
      caption: 'Output tokens/s, all streams · LLM requests/s (right)',
      series: [
        { column: 'llm_output_tokens', label: 'output tokens/s', unit: 'per-second' },
        { column: 'llm_reqs', label: 'LLM requests/s', unit: 'per-second', right: true },
      ],
    },
    {
      id: 'chart-llm-in-flight',
      title: 'LLM in flight',
      caption: 'Calls awaiting or streaming their answer, at the end of each second, all workers',
      series: [{ column: 'llm_in_flight', label: 'in flight', unit: 'count' }],
    },
  ],
};
