/**
 * `--junit FILE`: the run as JUnit XML, for CI test reporters (GitHub, GitLab, Jenkins).
 *
 * ```xml
 * <testsuites name="volley: examples/shop.ts" tests="12" failures="4" errors="0" time="35.000" timestamp="2025-01-15T09:30:00">
 *   <testsuite name="thresholds" tests="6" failures="2" ...>
 *     <testcase name="http_req_duration: p(99)&lt;500" classname="volley.thresholds.http_req_duration" time="0">
 *       <failure type="threshold" message="p(99)=612.3ms; limit p(99)&lt;500ms; 22% over the limit (1.22×)">...</failure>
 *     </testcase>
 *   </testsuite>
 *   <testsuite name="checks" ...>
 *     <testcase name="browse › has id" classname="volley.checks.browse" time="0">
 *       <failure type="check" message="70 of 1000 failed (93.00% passed)">...</failure>
 *   ...
 *   <testsuite name="run" ...><testcase name="examples/shop.ts completed" .../></testsuite>
 * ```
 *
 * One suite per kind (thresholds, checks, and `run`, whose one case fails when the test was
 * aborted), one case per threshold (`metric: expr`) and per check (group path › check). Suites
 * and the root carry the run's start (`timestamp`, UTC, the Ant schema's form without a zone) and
 * duration (`time`, seconds); cases have time 0: they are verdicts on the whole run, and summing
 * them must not multiply the run's duration. Pure: data in, string out.
 */
import { thresholdMargin } from './threshold-margin.js';
import { humanizePercent } from '../summary/format.js';
import type { GroupData, SummaryData } from '../summary/types.js';
import { selectorMetric } from '../metrics/thresholds/selector.js';

/**
 * Escapes text for XML 1.0, and drops the characters XML 1.0 cannot carry at all (control
 * characters other than tab/newline/return, lone surrogates, U+FFFE/FFFF). For attribute values
 * (`attr`, the default) tabs and line breaks become character references, which survive
 * attribute-value normalisation (a parser would turn raw ones into spaces).
 */
export function xmlEscape(s: unknown, attr = true): string {
  return String(s ?? '')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(attr ? /[&<>"'\t\n\r]/g : /[&<>]/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

interface Case {
  name: string;
  classname: string;
  failure?: { type: string; message: string; body: string };
}

/** '2025-01-15T09:30:00' (UTC; JUnit's schema has no zone) from an ISO time; '' when unknown. */
function junitTimestamp(iso: string | undefined): string {
  const t = Date.parse(iso ?? '');
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 19) : '';
}

/** A class name segment: word characters and dots only. */
function classPart(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || 'root';
}

function thresholdCases(data: SummaryData): Case[] {
  return (data.volley?.thresholds ?? []).map((t) => {
    const m = thresholdMargin(t, data);
    const c: Case = { name: `${t.metric}: ${t.expr}`, classname: `volley.thresholds.${classPart(selectorMetric(t.metric))}` };
    if (!t.ok) {
      const limit = m.limitText ? `; limit ${m.aggregation}${m.op ?? ''}${m.limitText}` : '';
      const margin = m.marginText ? `; ${m.marginText}` : '';
      const message = `${m.aggregation}=${m.valueText}${limit}${margin}${t.aborted ? '; aborted the test' : ''}`;
      const body = [
        `metric: ${t.metric}`,
        `threshold: ${t.expr}`,
        `measured: ${m.aggregation}=${m.valueText}${t.value === null ? '' : ` (${t.value})`}`,
        m.marginText ? `margin: ${m.marginText}` : '',
        t.abortOnFail ? `abortOnFail: true${t.aborted ? ' (aborted the test)' : ''}` : '',
      ].filter(Boolean);
      c.failure = { type: 'threshold', message, body: body.join('\n') };
    }
    return c;
  });
}

function checkCases(g: GroupData | undefined, out: Case[] = []): Case[] {
  if (!g) return out;
  const groups = (g.path ?? '').split('::').filter(Boolean);
  for (const ch of g.checks ?? []) {
    const c: Case = { name: [...groups, ch.name].join(' › '), classname: ['volley.checks', ...groups.map(classPart)].join('.') };
    if (ch.fails > 0) {
      const total = ch.passes + ch.fails;
      c.failure = {
        type: 'check',
        message: `${ch.fails} of ${total} failed (${humanizePercent(total === 0 ? 0 : ch.passes / total)} passed)`,
        body: `check: ${ch.name}\ngroup: ${groups.join(' › ') || '(root)'}\npasses: ${ch.passes}\nfails: ${ch.fails}`,
      };
    }
    out.push(c);
  }
  for (const sub of g.groups ?? []) checkCases(sub, out);
  return out;
}

function runCases(data: SummaryData): Case[] {
  const v = data.volley?.verdict;
  const c: Case = { name: `${data.volley?.script ?? 'test'} completed`, classname: 'volley.run' };
  if (v?.aborted) c.failure = { type: 'aborted', message: `the test was aborted: ${v.abortReason ?? 'no reason given'}`, body: `exit code: ${v.exitCode}` };
  return [c];
}

/** Renders the summary as JUnit XML (UTF-8, with an XML declaration, ending with a newline). */
export function renderJUnit(data: SummaryData): string {
  const seconds = ((data.state?.testRunDurationMs ?? 0) / 1000).toFixed(3);
  const timestamp = junitTimestamp(data.volley?.startTime);
  const host = data.volley?.machine?.hostname ?? '';
  const suites: Array<[string, Case[]]> = [
    ['thresholds', thresholdCases(data)],
    ['checks', checkCases(data.root_group)],
    ['run', runCases(data)],
  ];
  const nonEmpty = suites.filter(([, cases]) => cases.length > 0);
  const failures = (cases: Case[]) => cases.filter((c) => c.failure).length;
  const all = nonEmpty.flatMap(([, cases]) => cases);
  const ts = timestamp ? ` timestamp="${timestamp}"` : '';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`volley: ${data.volley?.script ?? ''}`)}" tests="${all.length}" failures="${failures(all)}" errors="0" time="${seconds}"${ts}>`,
  ];
  nonEmpty.forEach(([name, cases], id) => {
    lines.push(`  <testsuite name="${name}" id="${id}" tests="${cases.length}" failures="${failures(cases)}" errors="0" skipped="0" time="${seconds}"${ts} hostname="${xmlEscape(host)}">`);
    const props: Array<[string, unknown]> = [
      ['script', data.volley?.script],
      ['volley.version', data.volley?.version],
      ['start', data.volley?.startTime],
      ['end', data.volley?.endTime],
      ['exitCode', data.volley?.verdict?.exitCode],
      ['node', data.volley?.machine?.node],
    ];
    const known = props.filter(([, v]) => v !== undefined);
    // The run's properties once, on the first suite (an empty <properties/> is left out).
    if (id === 0 && known.length > 0) {
      lines.push('    <properties>');
      for (const [k, v] of known) lines.push(`      <property name="${k}" value="${xmlEscape(v)}"/>`);
      lines.push('    </properties>');
    }
    for (const c of cases) {
      const open = `    <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}" time="0"`;
      if (!c.failure) {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      lines.push(`      <failure type="${xmlEscape(c.failure.type)}" message="${xmlEscape(c.failure.message)}">${xmlEscape(c.failure.body, false)}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
