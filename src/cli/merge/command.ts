/**
 * `volley merge part*.json -o merged.json`: combines the summaries of the runners of one
 * distributed test (`--execution-segment`) into the summary one run would have written. Counters,
 * rates and HDR histograms are added exactly, so totals and percentiles equal a single run's;
 * thresholds (sub-metrics included) are evaluated again on the merged data; the HTML report, JUnit
 * and Markdown are written as by `volley run`; the exit code is the one run's (0, 99 when a
 * threshold failed, 105 when a runner did not finish).
 */
import { Aggregator } from '../../metrics/aggregator.js';
import { importAggregates, type PortableAggregate } from '../../metrics/portable.js';
import { ThresholdSet, type StatReader } from '../../metrics/thresholds/index.js';
import type { ResolvedOptions } from '../../config/types.js';
import { ExitCode, VolleyError } from '../../errors/index.js';
import { writeReports } from '../../report/cli.js';
import { buildSummary } from '../../summary/build.js';
import { writeSummaryExport } from '../../summary/export.js';
import { renderTextSummary } from '../../summary/text.js';
import type { SummaryData } from '../../summary/types.js';
import { VERSION } from '../version.js';
import { checkParts, loadPart, type LoadedPart } from './parts.js';
import { isAdditiveGauge, sumGauges } from './gauges.js';
import { mergeTimeSeries, summedColumns } from './time-series.js';
import { startWarnings } from './start.js';

export interface MergeOptions {
  output: string;
  report?: string | undefined;
  junit?: string | undefined;
  markdown?: string | undefined;
  quiet?: boolean | undefined;
}

export async function mergeCommand(files: readonly string[], o: MergeOptions): Promise<number> {
  if (files.length === 0) throw new VolleyError('E_MERGE_INPUT', 'volley merge needs the runners\' summary files', { hint: 'volley merge part-*.json -o merged.json', exitCode: ExitCode.InvalidConfig });
  const parts: LoadedPart[] = [];
  for (const f of files) parts.push(await loadPart(f));
  checkParts(parts);
  const data = mergeParts(parts);
  await writeSummaryExport(o.output, data);
  const lines = await writeReports(data, { ...(o.report ? { report: o.report } : {}), ...(o.junit ? { junit: o.junit } : {}), ...(o.markdown ? { markdown: o.markdown } : {}), env: process.env });
  if (!o.quiet) process.stdout.write(`${renderTextSummary(data, { color: false, width: process.stdout.columns })}\n`);
  process.stderr.write(`volley: merged ${parts.length} runner${parts.length === 1 ? '' : 's'} into ${o.output}\n`);
  for (const l of lines) process.stderr.write(`volley: ${l}\n`);
  if (data.volley.verdict.aborted) process.stderr.write(`volley: ${data.volley.verdict.abortReason}\n`);
  return data.volley.verdict.exitCode;
}

