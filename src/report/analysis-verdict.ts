/**
 * Findings about the verdict: an aborted run, failed thresholds (by how much, and for how much of
 * the run the per-second series was over the limit), thresholds that barely passed, failing
 * checks, and open-model scenarios that dropped iterations.
 */
import { compare } from '../metrics/thresholds/threshold-set.js';
import { humanizeCount, humanizeDuration } from '../summary/format.js';
import type { CheckData, GroupData, SummaryData, ThresholdResult } from '../summary/types.js';
import { runStartMs, seriesOf } from './analysis-load.js';
import { ANCHORS, offsetText, rateText, type Finding } from './findings.js';
import { percentText, thresholdMargin } from './threshold-margin.js';
import { selectorMetric } from '../metrics/thresholds/selector.js';

/** Passed thresholds closer to their limit than this (relative) are reported as near misses. */
export const NEAR_MISS = 0.1;

/** The chart or table that shows a metric. */
export function anchorOfMetric(metric: string): string {
  const base = selectorMetric(metric);
  if (base.startsWith('http_req_') && base !== 'http_req_failed') return ANCHORS.latency;
  if (base === 'http_req_failed') return ANCHORS.errors;
  if (base === 'checks') return ANCHORS.checks;
  if (base === 'http_reqs' || base === 'vus' || base === 'iterations') return ANCHORS.load;
  if (base === 'data_received' || base === 'data_sent') return ANCHORS.data;
  if (base.startsWith('monitor_')) return ANCHORS.monitors;
  return ANCHORS.thresholds;
}

/** The per-second series that tracks a threshold's aggregation, when the summary has one. */
export function seriesOfThreshold(t: ThresholdResult, aggregation: string): string | undefined {
  if (t.metric === 'http_req_duration') {
    const m = /^p\((50|90|95|99)\)$/.exec(aggregation);
    if (m) return `http_req_duration.p${m[1]}`;
    if (aggregation === 'med') return 'http_req_duration.p50';
    if (aggregation === 'avg' || aggregation === 'max') return `http_req_duration.${aggregation}`;
  }
  if ((t.metric === 'http_req_failed' || t.metric === 'checks') && aggregation === 'rate') return t.metric;
  if (t.metric === 'http_reqs' && aggregation === 'rate') return 'http_reqs';
  // A monitored series: one scrape a second, so its column is the value of each second.
  if (t.metric.startsWith('monitor_') && (aggregation === 'value' || aggregation === 'max')) return t.metric;
  return undefined;
}

/** How much of the run a threshold's per-second series was on the failing side of the limit. */
function overLimitText(data: SummaryData, t: ThresholdResult, aggregation: string, limit: number | undefined, op: Parameters<typeof compare>[1] | undefined): string {
  const name = seriesOfThreshold(t, aggregation);
  const ts = data.volley?.timeSeries;
  if (!name || !ts || limit === undefined || !op) return '';
  const s = seriesOf(ts, name);
  let n = 0;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (typeof v !== 'number') continue;
    n++;
    if (!compare(v, op, limit)) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (n < 3) return '';
  if (bad === 0) return ` Second by second it never crossed the limit: the run as a whole did, through its tail.`;
  const stat = aggregation === 'rate' ? 'value' : aggregation;
  return ` The per-second ${stat} was over the limit during ${percentText(bad / n)} of the run, first at ${offsetText(ts.t[first]! - runStartMs(data))}${bad / n < 0.25 ? ': a part of the run, not all of it, failed it' : ''}.`;
}

/** The run was aborted (by a threshold, the script or the user). */
export function abortedFinding(data: SummaryData): Finding | undefined {
  const v = data.volley?.verdict;
  if (!v?.aborted) return undefined;
  const start = Date.parse(data.volley.startTime);
  const end = Date.parse(data.volley.endTime);
  const ran = Number.isFinite(start) && Number.isFinite(end) ? ` after ${humanizeDuration(Math.max(0, end - start))}` : '';
  const byThreshold = (data.volley.thresholds ?? []).some((t) => t.aborted);
  return {
    kind: 'test-aborted',
    severity: 'critical',
    title: `The test was aborted${ran}${v.abortReason ? `: ${v.abortReason}` : ''}`,
    detail: 'The figures cover only the part of the test that ran; the load it would have reached later was never applied.',
    anchor: byThreshold ? ANCHORS.thresholds : ANCHORS.errorsTable,
  };
}

