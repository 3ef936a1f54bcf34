/**
 * The end-of-test summary printed in the terminal, laid out like k6's (internal/js/summary.js):
 * metric names padded with dots, trend stats per `summaryTrendStats`, counters with their rate,
 * rates as percentages, threshold marks; then Volley's additions: routes, scenarios, errors,
 * warnings and the verdict.
 *
 * ```
 *   █ THRESHOLDS
 *
 *     http_req_duration
 *     ✓ 'p(95)<300' p(95)=212.42ms
 *     ✗ 'p(99)<500' p(99)=612.3ms
 *
 *   █ CHECKS
 *
 *     ✓ checks.........................: 99.30%  ✓ 9930  ✗ 70
 *
 *     █ browse
 *       ✗ has id
 *         ↳  93% — ✓ 930 / ✗ 70
 *
 *   █ METRICS
 *
 *     HTTP
 *     ✗ http_req_duration..............: avg=62.37ms min=812µs ...
 *         { expected_response:true }...: avg=58.1ms  min=812µs ...
 *       http_reqs......................: 8000    228.571429/s
 *   ...
 *   ✗ FAILED: 2 of 6 thresholds failed (exit code 99)
 * ```
 *
 * Pure: data in, string out (no I/O, no clock), so it is testable and reusable for saved reports.
 */
import type { MetricType, ValueType } from '../metrics/metric.js';
import { aggregationKey, tryParseThresholdExpression } from '../metrics/thresholds/expression.js';
import type { WindowVerdict } from '../metrics/thresholds/index.js';
import { eventBudgetNote, sharedBudgetNote, timeBudgetNote } from './budget-text.js';
import { httpErrorText, humanizeCount, humanizeDuration, humanizePercent, humanizeValue, toFixedNoTrailingZeros, type TimeUnit } from './format.js';
import { makeStyler, padEnd, padStart, truncate, visibleWidth, type Styler } from './style.js';
import type { CheckData, GroupData, MetricData, SummaryData, SummaryTable, ThresholdResult } from './types.js';
import { tableCells } from './declared-tables.js';
import { selectorMetric, selectorParts } from '../metrics/thresholds/selector.js';

/** Options of `renderTextSummary`. */
export interface TextSummaryOptions {
  /** Emit ANSI colours (false: plain text, no escape codes at all). */
  color: boolean;
  /** Terminal width in columns, for the tables and long names. Default 100 (min 40). */
  width?: number;
}

/** Routes listed individually; the rest are summed in one line. */
export const MAX_ROUTES = 20;
/** Error kinds listed individually; the rest are summed in one line. */
export const MAX_ERRORS = 10;

const OK = '✓';
const FAIL = '✗';
const BLOCK = '█';
const ARROW = '↳';
const WARN = '⚠';
const INDENT = '    ';

/** Renders the end-of-test summary. The result ends with a newline. */
export function renderTextSummary(data: SummaryData, opts: TextSummaryOptions): string {
  const r = new Renderer(data, opts);
  return r.render();
}

interface MetricMeta {
  type: MetricType;
  contains: ValueType;
}

/** Precomputed column widths shared by every metric line, so the colons and columns align. */
interface Layout {
  nameWidth: number;
  marks: boolean;
  trendColWidths: number[];
  valueWidth: number;
  /** Widths of the extra columns, per kind of line (see `extraKind`). */
  extraWidths: Map<string, number[]>;
}

type Section = { title: string; lines: string[] };

class Renderer {
  private readonly s: Styler;
  private readonly width: number;
  private readonly timeUnit: TimeUnit;
  private readonly trendStats: string[];
  /** Threshold verdicts by threshold key (metric or sub-metric). */
  private readonly thresholdsByKey = new Map<string, ThresholdResult[]>();
  private layout!: Layout;

  constructor(
    private readonly data: SummaryData,
    opts: TextSummaryOptions,
  ) {
    this.s = makeStyler(opts.color);
    this.width = Math.max(40, Math.floor(opts.width ?? 100));
    const unit = data.options?.summaryTimeUnit;
    this.timeUnit = unit === 's' || unit === 'ms' || unit === 'us' ? unit : undefined;
    this.trendStats = data.options?.summaryTrendStats?.length ? data.options.summaryTrendStats : ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
    for (const t of thresholdResults(data)) {
      const list = this.thresholdsByKey.get(t.metric) ?? [];
      list.push(t);
      this.thresholdsByKey.set(t.metric, list);
    }
  }

