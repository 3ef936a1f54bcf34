/**
 * Thresholds: k6's pass/fail criteria on metrics. Parse and validate them before the run
 * (`validateThresholds`), check custom metrics once they are declared (`checkThresholdMetricsExist`),
 * and evaluate them during and after the run (`ThresholdSet`).
 */
export {
  type Aggregation,
  type ThresholdOperator,
  type ParsedThreshold,
  AGGREGATION_KEYWORDS,
  THRESHOLD_OPERATORS,
  THRESHOLD_HINT,
  describeInvalid,
  parseThresholdExpression,
  tryParseThresholdExpression,
  formatThresholdExpression,
  aggregationKey,
  DEFAULT_BUDGET_WINDOW_MS,
} from './expression.js';
export { type MetricSelector, parseMetricSelector, formatMetricSelector, selectorParts, selectorMetric } from './selector.js';
export { AGGREGATIONS_BY_TYPE, supportsAggregation, describeAggregations } from './aggregations.js';
export {
  type ThresholdSpecLike,
  type MetricTypeLookup,
  validateThresholds,
  checkThresholdMetricsExist,
  collectThresholdProblems,
} from './validate.js';
export {
  type StatName,
  type StatReader,
  type ThresholdEval,
  type ThresholdEntry,
  type EvaluateOptions,
  type BudgetState,
  ThresholdSet,
  emptyStatReader,
  compare,
} from './threshold-set.js';
export { type WindowVerdict, type WindowLayout, ThresholdWindows, STEPS_PER_WINDOW } from './windows.js';
export {
  type BreachInterval,
  type BreachAccount,
  type TimeBudgetState,
  type SharedBudgetState,
  BreachLedger,
  BreachUnion,
  breachAccount,
  MAX_BREACHES,
} from './time-budget.js';
