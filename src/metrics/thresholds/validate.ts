import { ExitCode, VolleyError, suggest } from '../../errors/index.js';
import type { MetricType } from '../metric.js';
import { describeAggregations, supportsAggregation } from './aggregations.js';
import { THRESHOLD_HINT, aggregationKey, describeInvalid, tryParseThresholdExpression } from './expression.js';
import { SELECTOR_HINT, scanSelector } from './selector.js';

/**
 * One threshold as the resolved options hold it (structurally `ThresholdSpec` of config/types.ts;
 * declared here because metrics/ imports nothing from the rest of Volley).
 */
export interface ThresholdSpecLike {
  /** The expression, e.g. 'p(95)<300'. */
  threshold: string;
  /** Stop the test when this threshold fails. Default false. */
  abortOnFail: boolean;
  /** With abortOnFail: do not abort before this much test time has passed. Default 0. */
  delayAbortEvalMs: number;
}

/** Looks a metric's type up by name; undefined when no metric of that name is (yet) defined. */
export type MetricTypeLookup = (name: string) => MetricType | undefined;

/**
 * Checks every threshold key and expression, and the aggregations against the metric types that
 * are known. Throws ONE VolleyError (code E_THRESHOLD, exit code 104) that lists every problem,
 * each prefixed with where it is: `thresholds["http_req_duration"][1]: "p95<300" is not a threshold
 * expression; did you mean "p(95)<300"?`.
 *
 * A metric `metricTypeOf` does not know is not an error here: custom metrics are declared by the
 * script, possibly after the options are read (k6 checks this at the end of init). Call
 * `checkThresholdMetricsExist` once all metrics are declared.
 */
export function validateThresholds(thresholds: Record<string, readonly ThresholdSpecLike[]>, metricTypeOf: MetricTypeLookup): void {
  throwIfAny(collectThresholdProblems(thresholds, metricTypeOf, false));
}

/**
 * The end-of-init / end-of-test check: every threshold's metric must exist (custom metrics too), and
 * its aggregations must suit the metric's type. Throws one VolleyError (E_THRESHOLD, 104) listing
 * every problem, with a "did you mean" for misspelt metric names (among `knownMetrics` when given).
 */
export function checkThresholdMetricsExist(
  thresholds: Record<string, readonly ThresholdSpecLike[]>,
  metricTypeOf: MetricTypeLookup,
  knownMetrics?: Iterable<string>,
): void {
  throwIfAny(collectThresholdProblems(thresholds, metricTypeOf, true, knownMetrics));
}

/**
 * Every problem with the thresholds, as messages (empty when all is well). `unknownIsError`: report
 * thresholds on metrics `metricTypeOf` does not know.
 */
export function collectThresholdProblems(
  thresholds: Record<string, readonly ThresholdSpecLike[]>,
  metricTypeOf: MetricTypeLookup,
  unknownIsError: boolean,
  knownMetrics?: Iterable<string>,
): string[] {
  const problems: string[] = [];
  if (thresholds === null || typeof thresholds !== 'object') return ['thresholds must be an object of metric name → list of expressions'];
  for (const [key, specs] of Object.entries(thresholds)) {
    const where = `thresholds[${JSON.stringify(key)}]`;
    const sel = scanSelector(key);
    let type: MetricType | undefined;
    if (typeof sel === 'string') {
      problems.push(`${where}: ${sel}`);
    } else {
      type = metricTypeOf(sel.metric);
      if (type === undefined && unknownIsError) {
        const close = knownMetrics ? suggest(sel.metric, knownMetrics) : undefined;
        problems.push(`${where}: no metric named ${JSON.stringify(sel.metric)} was defined${close ? `; did you mean ${JSON.stringify(close)}?` : ''}`);
      }
    }
    if (!Array.isArray(specs)) {
      problems.push(`${where}: expected a list of threshold expressions`);
      continue;
    }
    specs.forEach((spec, i) => {
      const at = `${where}[${i}]`;
      const expr = spec?.threshold;
      if (typeof expr !== 'string') {
        problems.push(`${at}: expected a threshold expression string like 'p(95)<300'`);
        return;
      }
      const parsed = tryParseThresholdExpression(expr);
      if (!parsed) {
        problems.push(`${at}: ${describeInvalid(expr)}`);
        return;
      }
      const metricName = typeof sel === 'string' ? key : sel.metric;
      if (parsed.timeBudget !== undefined && UNWINDOWED_METRICS.has(metricName)) {
        problems.push(
          `${at}: ${JSON.stringify(expr)} is a time budget, but ${metricName} ${UNWINDOWED_METRICS.get(metricName)}: it has no per-second data to cut into windows; ` +
            `drop "budget … over …" and use a plain threshold`,
        );
      }
      if (parsed.windowMs !== undefined && UNWINDOWED_METRICS.has(metricName)) {
        problems.push(
          `${at}: ${JSON.stringify(expr)} is windowed ("for …"), but ${metricName} ${UNWINDOWED_METRICS.get(metricName)}: it has no per-second data to cut into windows; ` +
            `drop "for …" and use a plain threshold`,
        );
      }
      if (type !== undefined && !supportsAggregation(type, parsed.aggregation)) {
        const metric = typeof sel === 'string' ? key : sel.metric;
        problems.push(
          `${at}: ${JSON.stringify(expr)} uses ${aggregationKey(parsed)}, which a ${type} metric (${metric}) does not have; ` +
            `use ${describeAggregations(type)}`,
        );
      }
      const delay = spec.delayAbortEvalMs;
      if (delay !== undefined && !(typeof delay === 'number' && delay >= 0 && Number.isFinite(delay))) {
        problems.push(`${at}: delayAbortEval must be a duration of 0 or more, like '10s'`);
      }
    });
  }
  return problems;
}

/**
 * Metrics that never reach the per-second windows: measured by the main thread at the end of the
 * run, or sampled by it outside the workers' per-second deltas. A time budget or a windowed
 * threshold on them is refused (it would silently judge the whole run instead).
 */
const UNWINDOWED_METRICS: ReadonlyMap<string, string> = new Map([
  ['recovery_time', 'is measured at the end of the run'],
  ['faults_injected', 'is counted at the end of the run'],
  ['vus', 'is sampled by the main thread'],
  ['vus_max', 'is sampled by the main thread'],
]);

function throwIfAny(problems: string[]): void {
  if (problems.length === 0) return;
  const message = problems.length === 1 ? problems[0]! : `${problems.length} problems with thresholds:\n  - ${problems.join('\n  - ')}`;
  const keyProblem = problems.some((p) => /^thresholds\["[^"]*"\]: /.test(p) && !/^thresholds\["[^"]*"\]\[\d+\]/.test(p));
  throw new VolleyError('E_THRESHOLD', message, { hint: keyProblem ? `${SELECTOR_HINT}; ${THRESHOLD_HINT}` : THRESHOLD_HINT, exitCode: ExitCode.InvalidConfig });
}