  render(): string {
    this.layout = this.computeLayout();
    const sections: Section[] = [];
    const add = (title: string, lines: string[]) => {
      if (lines.length > 0) sections.push({ title, lines });
    };
    add('THRESHOLDS', this.thresholdLines());
    add('ERROR BUDGET (seconds of SLO breach, shared)', this.sharedBudgetLines());
    add('DRIFT', this.driftLines());
    add('CHECKS', this.checkLines());
    add('METRICS', this.metricSectionLines());
    const routes = this.data.volley?.routes ?? [];
    add(routes.length > MAX_ROUTES ? `ROUTES (top ${MAX_ROUTES} of ${routes.length} by requests)` : 'ROUTES', this.routeLines());
    for (const t of this.data.volley?.tables ?? []) {
      const n = this.data.volley?.breakdowns?.[t.breakdown]?.length ?? 0;
      add(n > MAX_ROUTES ? `${t.title} (top ${MAX_ROUTES} of ${n})` : t.title, this.tableLines(t));
    }
    add('SCENARIOS', this.scenarioLines());
    add('ERRORS', this.errorLines());
    add('WARNINGS', this.warningLines());

    const out: string[] = [''];
    for (const sec of sections) {
      out.push(`  ${BLOCK} ${this.s(sec.title, 'bold')}`, '');
      // Drop a trailing blank inside a section; sections are separated by exactly one blank line.
      const lines = [...sec.lines];
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      out.push(...lines, '', '');
    }
    out.push(this.verdictLine());
    return out.map((l) => l.replace(/[ \t]+$/, '')).join('\n') + '\n';
  }

  // ------------------------------------------------------------------------------------------
  // Thresholds

  private thresholdLines(): string[] {
    const keys = sortMetricNames([...this.thresholdsByKey.keys()]);
    const lines: string[] = [];
    for (const key of keys) {
      const { metric: parent, filter } = selectorParts(key);
      const isSub = filter !== '';
      const nested = isSub && this.thresholdsByKey.has(parent);
      const pad = nested ? '  ' : '';
      lines.push(INDENT + pad + (nested ? key.slice(parent.length) : key));
      for (const t of this.thresholdsByKey.get(key)!) {
        const mark = t.ok ? this.s(OK, 'green') : this.s(FAIL, 'red');
        const measured = this.thresholdValue(t);
        const extra = t.aborted ? this.s(' (aborted the test)', 'red', 'bold') : '';
        lines.push(`${INDENT}${pad}${mark} ${this.s(`'${t.expr.trim()}'`, 'white')} ${measured}${extra}`);
      }
      lines.push('');
    }
    return lines;
  }

  /** `p(95)=212.42ms`, in the metric's units; red when the threshold failed. */
  private thresholdValue(t: ThresholdResult): string {
    const parsed = tryParseThresholdExpression(t.expr);
    const agg = parsed ? aggregationKey(parsed) : t.expr.split(/[=<>!]/, 1)[0]!.trim();
    let text: string;
    if (agg === 'drift' && typeof t.value === 'number') {
      text = `${t.value >= 0 ? '+' : ''}${Math.abs(t.value) >= 10 ? Math.round(t.value).toLocaleString('en-US') : Number(t.value.toFixed(1))} %/h`;
    } else if (t.noSamples) {
      text = 'no samples (nothing was measured: fails)';
    } else if (t.value === null || t.value === undefined) {
      text = 'no data';
    } else {
      const meta = this.metaOf(t.metric) ?? guessMeta(agg);
      if (meta.type === 'counter' && agg === 'rate') text = `${toFixedNoTrailingZeros(t.value, 6)}/s`;
      else if (meta.type === 'counter' && agg === 'count') text = humanizeValue(t.value, meta, this.timeUnit);
      else text = humanizeValue(t.value, meta, this.timeUnit);
    }
    const shown = `${this.s(agg, 'white')}=${t.ok ? this.s(text, 'cyan') : this.s(text, 'red', 'bold')}`;
    if (t.budget?.unit === 'seconds') return `${shown} ${this.s(`in the worst window; ${timeBudgetNote(t.budget)}`, t.ok ? 'faint' : 'red')}`;
    if (t.window) return `${shown} ${this.s(windowNote(t.window), 'faint')}`;
    if (t.drift) return `${shown} ${this.s(`(${t.drift})`, t.ok ? 'faint' : 'red')}`;
    if (t.budget) return `${shown} ${this.s(eventBudgetNote(t.budget), t.budget.remaining < 0 ? 'red' : 'faint')}`;
    return shown;
  }

