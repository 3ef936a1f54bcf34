import { writeFile } from 'node:fs/promises';
import { configError } from '../errors/index.js';
import { measuredFrom, measuredFromData } from './measured.js';
import { parseHeadroom, parseTraffic, plan, type CapacityPlan, type MeasuredCapacity, type TrafficModel } from './model.js';

export interface CapacityOptions {
  measured?: string | undefined;
  traffic: string;
  headroom?: string | undefined;
  capacityRps?: string | undefined;
  latencyMs?: string | undefined;
  json?: boolean | undefined;
  markdown?: string | undefined;
  /** `--measured RUN_ID`: the stored run's summary, loaded by the caller from the history. */
  measuredData?: { name: string; data: object } | undefined;
}

function positive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw configError('E_CAPACITY_OPTION', `${flag} '${v}' must be a number above 0`, `e.g. ${flag} 250`);
  return n;
}

/** The plan as text: the arithmetic, line by line. */
export function planText(p: CapacityPlan, headroom: number): string {
  const w = Math.max(...p.steps.map((s) => s.what.length));
  const lines = p.steps.map((s) => `  ${s.what.padEnd(w)}  ${s.value.padStart(14)}   = ${s.arithmetic}`);
  const out = [`Capacity plan (headroom ${Math.round(headroom * 100)} %)`, '', ...lines, ''];
  out.push(`  → ${p.instances} instance${p.instances === 1 ? '' : 's'}, each at ${Math.round(p.utilisationAtPeak * 100)} % of its measured capacity at the planned peak, ${p.connectionsPerInstance} connection${p.connectionsPerInstance === 1 ? '' : 's'} each.`);
  for (const warning of p.warnings) out.push(`  ! ${warning}`);
  return `${out.join('\n')}\n`;
}

/** The plan as Markdown (a PR comment or a design doc). */
export function planMarkdown(p: CapacityPlan, headroom: number): string {
  const rows = p.steps.map((s) => `| ${s.what} | ${s.arithmetic} | **${s.value}** |`).join('\n');
  const warn = p.warnings.map((w) => `> ⚠ ${w}\n`).join('');
  return `### Capacity plan (headroom ${Math.round(headroom * 100)} %)\n\n| step | arithmetic | value |\n| --- | --- | --- |\n${rows}\n\n**${p.instances} instances**, ${Math.round(p.utilisationAtPeak * 100)} % utilised at the planned peak, ${p.connectionsPerInstance} connection${p.connectionsPerInstance === 1 ? '' : 's'} each.\n${warn ? `\n${warn}` : ''}`;
}

/** The plan of `o`, with what it was made of. Throws VolleyError (exit 104) naming a bad flag. */
export async function buildPlan(o: CapacityOptions): Promise<{ plan: CapacityPlan; headroom: number; traffic: TrafficModel; measured: MeasuredCapacity }> {
  const traffic = parseTraffic(o.traffic);
  const headroom = parseHeadroom(o.headroom ?? '50%');
  const override = { rps: positive('--capacity-rps', o.capacityRps), latencyMs: positive('--latency-ms', o.latencyMs) };
  const measured = o.measuredData ? measuredFromData(o.measuredData.data, o.measuredData.name, override) : await measuredFrom(o.measured, override);
  return { plan: plan(traffic, measured, headroom), headroom, traffic, measured };
}

/** `volley capacity`: a traffic model against a measured per-instance capacity. */
export async function capacityCommand(o: CapacityOptions, built?: Awaited<ReturnType<typeof buildPlan>>): Promise<number> {
  const { plan: p, headroom, traffic, measured } = built ?? (await buildPlan(o));
  if (o.json) process.stdout.write(`${JSON.stringify({ headroom, traffic, measured, ...p }, null, 2)}\n`);
  else process.stdout.write(planText(p, headroom));
  if (o.markdown) {
    try {
      await writeFile(o.markdown, planMarkdown(p, headroom));
    } catch (e) {
      throw configError('E_CAPACITY_OUTPUT', `--markdown ${o.markdown}: ${(e as Error).message}`, 'choose a writable path');
    }
  }
  return 0;
}
