import { ExitCode } from '../errors/index.js';
import { configError } from '../errors/index.js';
import { historySides, resolveSide } from '../history/baseline.js';
import { parseBudgets } from '../history/budget.js';
import { compareRuns } from '../history/compare.js';
import { testNameOf } from '../history/identity.js';
import { openStore, storeSpec } from '../history/open.js';
import { renderComparisonJson, renderComparisonMarkdown, renderComparisonText, renderRunsText } from '../history/render.js';
import { sideOfRun, type Side } from '../history/side.js';
import type { RunStore } from '../history/store.js';
import { buildTrend, renderTrendHtml, renderTrendText } from '../history/trend.js';
import { appendFile } from 'node:fs/promises';
import { writeText } from './run/history.js';

async function withStore<T>(spec: string | undefined, fn: (s: RunStore) => Promise<T>): Promise<T> {
  const store = await openStore(storeSpec(spec));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The test name of a script as stored: its path relative to the git root, else the working directory. */
export function testName(script: string): string {
  return testNameOf(script);
}

/** `volley runs`. */
export async function runsCommand(o: { store?: string; test?: string; branch?: string; label?: Record<string, string>; limit: number; json?: boolean }): Promise<number> {
  return withStore(o.store, async (store) => {
    const runs = await store.list({ test: o.test ? testName(o.test) : undefined, branch: o.branch, labels: o.label, limit: o.limit });
    process.stdout.write(o.json ? `${JSON.stringify(runs, null, 2)}\n` : renderRunsText(runs));
    return ExitCode.OK;
  });
}

const needsStore = (ref: string): boolean => !/\.json$/i.test(ref);

/** `volley compare [BASELINE] CANDIDATE | CANDIDATE --baseline REF`. */
export async function compareCommand(refs: string[], o: { baseline?: string; store?: string; maxRegression?: string[]; markdown?: string; json?: string }): Promise<number> {
  const budgets = parseBudgets(o.maxRegression ?? []);
  if (refs.length > 2 || (refs.length === 2 && o.baseline)) throw configError('E_COMPARE_ARGS', `compare takes BASELINE CANDIDATE, or CANDIDATE --baseline REF; got ${refs.length} runs${o.baseline ? ' and --baseline' : ''}`, 'e.g. volley compare 12 15, or volley compare latest --baseline main');
  const [baseRef, candRef] = refs.length === 2 ? [refs[0]!, refs[1]!] : [o.baseline ?? 'latest', refs[0] ?? 'latest'];
  const store = [baseRef, candRef].some(needsStore) ? await openStore(storeSpec(o.store)) : undefined;
  try {
    const cand = await resolveSide(candRef, store, { what: 'candidate' });
    const base: Side = await resolveSide(baseRef, store, { what: 'baseline', test: cand.test, beforeId: cand.run?.id });
    const history = store ? await historySides(store, cand.test ?? base.test, cand.run?.id) : [];
    const c = compareRuns(base, cand, { budgets, history });
    process.stdout.write(renderComparisonText(c));
    const md = renderComparisonMarkdown(c);
    if (o.markdown) await writeText(o.markdown, md);
    if (o.markdown && process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, md).catch(() => undefined);
    if (o.json) await writeText(o.json, renderComparisonJson(c));
    return c.failed ? ExitCode.RegressionFound : ExitCode.OK;
  } finally {
    await store?.close();
  }
}

/** `volley trend SCRIPT --metric M:STAT [-o trend.html]`. */
export async function trendCommand(script: string, o: { metric: string; output?: string; store?: string; branch?: string; label?: Record<string, string>; limit: number }): Promise<number> {
  const m = /^([A-Za-z_][A-Za-z0-9_.]*):(avg|min|med|max|p\(\d+(?:\.\d+)?\)|rate|count|value)$/.exec(o.metric);
  if (!m) throw configError('E_TREND_METRIC', `--metric ${JSON.stringify(o.metric)} is not METRIC:STAT`, "e.g. --metric 'http_req_duration:p(95)' or --metric http_reqs:rate");
  const test = testName(script);
  return withStore(o.store, async (store) => {
    const infos = await store.list({ test, branch: o.branch, labels: o.label, limit: o.limit });
    if (infos.length === 0) throw configError('E_RUN_NOT_FOUND', `no stored runs of ${JSON.stringify(test)} in ${store.description}`, 'save runs with volley run --save (volley runs lists what is stored)');
    const sides: Side[] = [];
    for (const i of infos) {
      const r = await store.get(i.id, { series: false });
      if (r) sides.push(sideOfRun(r));
    }
    const t = buildTrend(test, m[1]!, m[2]!, sides);
    if (t.points.length === 0) throw configError('E_TREND_METRIC', `--metric ${JSON.stringify(o.metric)}: none of the ${infos.length} runs of ${JSON.stringify(test)} has it`, 'volley compare shows the statistics a run has');
    process.stdout.write(renderTrendText(t));
    if (o.output) {
      await writeText(o.output, renderTrendHtml(t));
      process.stderr.write(`volley: trend chart written to ${o.output}\n`);
    }
    return ExitCode.OK;
  });
}
