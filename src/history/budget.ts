import { configError } from '../errors/index.js';

/**
 * A regression budget, `--max-regression 'http_req_duration:p(95)=+10%'`: the run fails (exit 98)
 * when the statistic changed significantly, in the budget's direction, by more than the percentage.
 * `+` budgets an increase (latency, errors), `-` a decrease (throughput). Grammar:
 *
 *   budget := metric [ '{' tag ':' value '}' ] ':' stat '=' ('+' | '-') number '%'
 *   stat   := avg | min | med | max | p(N) | rate | count | value
 *
 * A `{name:/route}` selector applies the budget to one route (http_req_duration only).
 */
export interface Budget {
  /** As the user wrote it. */
  spec: string;
  metric: string;
  stat: string;
  /** The `name` tag value of a route selector. */
  route: string | undefined;
  /** +1: an increase is the regression; -1: a decrease. */
  sign: 1 | -1;
  /** Allowed relative change, e.g. 0.1 for 10 %. */
  limit: number;
}

const RE = /^([A-Za-z_][A-Za-z0-9_.]*)(?:\{name:([^}]+)\})?:(avg|min|med|max|p\(\d+(?:\.\d+)?\)|rate|count|value)=([+-])(\d+(?:\.\d+)?)%$/;

/** Parses budgets; every problem at once, as a VolleyError E_BUDGET (exit 104) naming each value. */
export function parseBudgets(specs: readonly string[]): Budget[] {
  const out: Budget[] = [];
  const problems: string[] = [];
  for (const spec of specs) {
    const m = RE.exec(spec.trim());
    if (!m) {
      problems.push(`--max-regression ${JSON.stringify(spec)}: ${why(spec.trim())}`);
      continue;
    }
    out.push({ spec, metric: m[1]!, route: m[2], stat: m[3]!, sign: m[4] === '-' ? -1 : 1, limit: Number(m[5]) / 100 });
  }
  if (problems.length) throw configError('E_BUDGET', problems.join('\n'), "write METRIC:STAT=+N% or -N%, e.g. 'http_req_duration:p(95)=+10%' or 'http_reqs:rate=-5%'");
  return out;
}

function why(s: string): string {
  if (!s.includes('=')) return 'missing "=" and a percentage';
  const [lhs = '', rhs = ''] = s.split('=');
  if (!/^[+-]/.test(rhs)) return `the change ${JSON.stringify(rhs)} needs a sign: + for an increase, - for a decrease`;
  if (!rhs.endsWith('%')) return `the change ${JSON.stringify(rhs)} needs a "%"`;
  if (!/^[+-]\d+(\.\d+)?%$/.test(rhs)) return `the change ${JSON.stringify(rhs)} is not a percentage`;
  if (!lhs.includes(':')) return `${JSON.stringify(lhs)} needs a statistic, e.g. ${lhs}:p(95)`;
  return `${JSON.stringify(lhs)} is not METRIC:STAT (stats: avg, min, med, max, p(N), rate, count, value)`;
}