  // ------------------------------------------------------------------------------------------
  // Checks

  private checkLines(): string[] {
    const lines: string[] = [];
    const checks = this.data.metrics?.checks;
    if (checks) lines.push(this.metricLine('checks', checks), '');
    const root = this.data.root_group;
    if (root) this.groupLines(root, 0, lines);
    return hasContent(lines) ? lines : [];
  }

  private groupLines(g: GroupData, depth: number, lines: string[]): void {
    const pad = INDENT + '  '.repeat(depth);
    for (const c of g.checks ?? []) lines.push(...this.checkLine(c, pad));
    if ((g.checks ?? []).length > 0) lines.push('');
    for (const sub of g.groups ?? []) {
      lines.push(`${pad}${BLOCK} ${this.s(sub.name, 'bold')}`, '');
      this.groupLines(sub, depth + 1, lines);
    }
  }

  private checkLine(c: CheckData, pad: string): string[] {
    if (c.fails === 0) return [`${pad}${this.s(`${OK} ${c.name}`, 'green')}`];
    const total = c.passes + c.fails;
    const pct = total === 0 ? 0 : Math.floor((100 * c.passes) / total);
    return [
      `${pad}${this.s(`${FAIL} ${c.name}`, 'red')}`,
      `${pad}  ${this.s(`${ARROW}  ${pct}% — ${OK} ${c.passes} / ${FAIL} ${c.fails}`, 'red')}`,
    ];
  }

  // ------------------------------------------------------------------------------------------
  // Metrics

  private metricSectionLines(): string[] {
    const metrics = this.data.metrics ?? {};
    const bySection = new Map<string, string[]>();
    for (const name of sortMetricNames(Object.keys(metrics))) {
      const section = sectionOf(selectorMetric(name));
      if (section === undefined) continue;
      const list = bySection.get(section) ?? [];
      list.push(name);
      bySection.set(section, list);
    }
    const lines: string[] = [];
    for (const section of SECTION_ORDER) {
      const names = bySection.get(section);
      if (!names) continue;
      lines.push(INDENT + this.s(section, 'bold'));
      for (const name of names) lines.push(this.metricLine(name, metrics[name]!));
      lines.push('');
    }
    return lines;
  }

  /** Display name: the name, or `  { tag:value }` for a sub-metric whose parent is listed too. */
  private displayName(name: string): string {
    const { metric: parent, filter } = selectorParts(name);
    if (filter === '' || !this.data.metrics?.[parent]) return name;
    return `  { ${filter} }`;
  }

  private metricLine(name: string, m: MetricData): string {
    const { nameWidth, marks } = this.layout;
    const shown = this.displayName(name);
    const dots = Math.max(3, nameWidth - visibleWidth(shown) + 3);
    let mark = '';
    if (marks) {
      const ts = this.thresholdsByKey.get(name);
      if (!ts || ts.length === 0) mark = '  ';
      else mark = ts.every((t) => t.ok) ? `${this.s(OK, 'green')} ` : `${this.s(FAIL, 'red')} `;
    }
    const data = m.type === 'trend' ? this.trendData(m) : this.nonTrendData(name, m);
    return `${INDENT}${mark}${shown}${this.s('.'.repeat(dots) + ':', 'faint')} ${data}`;
  }

  private trendCols(m: MetricData): string[] {
    return this.trendStats.map((stat) => {
      const v = m.values?.[stat];
      if (v === undefined) return '-';
      return stat === 'count' ? String(v) : humanizeValue(v, m, this.timeUnit);
    });
  }

  private trendData(m: MetricData): string {
    const cols = this.trendCols(m);
    return cols.map((c, i) => `${this.trendStats[i]}=${padEnd(this.s(c, 'cyan'), this.layout.trendColWidths[i]!)}`).join(' ');
  }