/** One finding per failed threshold: measured value, limit, by how much, and for how much of the run. */
export function thresholdFindings(data: SummaryData): Finding[] {
  const out: Finding[] = [];
  for (const t of data.volley?.thresholds ?? []) {
    const m = thresholdMargin(t, data);
    if (!t.ok) {
      const by = m.marginText ? `: ${m.marginText}` : '';
      const limit = m.limitText ? ` (limit ${m.aggregation}${m.op ?? ''}${m.limitText})` : '';
      const detail =
        m.value === null
          ? 'The metric had no data, so the threshold could not pass.'
          : `The run's ${m.aggregation} of ${t.metric} was ${m.valueText}${limit}.${overLimitText(data, t, m.aggregation, m.limit, m.op)}${t.aborted ? ' It aborted the test (abortOnFail).' : ''}`;
      out.push({
        kind: 'threshold-failed',
        severity: 'critical',
        title: `Threshold ${t.metric} '${t.expr}' failed with ${m.aggregation} = ${m.valueText}${by}`,
        detail,
        anchor: anchorOfMetric(t.metric),
      });
    } else if (m.relative !== null && m.relative < NEAR_MISS && m.op !== '==' && m.op !== '===' && m.op !== '!=') {
      out.push({
        kind: 'threshold-near',
        severity: 'info',
        title: `Threshold ${t.metric} '${t.expr}' passed with only ${percentText(m.relative)} headroom (${m.aggregation} = ${m.valueText})`,
        detail: `A regression of ${percentText(m.relative)} would fail it.`,
        anchor: anchorOfMetric(t.metric),
      });
    }
  }
  return out;
}

/** Every check with its group path, depth-first. */
export function allChecks(g: GroupData | undefined, out: Array<CheckData & { group: string }> = []): Array<CheckData & { group: string }> {
  if (!g) return out;
  for (const c of g.checks ?? []) out.push({ ...c, group: g.path.split('::').filter(Boolean).join(' › ') });
  for (const sub of g.groups ?? []) allChecks(sub, out);
  return out;
}

/** Checks that failed at least once, worst first. */
export function checksFinding(data: SummaryData): Finding | undefined {
  const failing = allChecks(data.root_group)
    .filter((c) => c.fails > 0)
    .map((c) => ({ ...c, rate: c.fails / (c.passes + c.fails) }))
    .sort((a, b) => b.rate - a.rate || b.fails - a.fails);
  if (failing.length === 0) return undefined;
  const describe = (c: (typeof failing)[number]) =>
    `"${c.name}"${c.group ? ` (${c.group})` : ''} failed ${rateText(c.rate)} of the time (${humanizeCount(c.fails)} of ${humanizeCount(c.passes + c.fails)})`;
  const worst = failing[0]!;
  const rest = failing.slice(1, 5).map(describe);
  return {
    kind: 'checks-failed',
    severity: 'warning',
    title: failing.length === 1 ? `Check ${describe(worst)}` : `${failing.length} checks failed; the worst, ${describe(worst)}`,
    detail:
      (rest.length > 0 ? `Also: ${rest.join('; ')}${failing.length > 5 ? `; and ${failing.length - 5} more` : ''}. ` : '') +
      'A failed check is a response the script judged wrong, whatever its status code.',
    anchor: ANCHORS.checks,
  };
}

/** A scenario's options as the summary recorded them (an array of resolved scenarios, or a name → options map). */
export function scenarioOptions(data: SummaryData, name: string): Record<string, unknown> | undefined {
  const sc = data.volley?.options?.scenarios;
  if (Array.isArray(sc)) return sc.find((s) => (s as { name?: unknown })?.name === name) as Record<string, unknown> | undefined;
  if (sc && typeof sc === 'object') return (sc as Record<string, Record<string, unknown>>)[name];
  return undefined;
}

/** Open-model scenarios that dropped iterations: they could not keep their arrival rate. */
export function droppedIterationsFindings(data: SummaryData): Finding[] {
  const out: Finding[] = [];
  const ts = data.volley?.timeSeries;
  const dropped = ts ? seriesOf(ts, 'dropped_iterations') : [];
  const firstDrop = dropped.findIndex((v) => typeof v === 'number' && v > 0);
  for (const sc of data.volley?.scenarios ?? []) {
    if (!(sc.droppedIterations > 0)) continue;
    const planned = sc.iterations + sc.droppedIterations;
    const maxVUs = scenarioOptions(data, sc.name)?.maxVUs;
    const atMax = typeof maxVUs === 'number' && sc.vusMax >= maxVUs;
    const when = ts && firstDrop >= 0 ? `, first at ${offsetText(ts.t[firstDrop]! - runStartMs(data))}` : '';
    out.push({
      kind: 'dropped-iterations',
      severity: 'warning',
      title: `Scenario "${sc.name}" could not keep its arrival rate: ${humanizeCount(sc.droppedIterations)} iterations dropped (${rateText(sc.droppedIterations / planned)})`,
      detail:
        `${humanizeCount(sc.droppedIterations)} of ${humanizeCount(planned)} iterations were not started because no VU was free${when}` +
        (atMax ? `; it had all ${humanizeCount(maxVUs)} VUs it may allocate (maxVUs) busy.` : `; it peaked at ${humanizeCount(sc.vusMax)} VUs.`) +
        ` Its iterations took ${humanizeDuration(sc.iterationDurationP95)} (p95): an arrival-rate scenario needs about rate × iteration duration VUs, so slower responses need more VUs.`,
      anchor: ANCHORS.scenarios,
      recommendation: atMax
        ? `Raise maxVUs of scenario "${sc.name}" above ${humanizeCount(maxVUs)} (or lower its rate) so the planned load is applied — unless its iterations are slow because the service is, in which case the dropped iterations are the symptom.`
        : `Scenario "${sc.name}" dropped iterations below its maxVUs: the generator could not start VUs in time; give it more room (--workers) or raise preAllocatedVUs.`,
    });
  }
  return out;
}
