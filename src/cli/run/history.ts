import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, isVolleyError, VolleyError } from '../../errors/index.js';
import { historySides, resolveSide } from '../../history/baseline.js';
import { parseBudgets, type Budget } from '../../history/budget.js';
import { compareRuns, type Comparison } from '../../history/compare.js';
import { runIdentity } from '../../history/identity.js';
import { openStore, storeSpec } from '../../history/open.js';
import { renderComparisonMarkdown, renderComparisonText } from '../../history/render.js';
import { reportComparison } from '../../history/report-view.js';
import type { ReportComparison } from '../../report/comparison.js';
import { sideOfSummary } from '../../history/side.js';
import type { RunStore } from '../../history/store.js';
import type { SummaryData } from '../../summary/types.js';

/** The history flags of `volley run`. */
export interface RunHistoryFlags {
  save?: boolean | undefined;
  store?: string | undefined;
  labels?: Record<string, string> | undefined;
  baseline?: string | undefined;
  maxRegression?: string[] | undefined;
}

/**
 * The run-history side of `volley run`: checked and opened before the test (bad budgets, an
 * unusable store: exit 104 before anything runs), then, after the summary is printed and
 * exported, the run is saved and compared with its baseline. A save that fails is reported
 * (exit 104) and never costs the results: they are already printed and written.
 */
export class RunHistory {
  private constructor(
    private readonly flags: RunHistoryFlags,
    private readonly budgets: Budget[],
    private readonly store: RunStore | undefined,
  ) {}

  /** Undefined when no history flag is set. */
  static async prepare(flags: RunHistoryFlags): Promise<RunHistory | undefined> {
    const budgets = parseBudgets(flags.maxRegression ?? []);
    if (budgets.length && !flags.baseline) throw new VolleyError('E_BUDGET', '--max-regression needs --baseline (a run id, latest, a branch or a summary file)', { hint: 'add --baseline main, for example', exitCode: ExitCode.InvalidConfig });
    if (!flags.save && !flags.baseline && !flags.labels && !flags.store) return undefined;
    const needStore = flags.save || (flags.baseline !== undefined && !/\.json$/i.test(flags.baseline));
    const store = needStore ? await openStore(storeSpec(flags.store)) : undefined;
    return new RunHistory(flags, budgets, store);
  }

  /**
   * Saves and compares a finished run. Returns the exit code this adds (98 for a regression beyond
   * budget, 104 when saving failed) or 0, the comparison table to print after the summary and the
   * comparison for the HTML report; writes its status lines through `log`.
   */
  async finish(data: SummaryData, scriptPath: string, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; text: string; report: ReportComparison | undefined }> {
    let code = 0;
    let text = '';
    let report: ReportComparison | undefined;
    const identity = runIdentity(data, { scriptPath, labels: this.flags.labels ?? {} });
    let savedId: number | undefined;
    try {
      if (this.flags.save && this.store) {
        savedId = await this.store.save(data, identity);
        log(`volley: saved run #${savedId} (${identity.test}) in ${this.store.description}`);
      }
    } catch (e) {
      log(`volley: error: the run could not be saved in ${this.store?.description}: ${(e as Error).message} (the summary above and any exports are complete)`);
      code = ExitCode.InvalidConfig;
    }
    if (this.flags.baseline) {
      try {
        const base = await resolveSide(this.flags.baseline, this.store, { test: identity.test, beforeId: savedId, what: '--baseline' });
        const cand = { ...sideOfSummary(data, savedId ? `#${savedId}` : 'this run'), test: base.test ? identity.test : undefined };
        const history = this.store ? await historySides(this.store, identity.test, savedId) : [];
        const c = compareRuns(base, cand, { budgets: this.budgets, history });
        text = `\n${renderComparisonText(c)}`;
        report = reportComparison(c, base, cand);
        await writeStepSummary(c, env);
        if (c.failed) {
          log(`volley: regression beyond budget: ${c.budgets.filter((b) => b.exceeded).map((b) => b.budget.spec).join(', ')}`);
          code ||= ExitCode.RegressionFound;
        }
      } catch (e) {
        if (!isVolleyError(e)) throw e;
        log(`volley: error: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
        code ||= e.exitCode;
      }
    }
    return { code, text, report };
  }

  async close(): Promise<void> {
    await this.store?.close();
  }
}

/** Appends the comparison to $GITHUB_STEP_SUMMARY when set (GitHub Actions job summary). */
async function writeStepSummary(c: Comparison, env: NodeJS.ProcessEnv): Promise<void> {
  const f = env.GITHUB_STEP_SUMMARY;
  if (f) await appendFile(f, renderComparisonMarkdown(c)).catch(() => undefined);
}

/** Writes a text file, creating its directory. */
export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}