  /** Main value and extras of a counter, gauge or rate. */
  private nonTrendParts(name: string, m: MetricData): [string, string[]] {
    const v = m.values ?? {};
    switch (m.type) {
      case 'counter':
        return [humanizeValue(v.count ?? 0, m, this.timeUnit), [`${humanizeValue(v.rate ?? 0, m, this.timeUnit)}/s`]];
      case 'gauge':
        return [humanizeValue(v.value ?? 0, m, this.timeUnit), [`min=${humanizeValue(v.min ?? 0, m, this.timeUnit)}`, `max=${humanizeValue(v.max ?? 0, m, this.timeUnit)}`]];
      case 'rate': {
        const passes = v.passes ?? 0;
        const fails = v.fails ?? 0;
        const pct = humanizePercent(v.rate ?? 0);
        // checks: ✓ passes ✗ fails (k6's classic form; ✓ = passed). Other rates count "true"
        // samples, where ✓/✗ would mislead (a "✓" of http_req_failed is a failed request), so
        // they read as k6 v1 prints them: "98 out of 8000".
        if (name === 'checks' || name.startsWith('checks{')) return [pct, [`${OK} ${passes}`, `${FAIL} ${fails}`]];
        return [pct, [`${passes} out of ${passes + fails}`]];
      }
      default:
        return ['[no data]', []];
    }
  }

  private nonTrendData(name: string, m: MetricData): string {
    const [value, extras] = this.nonTrendParts(name, m);
    let out = padEnd(this.s(value, 'cyan'), this.layout.valueWidth);
    if (extras.length > 0) {
      const widths = this.layout.extraWidths.get(extraKind(name, m)) ?? [];
      out += ' ' + extras.map((e, i) => padEnd(this.s(e, 'cyan', 'faint'), widths[i] ?? 0)).join(' ');
    }
    return out;
  }

