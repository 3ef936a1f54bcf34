/**
 * The report outputs as the CLI uses them: `volley run --report FILE --junit FILE --markdown FILE`
 * (and `$GITHUB_STEP_SUMMARY`), and `volley report summary.json -o report.html`.
 */
import { readFile } from 'node:fs/promises';
import { renderCapacityReport, type CapacityFindingView } from './capacity-section.js';
import { appendFile } from 'node:fs/promises';
import { ExitCode, isVolleyError, VolleyError } from '../errors/index.js';
import { renderJUnit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { SummaryData } from '../summary/types.js';
import { writeHtmlReport } from './index.js';
import type { ReportComparison } from './comparison.js';
import { readSummaryFile } from './input.js';
import { writeFileAtomic } from './write-file.js';

/** Which report files to write after a run. */
export interface WriteReportsOptions {
  /** `--report FILE`: the self-contained HTML report. */
  report?: string;
  /** `--junit FILE`: JUnit XML of thresholds and checks. */
  junit?: string;
  /** `--markdown FILE`: the Markdown summary. */
  markdown?: string;
  /** The environment: when GITHUB_STEP_SUMMARY is set, the Markdown summary is appended to that file. */
  env: NodeJS.ProcessEnv;
  /** A comparison with a baseline (volley run --baseline): a section of the HTML report. */
  comparison?: ReportComparison | undefined;
}

/**
 * Writes the requested report files (each atomically) and, when `env.GITHUB_STEP_SUMMARY` is set,
 * appends the Markdown summary to it — even when no file was requested, so call it after every
 * run. Returns lines for the user, one per output: 'report: report.html', 'junit: junit.xml',
 * 'markdown: summary.md', 'markdown: appended to $GITHUB_STEP_SUMMARY'.
 *
 * Every requested file is attempted even if another fails; then the failure is thrown
 * (E_REPORT_WRITE, exit code 1; several failures are joined in one error). A failure to append to
 * $GITHUB_STEP_SUMMARY does not fail the run: it is reported as a line ('markdown: cannot append ...').
 */
export async function writeReports(data: SummaryData, opts: WriteReportsOptions): Promise<string[]> {
  const { lines, failures } = await writeReportsSettled(data, opts);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const msg = failures.map((f) => (isVolleyError(f) ? f.message : String((f as Error)?.message ?? f))).join('; ');
    throw new VolleyError('E_REPORT_WRITE', msg, { hint: 'check that the directories are writable, or pass other paths', exitCode: ExitCode.GenericError });
  }
  return lines;
}

/** Writes every report asked for, each whatever happens to the others: what was written, and what failed. */
export async function writeReportsSettled(data: SummaryData, opts: WriteReportsOptions): Promise<{ lines: string[]; failures: unknown[] }> {
  const lines: string[] = [];
  const failures: unknown[] = [];
  const attempt = async (line: string, write: () => Promise<void>) => {
    try {
      await write();
      lines.push(line);
    } catch (e) {
      failures.push(e);
    }
  };
  if (opts.report) await attempt(`report: ${opts.report}`, () => writeHtmlReport(opts.report!, data, opts.comparison));
  if (opts.junit) await attempt(`junit: ${opts.junit}`, () => writeFileAtomic(opts.junit!, renderJUnit(data), 'the JUnit report', '--junit'));
  const stepSummary = opts.env.GITHUB_STEP_SUMMARY;
  const markdown = opts.markdown || stepSummary ? renderMarkdown(data) : '';
  if (opts.markdown) await attempt(`markdown: ${opts.markdown}`, () => writeFileAtomic(opts.markdown!, markdown, 'the Markdown summary', '--markdown'));
  if (stepSummary) {
    try {
      await appendFile(stepSummary, `${markdown}\n`, 'utf8');
      lines.push('markdown: appended to $GITHUB_STEP_SUMMARY');
    } catch (e) {
      lines.push(`markdown: cannot append to $GITHUB_STEP_SUMMARY (${(e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message})`);
    }
  }
  return { lines, failures };
}

/** Options of `volley report`. */
export interface ReportCommandOptions {
  /** `-o, --output FILE`: where to write the HTML report. */
  output: string;
  /** `--junit FILE`, optional. */
  junit?: string;
  /** `--markdown FILE`, optional. */
  markdown?: string;
}

/**
 * `volley report summary.json -o report.html`: renders a saved summary. Reads and validates the
 * JSON (E_REPORT_INPUT, exit 104, naming the file, when it is missing, not JSON, not a Volley
 * summary or of an unknown schemaVersion), writes the report(s), prints a line per file to
 * `stdout` and returns exit code 0.
 */
export async function reportCommand(summaryJson: string, opts: ReportCommandOptions, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  // A `volley find-capacity --out` file: the capacity page.
  const finding = await readCapacityFinding(summaryJson);
  if (finding) {
    await writeFileAtomic(opts.output, renderCapacityReport(finding), 'HTML report', '--output');
    stdout.write(`capacity report written to ${opts.output}\n`);
    return ExitCode.OK;
  }
  const data = await readSummaryFile(summaryJson);
  const lines = await writeReports(data, { report: opts.output, junit: opts.junit, markdown: opts.markdown, env: {} });
  for (const l of lines) stdout.write(`${l}\n`);
  return ExitCode.OK;
}

/** The file as a find-capacity finding, or undefined (anything else is read as a summary). */
async function readCapacityFinding(file: string): Promise<CapacityFindingView | undefined> {
  try {
    const j = JSON.parse(await readFile(file, 'utf8')) as Partial<CapacityFindingView> | null;
    return j && typeof j === 'object' && typeof j.stoppedBecause === 'string' && Array.isArray(j.steps) ? (j as CapacityFindingView) : undefined;
  } catch {
    return undefined;
  }
}