/** The summary of the whole test from its runners' parts (checked by checkParts). */
export function mergeParts(parts: readonly LoadedPart[]): SummaryData {
  const startEpochMs = Math.min(...parts.map((p) => Date.parse(p.data.volley.startTime)));
  const endEpochMs = Math.max(...parts.map((p) => Date.parse(p.data.volley.endTime)));
  const catalog = parts[0]!.part.catalog;
  const perSecond = summedColumns(catalog?.series);
  const agg = new Aggregator(() => endEpochMs - startEpochMs, catalog?.breakdowns ?? []);
  const additive = new Map<string, PortableAggregate[]>();
  // Levels (llm_in_flight) add up across runners like VUs; their figures come from the merged series.
  const levels = new Set((catalog?.series ?? []).filter((s) => s.as === 'level').map((s) => s.metric));
  for (const p of parts) {
    try {
      const own: PortableAggregate[] = [];
      for (const a of p.part.aggregates) {
        if (!isAdditiveGauge(a, levels)) own.push(a);
        else if (a.gauge) additive.set(a.metric, [...(additive.get(a.metric) ?? []), a]);
      }
      importAggregates(agg, own);
    } catch (e) {
      throw new VolleyError('E_MERGE_INPUT', `${p.file}: ${(e as Error).message}`, { hint: 'the file was edited or damaged: export it again', exitCode: ExitCode.InvalidConfig });
    }
  }
  // Runners run side by side: their VUs add up (a gauge's merge otherwise keeps the newest value).
  const mergedSeries = mergeTimeSeries(parts.map((p) => p.data.volley.timeSeries), perSecond);
  for (const [metric, list] of additive) importAggregates(agg, [sumGauges(list, metric === 'vus' || levels.has(metric) ? mergedSeries.series[metric] : undefined)]);
  const options = { ...(parts[0]!.part.options as unknown as ResolvedOptions), env: {}, executionSegment: undefined, executionSegmentSequence: undefined };
  const thresholdSet = new ThresholdSet(options.noThresholds ? {} : options.thresholds);
  const reader = (key: string): StatReader | undefined => {
    const isSub = key.includes('{');
    const name = isSub ? key.slice(0, key.indexOf('{')) : key;
    const a = isSub ? agg.find(name, 'sub', key) : agg.find(name);
    if (a) return { type: a.type, get: (s) => a.sink.get(s), percentile: (p) => a.sink.percentile(p) };
    const t = agg.metricTypes.get(name);
    return t ? { type: t.type, get: () => undefined, percentile: () => undefined } : undefined;
  };
  // drift thresholds judge the merged per-second series (a trend's p95 column, else the metric's own).
  const series = (key: string) => {
    const v = mergedSeries.series[agg.metricTypes.get(key)?.type === 'trend' ? `${key}.p95` : key];
    return v ? { t: mergedSeries.t, v } : undefined;
  };
  const thresholds = thresholdSet.evaluate(reader, endEpochMs - startEpochMs, { final: true, series });

  const incomplete = parts.filter((p) => !p.part.complete);
  const abortedBy = parts.find((p) => p.data.volley.verdict.aborted && p.part.complete);
  const aborted = incomplete.length > 0
    ? { by: 'signal', reason: `incomplete: ${incomplete.map((p) => p.file).join(', ')} did not finish (their partial results are merged)` }
    : abortedBy ? { by: abortedBy.data.volley.thresholds.some((t) => t.aborted) ? 'threshold' : 'script', reason: `${abortedBy.file}: ${abortedBy.data.volley.verdict.abortReason ?? 'aborted'}` } : undefined;
  const exitCode = incomplete.length > 0 ? ExitCode.ExternalAbort : abortedBy && aborted?.by === 'script' ? abortedBy.data.volley.verdict.exitCode : thresholds.some((t) => !t.ok) ? ExitCode.ThresholdsHaveFailed : ExitCode.OK;

  const exceptions = new Map<string, { code: string; message: string; location: string | undefined; stack: string | undefined; count: number }>();
  const scenarioVus: Record<string, number> = {};
  const generatorLimited: Record<string, boolean> = {};
  const warnings: string[] = [];
  for (const p of parts) {
    for (const e of p.part.exceptions) {
      const k = `${e.message}\u0000${e.location ?? ''}`;
      const x = exceptions.get(k);
      if (x) x.count += e.count;
      else exceptions.set(k, { code: e.code ?? 'E_SCRIPT_EXCEPTION', message: e.message, location: e.location, stack: e.stack, count: e.count });
    }
    for (const [k, v] of Object.entries(p.part.scenarioVus)) scenarioVus[k] = (scenarioVus[k] ?? 0) + v;
    for (const [k, v] of Object.entries(p.part.generatorLimited)) generatorLimited[k] = (generatorLimited[k] ?? false) || v;
    for (const w of p.part.warnings) warnings.push(`${p.file}: ${w}`);
  }
  const skews = parts.map((p) => p.part.startSkewMs).filter((s): s is number => s !== undefined);
  warnings.push(...startWarnings(parts.map((p) => ({ file: p.file, startAt: p.part.startAt, startTime: p.data.volley.startTime, startSkewMs: p.part.startSkewMs }))));
  const ts = mergedSeries;
  const data = buildSummary({
    aggregator: agg,
    timeSeries: { toJSON: () => ts },
    thresholds,
    options,
    scriptPath: parts[0]!.data.volley.script,
    version: VERSION,
    startEpochMs,
    endEpochMs,
    aborted,
    exceptions: [...exceptions.values()],
    warnings,
    ...(catalog?.charts ? { charts: catalog.charts } : {}),
    exitCode,
    scenarioVus,
    generatorLimited,
    isStdOutTTY: false,
    isStdErrTTY: false,
    noColor: true,
    part: { segment: '0:1', scriptHash: parts[0]!.part.scriptHash, ...(catalog ? { catalog } : {}), ...(skews.length > 0 ? { startSkewMs: Math.max(...skews) } : {}) },
  });
  data.volley.merged = parts.map((p) => ({ file: p.file, segment: p.part.segment, complete: p.part.complete, host: p.data.volley.machine.hostname, ...(p.part.startSkewMs !== undefined ? { startSkewMs: p.part.startSkewMs } : {}) }));
  return data;
}
