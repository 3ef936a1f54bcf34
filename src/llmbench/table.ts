/** A step as terminal text: throughput, token latencies (p50 / p95), goodput, SLO verdicts. */
import type { StepResult } from './stats.js';

const ms = (v: number | null): string => (v === null ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)}s` : v >= 100 ? `${Math.round(v)}ms` : `${v.toFixed(1)}ms`);
const n = (v: number | null, d = 2): string => (v === null ? '–' : v.toFixed(d));

export function stepTable(r: StepResult, index: number, load: string): string {
  const lines: string[] = [];
  const verdict = r.pass === null ? '' : r.pass ? '  ✓ meets the SLOs' : '  ✗ misses the SLOs';
  lines.push(`\nstep ${index}: ${r.profile} ${load}${verdict}`);
  lines.push(
    `  requests      ${r.completed} ok, ${r.failed} failed in ${n(r.duration, 1)} s   ${n(r.request_throughput)} req/s   goodput ${r.request_goodput === null ? '–' : `${n(r.request_goodput)} req/s`}   in flight ≤ ${r.max_concurrent_requests}`,
  );
  lines.push(`  tokens        ${r.total_input_tokens} in, ${r.total_output_tokens} out   output ${n(r.output_throughput, 1)} tok/s   total ${n(r.total_token_throughput, 1)} tok/s   (counted by ${r.tokens_counted_by === 'usage' ? "the server's usage" : r.tokens_counted_by === 'tokenizer' ? 'the tokenizer (gpt-tokenizer o200k)' : r.tokens_counted_by})`);
  lines.push('                    p50        p95        p99       mean');
  const row = (name: string, k: 'ttft' | 'itl' | 'tpot' | 'e2el') =>
    `  ${name.padEnd(14)}${ms(r[`p50_${k}_ms`]).padStart(7)}    ${ms(r[`p95_${k}_ms`]).padStart(7)}    ${ms(r[`p99_${k}_ms`]).padStart(7)}    ${ms(r[`mean_${k}_ms`]).padStart(7)}`;
  lines.push(row('TTFT', 'ttft'), row('ITL', 'itl'), row('TPOT', 'tpot'), row('E2E latency', 'e2el'));
  for (const s of r.slos) lines.push(`  ${s.pass ? '✓' : '✗'} ${s.slo}   (${s.value === null ? 'no data' : ms(s.value)})`);
  if (r.failed > 0) lines.push(`  errors        ${Object.entries(r.errors_by_kind).map(([k, c]) => `${k} ${c}`).join(', ')}   first: ${r.first_error ?? ''}`);
  if (r.over_saturated) lines.push(`  ! over-saturated: ${r.over_saturated}`);
  return `${lines.join('\n')}\n`;
}
