/**
 * `volley/summary`: helpers for a script's `handleSummary(data)`, as k6's jslib k6-summary
 * (`https://jslib.k6.io/k6-summary/0.1.0/index.js`).
 *
 *   import { textSummary, jUnit } from 'volley/summary';
 *   export function handleSummary(data: SummaryData) {
 *     return { stdout: textSummary(data, { indent: ' ', enableColors: true }), 'junit.xml': jUnit(data) };
 *   }
 */
import { renderJUnit } from '../report/junit.js';
import { renderTextSummary } from '../summary/text.js';
import type { SummaryData } from '../summary/types.js';

export type { SummaryData };

/** Options of `textSummary` (k6-summary's). */
export interface TextSummaryOptions {
  /** Prefix of every line. Default '' (Volley's layout is already indented). */
  indent?: string;
  /** ANSI colours. Default: when stdout is a terminal and colours are not turned off (data.state, data.options). */
  enableColors?: boolean;
}

/** The end-of-test summary as Volley prints it by default, as text (k6-summary's `textSummary`). */
export function textSummary(data: SummaryData, options: TextSummaryOptions = {}): string {
  const color = options.enableColors ?? (Boolean(data.state?.isStdOutTTY) && !data.options?.noColor);
  const text = renderTextSummary(data, { color });
  const indent = options.indent ?? '';
  return indent ? text.replace(/^(?=.)/gm, indent) : text;
}

/**
 * JUnit XML of the run: a test case per threshold and per check, as `--junit` writes it
 * (k6-summary's `jUnit`; its `options.name`/`classname` are not used: suites are named by kind).
 */
export function jUnit(data: SummaryData, _options?: { name?: string; classname?: string }): string {
  return renderJUnit(data);
}

export default { textSummary, jUnit };