  private computeLayout(): Layout {
    const metrics = this.data.metrics ?? {};
    const names = Object.keys(metrics).filter((n) => n === 'checks' || sectionOf(selectorMetric(n)) !== undefined);
    let nameWidth = 0;
    let valueWidth = 0;
    const extraWidths = new Map<string, number[]>();
    const trendColWidths = this.trendStats.map(() => 0);
    for (const name of names) {
      const m = metrics[name]!;
      nameWidth = Math.max(nameWidth, visibleWidth(this.displayName(name)));
      if (m.type === 'trend') {
        this.trendCols(m).forEach((c, i) => (trendColWidths[i] = Math.max(trendColWidths[i]!, visibleWidth(c))));
      } else {
        const [value, extras] = this.nonTrendParts(name, m);
        valueWidth = Math.max(valueWidth, visibleWidth(value));
        const kind = extraKind(name, m);
        const widths = extraWidths.get(kind) ?? [];
        extras.forEach((e, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(e))));
        extraWidths.set(kind, widths);
      }
    }
    const marks = names.some((n) => (this.thresholdsByKey.get(n)?.length ?? 0) > 0);
    return { nameWidth, marks, trendColWidths, valueWidth, extraWidths };
  }

  // ------------------------------------------------------------------------------------------
  // Volley extras

  private routeLines(): string[] {
    const all = [...(this.data.volley?.routes ?? [])].sort((a, b) => b.requests - a.requests);
    if (all.length === 0) return [];
    const shown = all.slice(0, MAX_ROUTES);
    const rest = all.slice(MAX_ROUTES);
    const fmtT = (ms: number) => (Number.isFinite(ms) ? humanizeDuration(ms, this.timeUnit) : '-');
    let rows = shown.map((r) => [r.method, humanizeCount(r.requests), humanizePercent(r.errorRate), fmtT(r.p95), fmtT(r.p99)]);
    let head = ['METHOD', 'REQS', 'ERRORS', 'P95', 'P99'];
    let colW = head.map((h, i) => Math.max(h.length, ...rows.map((row) => visibleWidth(row[i]!))));
    let fixed = colW.reduce((a, b) => a + b + 2, 0);
    // On a narrow terminal, drop the latency columns (P99 first) before squeezing names below 12.
    while (this.width - INDENT.length - fixed < 12 && head.length > 3) {
      head = head.slice(0, -1);
      rows = rows.map((row) => row.slice(0, -1));
      colW = colW.slice(0, -1);
      fixed = colW.reduce((a, b) => a + b + 2, 0);
    }
    const longest = Math.max(4, ...shown.map((r) => visibleWidth(r.name)));
    const nameW = Math.max(4, Math.min(longest, this.width - INDENT.length - fixed));
    const line = (name: string, cells: string[], style?: (s: string, i: number) => string) =>
      INDENT +
      padEnd(name, nameW) +
      cells.map((c, i) => '  ' + (i === 0 ? padEnd(style ? style(c, i) : c, colW[i]!) : padStart(style ? style(c, i) : c, colW[i]!))).join('');
    const lines = [this.s(line('NAME', head), 'bold')];
    shown.forEach((r, idx) => {
      const failedStyle = (c: string, i: number) => (i === 2 && r.failed > 0 ? this.s(c, 'red') : c);
      lines.push(line(truncate(r.name, nameW, true), rows[idx]!, failedStyle));
    });
    if (rest.length > 0) {
      const reqs = rest.reduce((a, r) => a + r.requests, 0);
      const failed = rest.reduce((a, r) => a + r.failed, 0);
      const text = `… ${rest.length} more route${rest.length === 1 ? '' : 's'}: ${humanizeCount(reqs)} requests, ${humanizeCount(failed)} failed (${humanizePercent(reqs === 0 ? 0 : failed / reqs)})`;
      lines.push(INDENT + this.s(truncate(text, this.width - INDENT.length), 'faint'));
    }
    return lines;
  }

  /**
   * A table a protocol declares over its breakdown (`volley.tables`, e.g. LLM ROUTES). On a narrow
   * terminal, the last columns go (down to three) before names are cut below 12.
   */
  private tableLines(t: SummaryTable): string[] {
    if (t.columns.length === 0) return [];
    const { names, cells: all, more } = tableCells(this.data, t, MAX_ROUTES, this.timeUnit);
    if (names.length === 0) return [];
    let labels = t.columns.map((c) => c.label);
    let cells = all;
    let colW = labels.map((l, i) => Math.max(l.length, ...cells.map((row) => visibleWidth(row[i]!))));
    let fixed = colW.reduce((a, b) => a + b + 2, 0);
    while (this.width - INDENT.length - fixed < 12 && labels.length > 3) {
      labels = labels.slice(0, -1);
      cells = cells.map((row) => row.slice(0, -1));
      colW = colW.slice(0, -1);
      fixed = colW.reduce((a, b) => a + b + 2, 0);
    }
    const nameW = Math.max(4, Math.min(Math.max(4, ...names.map((n) => visibleWidth(n))), this.width - INDENT.length - fixed));
    const line = (name: string, row: string[]): string => INDENT + padEnd(name, nameW) + row.map((c, i) => '  ' + padStart(c, colW[i]!)).join('');
    const lines = [this.s(line('NAME', labels), 'bold')];
    names.forEach((n, i) => lines.push(line(truncate(n, nameW, true), cells[i]!)));
    if (more > 0) lines.push(INDENT + this.s(`… ${more} more`, 'faint'));
    return lines;
  }

  private scenarioLines(): string[] {
    const scenarios = this.data.volley?.scenarios ?? [];
    if (scenarios.length === 0) return [];
    const rows = scenarios.map((sc) => [
      sc.name,
      sc.executor,
      `${humanizeCount(sc.iterations)} iterations${sc.interruptedIterations ? ` (${humanizeCount(sc.interruptedIterations)} interrupted)` : ''}`,
      `${humanizeCount(sc.droppedIterations)} dropped`,
      `max ${humanizeCount(sc.vusMax)} VUs`,
      `p95 iteration ${humanizeDuration(sc.iterationDurationP95, this.timeUnit)}`,
    ]);
    const colW = rows[0]!.map((_, i) => Math.max(...rows.map((r) => visibleWidth(r[i]!))));
    return scenarios.map((sc, idx) => {
      const cells = rows[idx]!.map((c, i) => {
        const padded = i === 2 || i === 3 || i === 4 ? padStart(c, colW[i]!) : padEnd(c, colW[i]!);
        if (i === 0) return this.s(padded, 'bold');
        if (i === 3 && sc.droppedIterations > 0) return this.s(padded, 'yellow');
        return padded;
      });
      const limited = sc.generatorLimited ? '  ' + this.s(`${WARN} generator-limited`, 'yellow') : '';
      return INDENT + cells.join('  ') + limited;
    });
  }

  private errorLines(): string[] {
    const errors = [...(this.data.volley?.errors ?? [])].sort((a, b) => b.count - a.count);
    if (errors.length === 0) return [];
    const shown = errors.slice(0, MAX_ERRORS);
    const rest = errors.slice(MAX_ERRORS);
    const countW = Math.max(...shown.map((e) => humanizeCount(e.count).length));
    const avail = this.width - INDENT.length - countW - 3;
    const lines = shown.map((e) => {
      const where = e.location ? ` (at ${e.location})` : '';
      const msg = e.kind === 'script' ? `script error: ${e.message}` : (httpErrorText(e) ?? `${/^\d{3}$/.test(e.key) ? 'HTTP' : 'error'} ${e.key} ${e.message}`);
      const text = truncate(msg + where, avail, true);
      return `${INDENT}${padStart(humanizeCount(e.count), countW)} × ${this.s(text, e.kind === 'script' ? 'yellow' : 'red')}`;
    });
    if (rest.length > 0) {
      const n = rest.reduce((a, e) => a + e.count, 0);
      lines.push(INDENT + this.s(`… ${rest.length} more kind${rest.length === 1 ? '' : 's'} of error: ${humanizeCount(n)} occurrences`, 'faint'));
    }
    return lines;
  }

  /** Shared time budgets: the union of the thresholds with the same budget and period. */
  private sharedBudgetLines(): string[] {
    const lines: string[] = [];
    for (const u of this.data.volley?.timeBudgets ?? []) {
      const mark = u.ok ? this.s(OK, 'green') : this.s(FAIL, 'red');
      const text = wrap(sharedBudgetNote(u), this.width - INDENT.length - 2);
      text.forEach((l, i) => lines.push(INDENT + (i === 0 ? `${mark} ` : '  ') + (u.ok ? l : this.s(l, 'red'))));
      for (const m of u.thresholds) lines.push(`${INDENT}  ${this.s(`↳ ${m}`, 'faint')}`);
      lines.push('');
    }
    return lines;
  }

  /** Soak drift: shown when something drifted, or for runs of 10 minutes or more (a soak), where "no drift" is news. */
  private driftLines(): string[] {
    const d = this.data.volley?.drift ?? [];
    const soak = d.some((f) => f.spanSeconds >= 600);
    if (d.length === 0 || (!soak && d.every((f) => f.drift === 'none'))) return [];
    // Every series analysed is better lower (latency, errors, the target's memory…): a fall is
    // reported, not warned about (a short run's warm-up shows as one).
    return d.map((f) => INDENT + (f.drift === 'up' ? this.s(`${WARN} ${f.text}`, 'yellow') : f.drift === 'down' ? `↘ ${f.text}` : this.s(`${OK} ${f.text}`, 'green')));
  }

  private warningLines(): string[] {
    const lines: string[] = [];
    for (const w of this.data.volley?.warnings ?? []) {
      const wrapped = wrap(w, this.width - INDENT.length - 2);
      wrapped.forEach((l, i) => lines.push(INDENT + (i === 0 ? this.s(`${WARN} `, 'yellow') : '  ') + this.s(l, 'yellow')));
    }
    return lines;
  }

  private verdictLine(): string {
    const v = this.data.volley?.verdict;
    const results = thresholdResults(this.data);
    const failed = results.filter((t) => !t.ok);
    const exitCode = v?.exitCode ?? (failed.length > 0 ? 99 : 0);
    const code = ` (exit code ${exitCode})`;
    if (v?.aborted) {
      return `  ${this.s(`${FAIL} ABORTED`, 'red', 'bold')}: ${v.abortReason ?? 'the test was stopped early'}${code}`;
    }
    if (failed.length > 0 || v?.thresholdsOk === false) {
      const n = failed.length;
      return `  ${this.s(`${FAIL} FAILED`, 'red', 'bold')}: ${n} of ${results.length} threshold${results.length === 1 ? '' : 's'} failed${code}`;
    }
    if (exitCode !== 0) return `  ${this.s(`${FAIL} FAILED`, 'red', 'bold')}${code}`;
    if (results.length === 0) return `  ${this.s(`${OK} DONE`, 'green', 'bold')}: no thresholds defined${code}`;
    return `  ${this.s(`${OK} PASSED`, 'green', 'bold')}: all ${results.length} threshold${results.length === 1 ? '' : 's'} met${code}`;
  }

  private metaOf(key: string): MetricMeta | undefined {
    const m = this.data.metrics?.[key] ?? this.data.metrics?.[selectorMetric(key)];
    return m ? { type: m.type, contains: m.contains } : undefined;
  }
}

