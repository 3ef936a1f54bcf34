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
}

export const OTHER = '(other)';
/** Separator between tag values in a breakdown key. */
export const SEP = '\u0000';
