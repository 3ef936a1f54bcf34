/**
 * Reading and checking runners' summaries before `volley merge` combines them: each must be a
 * Volley summary export with its `volley.part`, all from the same script and options, and their
 * segments must cover the whole test exactly once. Every problem is a VolleyError (exit 104)
 * naming the file.
 */
import { readFile } from 'node:fs/promises';
import { ExitCode, VolleyError } from '../../errors/index.js';
import type { RunPart, SummaryData } from '../../summary/types.js';
import { parseSegment, type SegmentInterval } from '../../util/execution-segment.js';

export interface LoadedPart {
  file: string;
  data: SummaryData;
  part: RunPart;
  segment: SegmentInterval;
}

const bad = (message: string, hint: string): VolleyError => new VolleyError('E_MERGE_INPUT', message, { hint, exitCode: ExitCode.InvalidConfig });

export async function loadPart(file: string): Promise<LoadedPart> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw bad(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'give the files written by volley run --summary-export');
  }
  let data: SummaryData;
  try {
    data = JSON.parse(text) as SummaryData;
  } catch (e) {
    throw bad(`${file} is not JSON (${(e as Error).message})`, 'give the files written by volley run --summary-export');
  }
  const part = data?.volley?.part;
  if (!part || !Array.isArray(part.aggregates)) {
    throw bad(
      `${file} has no histograms to merge (no volley.part: a k6 summary, or one from a Volley version before volley merge)`,
      'percentiles cannot be merged from summary values: run each runner with volley run --summary-export FILE and merge those files',
    );
  }
  const segment = parseSegment(part.segment);
  if (typeof segment === 'string') throw bad(`${file}: volley.part.segment ${segment}`, 'the file was edited or damaged: export it again');
  return { file, data, part, segment };
}

/** Runners of one test: same script, same scenarios and thresholds, segments covering [0, 1) once. */
export function checkParts(parts: readonly LoadedPart[]): void {
  const first = parts[0]!;
  const sameOptions = (p: LoadedPart): string => JSON.stringify({ scenarios: p.part.options.scenarios, thresholds: p.part.options.thresholds, noThresholds: p.part.options.noThresholds });
  for (const p of parts.slice(1)) {
    if (p.part.scriptHash !== first.part.scriptHash) {
      throw bad(`${p.file} comes from another script than ${first.file} (their bundled code differs)`, 'merge only the runners of one test, all run with the same script');
    }
    if (sameOptions(p) !== sameOptions(first)) {
      throw bad(`${p.file} ran with other scenarios or thresholds than ${first.file}`, 'merge only the runners of one test, all run with the same options');
    }
  }
  // Segments, sorted, must tile [0, 1): compare fractions exactly by cross-multiplying.
  const sorted = [...parts].sort((a, b) => a.segment.start * b.segment.den - b.segment.start * a.segment.den);
  let at: { n: number; d: number; file: string } = { n: 0, d: 1, file: '' };
  for (const p of sorted) {
    const s = p.segment;
    const cmp = s.start * at.d - at.n * s.den;
    if (cmp < 0) throw bad(`${p.file} (segment ${p.part.segment}) overlaps ${at.file || 'another runner'}`, 'each part of the test must be merged once: check for a duplicated file or segments that overlap');
    if (cmp > 0) throw bad(`the segments leave a gap before ${p.file} (segment ${p.part.segment})`, 'give every runner\'s summary: together their segments must cover 0 to 1');
    at = { n: s.end, d: s.den, file: p.file };
  }
  if (at.n !== at.d) throw bad(`the segments end at ${at.n}/${at.d}, not 1 (after ${at.file})`, 'give every runner\'s summary: together their segments must cover 0 to 1');
}
