/**
 * Reading a saved summary (`--summary-export` JSON) back for `volley report`: parse, check that it
 * is a Volley summary of a schema version this Volley reads, and check the shape of the parts the
 * reports use, naming every problem at once. Errors are VolleyError E_REPORT_INPUT (exit 104)
 * naming the file.
 */
import { readFile } from 'node:fs/promises';
import { ExitCode, VolleyError } from '../errors/index.js';
import type { SummaryData } from '../summary/types.js';

/** Schema versions of `volley` this Volley reads. */
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [1];

const HINT = 'pass a file written by `volley run --summary-export FILE` (it has Volley\'s "volley" block with the time series the report needs)';

function inputError(file: string, problem: string, hint = HINT): VolleyError {
  return new VolleyError('E_REPORT_INPUT', `${JSON.stringify(file)} ${problem}`, { hint, exitCode: ExitCode.InvalidConfig });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Shape problems of a parsed summary, as 'path: what is wrong' strings (empty when fine). */
export function summaryShapeProblems(d: Record<string, unknown>): string[] {
  const p: string[] = [];
  const v = d.volley as Record<string, unknown>;
  if (!isObj(d.metrics)) p.push('metrics: not an object');
  if (d.root_group !== undefined && !isObj(d.root_group)) p.push('root_group: not an object');
  for (const k of ['thresholds', 'routes', 'scenarios', 'errors', 'warnings', 'timeBudgets']) if (v[k] !== undefined && !Array.isArray(v[k])) p.push(`volley.${k}: not an array`);
  for (const k of ['startTime', 'endTime']) if (v[k] !== undefined && typeof v[k] !== 'string') p.push(`volley.${k}: not a string`);
  if (v.verdict !== undefined && !isObj(v.verdict)) p.push('volley.verdict: not an object');
  const ts = v.timeSeries;
  if (ts !== undefined) {
    if (!isObj(ts)) p.push('volley.timeSeries: not an object');
    else {
      if (!Array.isArray(ts.t)) p.push('volley.timeSeries.t: not an array');
      if (!isObj(ts.series)) p.push('volley.timeSeries.series: not an object');
      else if (Array.isArray(ts.t)) {
        for (const [name, s] of Object.entries(ts.series)) {
          if (!Array.isArray(s)) p.push(`volley.timeSeries.series["${name}"]: not an array`);
          else if (s.length !== ts.t.length) p.push(`volley.timeSeries.series["${name}"]: ${s.length} values for ${ts.t.length} times`);
        }
      }
    }
  }
  const h = v.histogram;
  if (h !== undefined && !(isObj(h) && Array.isArray(h.buckets))) p.push('volley.histogram.buckets: not an array');
  // Error budgets: the numbers the budget notes and margins print.
  if (Array.isArray(v.thresholds)) {
    v.thresholds.forEach((t, i) => {
      const b = isObj(t) ? t.budget : undefined;
      if (b === undefined) return;
      const fields = isObj(b) && b.unit === 'seconds' ? ['used', 'allowed', 'remaining', 'burnRate', 'windowMs', 'periodMs'] : ['used', 'allowed', 'remaining', 'burnRate'];
      const bad = isObj(b) ? fields.filter((f) => typeof b[f] !== 'number') : ['budget'];
      if (bad.length > 0) p.push(`volley.thresholds[${i}].budget: ${bad.join(', ')} not a number`);
    });
  }
  if (Array.isArray(v.timeBudgets)) {
    v.timeBudgets.forEach((u, i) => {
      const bad = isObj(u) ? ['used', 'allowed', 'remaining', 'burnRate', 'budgetSeconds', 'periodMs', 'sumOfMembers'].filter((f) => typeof u[f] !== 'number') : ['budget'];
      if (!isObj(u) || !Array.isArray(u.thresholds)) bad.push('thresholds');
      if (bad.length > 0) p.push(`volley.timeBudgets[${i}]: ${bad.join(', ')} missing`);
    });
  }
  // The tables and charts protocols declare (LLM ROUTES, LLM/SSE/WS charts), and the breakdowns the tables read.
  if (v.breakdowns !== undefined) {
    if (!isObj(v.breakdowns)) p.push('volley.breakdowns: not an object');
    else for (const [name, rows] of Object.entries(v.breakdowns)) if (!Array.isArray(rows)) p.push(`volley.breakdowns["${name}"]: not an array`);
  }
  for (const [k, list] of [['tables', 'columns'], ['charts', 'series']] as const) {
    const items = v[k];
    if (items === undefined) continue;
    if (!Array.isArray(items)) p.push(`volley.${k}: not an array`);
    else items.forEach((it, i) => {
      if (!isObj(it) || !Array.isArray(it[list]) || !it[list].every(isObj)) p.push(`volley.${k}[${i}].${list}: not an array of objects`);
      else if (k === 'tables' && !(Array.isArray(it.by) && typeof it.breakdown === 'string')) p.push(`volley.tables[${i}]: no "breakdown" name or "by" tags`);
    });
  }
  return p;
}

/**
 * Parses and validates a summary's JSON text; `file` names it in errors. Fills the parts a
 * report can do without (empty lists, an empty time series) when they are absent.
 */
export function parseSummaryJson(text: string, file: string): SummaryData {
  let d: unknown;
  try {
    d = JSON.parse(text);
  } catch (e) {
    throw inputError(file, `is not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(d)) throw inputError(file, 'is not a Volley summary: it is not a JSON object');
  if (!isObj(d.volley)) {
    const k6 = isObj(d.metrics) || isObj(d.root_group);
    throw inputError(file, k6 ? 'is not a Volley summary: it has no "volley" block (a k6 summary export lacks the time series and breakdowns the report needs)' : 'is not a Volley summary: it has no "volley" block');
  }
  const version = d.volley.schemaVersion;
  if (typeof version !== 'number' || !SUPPORTED_SCHEMA_VERSIONS.includes(version)) {
    const by = typeof d.volley.version === 'string' ? ` (written by Volley ${d.volley.version})` : '';
    throw inputError(
      file,
      `has an unknown summary schemaVersion ${JSON.stringify(version ?? null)}${by}; this Volley reads schemaVersion ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`,
      'render it with the Volley version that wrote it, or write the summary again with this one (`volley run --summary-export FILE`)',
    );
  }
  const problems = summaryShapeProblems(d);
  if (problems.length > 0) throw inputError(file, `is not a valid Volley summary: ${problems.join('; ')}`);
  const v = d.volley as Record<string, unknown>;
  for (const k of ['thresholds', 'routes', 'scenarios', 'errors', 'warnings']) v[k] ??= [];
  v.timeSeries ??= { intervalMs: 1000, t: [], series: {} };
  v.histogram ??= { metric: 'http_req_duration', buckets: [] };
  d.root_group ??= { name: '', path: '', id: '', groups: [], checks: [] };
  d.state ??= { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 0 };
  d.options ??= { summaryTrendStats: [], summaryTimeUnit: '', noColor: true };
  return d as unknown as SummaryData;
}

/** Reads and validates a summary file. A missing or unreadable file is E_REPORT_INPUT too. */
export async function readSummaryFile(file: string): Promise<SummaryData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    throw inputError(file, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`, 'check the path of the summary JSON');
  }
  return parseSummaryJson(text, file);
}