/** Metric sections in display order. `undefined` from `sectionOf`: not listed under METRICS. */
const SECTION_ORDER = ['HTTP', 'EXECUTION', 'NETWORK', 'WEBSOCKET', 'SSE', 'LLM', 'BROWSER', 'WEB VITALS', 'CUSTOM'] as const;
const EXECUTION = new Set(['vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations', 'group_duration']);

function sectionOf(base: string): string | undefined {
  if (base === 'checks') return undefined; // shown under CHECKS
  if (base.startsWith('http_')) return 'HTTP';
  if (EXECUTION.has(base) || base.startsWith('volley_')) return 'EXECUTION';
  if (base === 'data_sent' || base === 'data_received') return 'NETWORK';
  if (base.startsWith('ws_')) return 'WEBSOCKET';
  if (base.startsWith('sse_')) return 'SSE';
  if (base.startsWith('llm_')) return 'LLM';
  // k6 browser's sections.
  if (base.startsWith('browser_web_vital_')) return 'WEB VITALS';
  if (base.startsWith('browser_')) return 'BROWSER';
  return 'CUSTOM';
}

/** Sorts by parent metric, keeping sub-metrics right after their parent (as k6). */
export function sortMetricNames(names: string[]): string[] {
  return names.sort((a, b) => {
    const pa = selectorMetric(a);
    const pb = selectorMetric(b);
    if (pa !== pb) return pa < pb ? -1 : 1;
    const sa = a.slice(pa.length);
    const sb = b.slice(pb.length);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
}

/** The threshold verdicts: Volley's list (with values), or else those recorded on the metrics. */
function thresholdResults(data: SummaryData): ThresholdResult[] {
  const list = data.volley?.thresholds;
  if (list && list.length > 0) return list;
  const out: ThresholdResult[] = [];
  for (const [metric, m] of Object.entries(data.metrics ?? {})) {
    for (const [expr, { ok }] of Object.entries(m.thresholds ?? {})) {
      const parsed = tryParseThresholdExpression(expr);
      let value: number | null = null;
      if (parsed) {
        const key = aggregationKey(parsed);
        const v = m.values?.[key] ?? (key === 'p(50)' ? m.values?.med : undefined);
        if (v !== undefined) value = v;
      }
      out.push({ metric, expr, ok, value, abortOnFail: false, aborted: false });
    }
  }
  return out;
}

/** Lines whose extra columns align with each other: counters, gauges, checks, other rates. */
function extraKind(name: string, m: MetricData): string {
  return m.type === 'rate' && (name === 'checks' || name.startsWith('checks{')) ? 'checks' : m.type;
}

function guessMeta(agg: string): MetricMeta {
  if (agg === 'count') return { type: 'counter', contains: 'default' };
  if (agg === 'rate') return { type: 'rate', contains: 'default' };
  if (agg === 'value') return { type: 'gauge', contains: 'default' };
  return { type: 'trend', contains: 'time' };
}

function hasContent(lines: string[]): boolean {
  return lines.some((l) => l.trim() !== '');
}

/** Word-wraps plain text to `width` columns (long words are cut). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line === '') line = word;
    else if (visibleWidth(line) + 1 + visibleWidth(word) <= width) line += ' ' + word;
    else {
      out.push(line);
      line = word;
    }
    while (visibleWidth(line) > width) {
      out.push([...line].slice(0, width).join(''));
      line = [...line].slice(width).join('');
    }
  }
  if (line !== '') out.push(line);
  return out;
}


/** `(worst of 120 windows of 5m, at 3m10s; 4 failed)` for a windowed threshold. */
function windowNote(w: WindowVerdict): string {
  const len = shortDuration(w.windowMs);
  if (w.partial) return `(the run was shorter than ${len}: judged over the whole run)`;
  if (w.windows === 0) return `(no ${len} window with data yet)`;
  const at = w.worstStartMs === null ? '' : `, starting at ${shortDuration(w.worstStartMs)}`;
  const failed = w.failed > 0 ? `; ${w.failed} failed, the first starting at ${shortDuration(w.firstFailStartMs ?? 0)}` : '';
  return `(worst of ${w.windows} sliding ${len} window${w.windows === 1 ? '' : 's'}${at}${failed})`;
}

/** 300000 → '5m', 5400000 → '1h30m', 1.5 → '1.5ms'. */
function shortDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join('');
}
