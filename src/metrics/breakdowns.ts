/**
 * Breakdowns: besides its total, a sample is also aggregated under the values of a few tags, for the
 * summary's per-route, per-scenario, per-check and per-error tables. Each has a cardinality cap per
 * thread; samples past it go to the '(other)' row, so memory stays bounded with unbounded URLs.
 * Which breakdowns exist, and which metrics feed each, is declared by the modules that record
 * those metrics (see catalog.ts); this module names none.
 */
export interface Breakdown {
  readonly name: string;
  readonly metrics: readonly string[];
  readonly by: readonly string[];
  readonly max: number;
  /** How readers show its rows (`TableSpec`); absent: no table of its own. */
  readonly table?: TableSpec;
}

export const OTHER = '(other)';
/** Separator between tag values in a breakdown key. */
export const SEP = '\u0000';

/**
 * A breakdown shown as a table (text summary, HTML report): one row per tag set (the breakdown's
 * `by` tags; sorted by the first column, descending: put the request count first), one column per
 * (metric, stat). Values are formatted by the metric's
 * type: a time trend as a duration, a rate as a percentage, a counter or other trend as a number.
 */
export interface TableSpec {
  /** Section title, e.g. 'LLM ROUTES'. */
  readonly title: string;
  readonly columns: readonly TableColumn[];
}

export interface TableColumn {
  readonly label: string;
  readonly metric: string;
  /** A snapshot value name: 'count' (counter), 'rate' / 'passes' (rate), 'med', 'p(95)', 'avg', 'max'... (trend). */
  readonly stat: string;
}
