/**
 * Service-level objectives of `volley llm-bench --goodput`: `ttft:p(95)<2s`, `tpot:p(99)<=50ms`,
 * `e2el:avg<10s`, `itl:med<30ms`. Each is a per-request bound (a request is "good" when its value
 * meets every bound: goodput, as vLLM and DistServe count it) and a step verdict (the step's
 * statistic meets the bound).
 */
import { configError } from '../errors/index.js';
import { parseDurationMs } from '../util/duration.js';

export type SloMetric = 'ttft' | 'tpot' | 'itl' | 'e2el';

export interface Slo {
  /** As written. */
  text: string;
  metric: SloMetric;
  /** 'avg', 'med' or a percentile 0–100. */
  stat: 'avg' | 'med' | number;
  inclusive: boolean;
  limitMs: number;
}

const RE = /^\s*(ttft|tpot|itl|e2el|e2e)\s*:\s*(avg|mean|med|median|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|<)\s*([0-9.]+(?:ns|us|µs|ms|s|m)?)\s*$/;

export function parseSlo(text: string): Slo {
  const m = RE.exec(text);
  if (!m) throw configError('E_LLMBENCH_GOODPUT', `--goodput '${text}' is not an SLO`, "write METRIC:STAT<LIMIT with METRIC ttft, tpot, itl or e2el and STAT p(N), avg or med, e.g. --goodput 'ttft:p(95)<2s'");
  const limit = /^[0-9.]+$/.test(m[5]!) ? Number(m[5]) : parseDurationMs(m[5]!);
  if (limit === undefined || !Number.isFinite(limit)) throw configError('E_LLMBENCH_GOODPUT', `--goodput '${text}': '${m[5]}' is not a duration`, 'e.g. 2s or 50ms (a bare number is ms)');
  const s = m[2]!;
  const stat = s === 'avg' || s === 'mean' ? 'avg' : s === 'med' || s === 'median' ? 'med' : Number(m[3]);
  if (typeof stat === 'number' && !(stat > 0 && stat <= 100)) throw configError('E_LLMBENCH_GOODPUT', `--goodput '${text}': percentile ${stat} is not in (0, 100]`, 'e.g. p(95)');
  return { text: text.trim(), metric: m[1] === 'e2e' ? 'e2el' : (m[1] as SloMetric), stat, inclusive: m[4] === '<=', limitMs: limit };
}

export function meets(slo: Slo, v: number): boolean {
  return slo.inclusive ? v <= slo.limitMs : v < slo.limitMs;
}
