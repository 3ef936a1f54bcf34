import { ExitCode, VolleyError } from '../../errors/index.js';
import { METRIC_NAME } from '../metric.js';

/** A threshold key: a metric name, optionally narrowed to the samples that carry some tags (a sub-metric). */
export interface MetricSelector {
  metric: string;
  /** Tag name → value a sample must carry to count; empty for the whole metric. */
  tags: Record<string, string>;
}

/**
 * Parses a threshold key, `name` or `name{tag:value,...}`, with k6's rules (`ParseMetricName` and
 * `AddSubmetric` in k6's metrics/metric.go):
 *
 * - the tags sit between the first `{` and the last `}`, which must end the key;
 * - pairs are separated by `,` (so a value cannot contain a comma) and split at their first `:`
 *   (so a value may contain `:`, as in `{url:http://x/y}`, and `{`/`}`);
 * - keys and values are trimmed of surrounding spaces and then of surrounding quotes `"` and `'`
 *   (`{status:"200"}` is `{status:200}`); spaces inside a value are kept;
 * - every pair needs a non-empty key and value (a trailing comma is an error, as in k6).
 *
 * `http_req_duration{route:/api/query, status:200}` → `{ metric: 'http_req_duration', tags: { route: '/api/query', status: '200' } }`.
 * Throws a VolleyError (E_THRESHOLD, exit code 104) naming the key.
 */
export function parseMetricSelector(key: string): MetricSelector {
  const r = scanSelector(key);
  if (typeof r === 'string') {
    throw new VolleyError('E_THRESHOLD', `thresholds[${JSON.stringify(key)}]: ${r}`, { hint: SELECTOR_HINT, exitCode: ExitCode.InvalidConfig });
  }
  return r;
}

/** The hint attached to threshold key errors. */
export const SELECTOR_HINT = "threshold keys are a metric name, optionally with tags: 'iteration_duration' or 'iteration_duration{scenario:checkout,group:::login}'";

/** Parses a threshold key, returning the problem as a string instead of throwing. */
export function scanSelector(key: string): MetricSelector | string {
  if (typeof key !== 'string') return 'a threshold key must be a string';
  const open = key.indexOf('{');
  const close = key.lastIndexOf('}');
  if (open === -1 && close === -1) {
    const metric = key.trim();
    return checkName(metric) ?? { metric, tags: {} };
  }
  if (open === -1 || close === -1) return 'unmatched "{" or "}" in the tag filter';
  if (close < open) return '"}" comes before "{"';
  if (close !== key.length - 1) return 'the tag filter "{...}" must end the key';
  const metric = key.slice(0, open).trim();
  const bad = checkName(metric);
  if (bad) return bad;
  const inner = key.slice(open + 1, close);
  if (inner.trim() === '') return 'empty tag filter "{}": remove the braces or add tag:value pairs';
  const pairs: Array<[string, string]> = [];
  for (const pair of inner.split(',')) {
    const colon = pair.indexOf(':');
    if (colon === -1) {
      return pair.trim() === ''
        ? 'empty tag pair in the filter (a stray comma?)'
        : `tag filter ${JSON.stringify(pair.trim())} has no value: write it as tag:value`;
    }
    const k = unquote(pair.slice(0, colon));
    const v = unquote(pair.slice(colon + 1));
    if (k === '') return `tag filter ${JSON.stringify(pair.trim())} has no tag name`;
    if (v === '') return `tag filter ${JSON.stringify(pair.trim())} has no value`;
    pairs.push([k, v]);
  }
  // fromEntries defines own properties, so even a tag named "__proto__" is kept as a tag.
  return { metric, tags: Object.fromEntries(pairs) };
}

/**
 * A key as readers need it: its metric name and the text of its tag filter as written (between the
 * braces, '' for none). Lenient: a key that is not a valid selector is a metric of that name (keys
 * that reach readers were validated before the run). Every reader splits keys with this.
 */
export function selectorParts(key: string): { metric: string; filter: string } {
  const r = scanSelector(key);
  if (typeof r === 'string') return { metric: key, filter: '' };
  if (Object.keys(r.tags).length === 0) return { metric: r.metric, filter: '' };
  return { metric: r.metric, filter: key.slice(key.indexOf('{') + 1, key.lastIndexOf('}')) };
}

/** The metric a key names (`name` of `name{tag:value}`): `selectorParts(key).metric`. */
export function selectorMetric(key: string): string {
  return selectorParts(key).metric;
}

/** The canonical key of a selector: `name` or `name{k:v,k2:v2}` (tags in their order). */
export function formatMetricSelector(s: MetricSelector): string {
  const pairs = Object.entries(s.tags).map(([k, v]) => `${k}:${v}`);
  return pairs.length === 0 ? s.metric : `${s.metric}{${pairs.join(',')}}`;
}

function checkName(metric: string): string | undefined {
  if (metric === '') return 'missing the metric name';
  if (!METRIC_NAME.test(metric)) return `${JSON.stringify(metric)} is not a valid metric name (letters, digits and _, not starting with a digit)`;
  return undefined;
}

/** Trims spaces, then any quotes around (k6 trims the cutset `"'` from both ends). */
function unquote(s: string): string {
  return s.trim().replace(/^["']+|["']+$/g, '');
}
