/**
 * Datasets and feeders (`volley/data`, also read by `volley llm-bench`):
 *
 *   const prompts = new SharedArray('prompts', () => dataset('./prompts.jsonl'));   // or .csv / .json
 *   const next = feeder(prompts, 'sequential');                                     // 'random', 'unique', 'per-vu'
 *   export default async function () { const p = next(); ... }
 *
 * `dataset` parses JSON Lines (.jsonl, .ndjson: one JSON value a line), JSON (.json: an array) and
 * CSV (.csv: a header row, RFC 4180 quoting) into rows; a file that does not parse is an error naming
 * the file and the line. `syntheticPrompts` makes prompts of a given input-length distribution.
 * Rows live in a SharedArray (one copy per thread, read-only); a feeder picks rows by the iteration
 * numbers every thread agrees on (`iterationInTest`), so 'sequential' and 'unique' hold across VUs
 * and worker threads without a lock.
 */
import { readFileSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { ExitCode, VolleyError } from '../errors/index.js';
import { maybeCurrentVu, type VuContext } from '../vu/context.js';

function dataError(message: string, hint: string): VolleyError {
  return new VolleyError('E_DATASET', message, { hint, exitCode: ExitCode.ScriptException });
}

/** Rows of a JSON Lines text; `file` names it in errors. Blank lines are skipped. */
export function parseJsonl(text: string, file: string): unknown[] {
  const rows: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      rows.push(JSON.parse(line));
    } catch (e) {
      throw dataError(`${file}:${i + 1}: not a JSON value (${(e as Error).message}): ${line.slice(0, 80)}`, 'JSON Lines files hold one JSON value per line');
    }
  }
  return rows;
}

/** Rows of a CSV text (the first row names the columns); `file` names it in errors. */
export function parseCsv(text: string, file: string): Record<string, string>[] {
  const records: string[][] = [];
  const lineOf: number[] = [];
  let field = '';
  let rec: string[] = [];
  let quoted = false;
  let line = 1;
  let recLine = 1;
  let quoteLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '') throw dataError(`${file}:${line}: a quote inside an unquoted field`, 'quote the whole field ("a ""b"" c") as RFC 4180 says');
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      rec.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rec.push(field);
      field = '';
      if (!(rec.length === 1 && rec[0] === '')) {
        records.push(rec);
        lineOf.push(recLine);
      }
      rec = [];
      line++;
      recLine = line;
    } else field += c;
  }
  if (quoted) throw dataError(`${file}:${quoteLine}: a quoted field is never closed`, 'close the quote, or double a quote inside it ("")');
  if (field !== '' || rec.length > 0) {
    rec.push(field);
    records.push(rec);
    lineOf.push(recLine);
  }
  if (records.length === 0) return [];
  const header = records[0]!;
  const rows: Record<string, string>[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec2 = records[r]!;
    if (rec2.length !== header.length) {
      throw dataError(`${file}:${lineOf[r]}: ${rec2.length} fields, the header has ${header.length} (${header.join(', ')})`, 'every row needs one value per column; quote values that contain commas');
    }
    const o: Record<string, string> = {};
    for (let k = 0; k < header.length; k++) o[header[k]!] = rec2[k]!;
    rows.push(o);
  }
  return rows;
}

/** Rows of `text`, by the extension of `file` (.jsonl/.ndjson, .json, .csv). */
export function parseDataset(text: string, file: string): unknown[] {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return parseJsonl(text, file);
  if (ext === '.csv') return parseCsv(text, file);
  if (ext === '.json') {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const at = m ? `:${text.slice(0, Number(m[1])).split('\n').length}` : '';
      throw dataError(`${file}${at}: not valid JSON (${(e as Error).message})`, 'a .json dataset is one JSON array of rows');
    }
    if (!Array.isArray(v)) throw dataError(`${file}: a .json dataset must be an array of rows, got ${v === null ? 'null' : typeof v}`, 'wrap the rows in [ ]');
    return v;
  }
  throw dataError(`${file}: unknown dataset type "${ext || '(none)'}"`, 'use .jsonl, .ndjson, .json or .csv');
}

/** Reads and parses a dataset file (relative paths: from the script's folder in a script, else the working directory). */
export function dataset(path: string): unknown[] {
  const dir = maybeCurrentVu()?.scriptDir ?? (globalThis as { __volleyScriptDir?: string }).__volleyScriptDir ?? process.cwd();
  const open = (globalThis as { open?: (p: string) => string }).open;
  let text: string;
  if (typeof open === 'function' && !isAbsolute(path)) text = open(path);
  else {
    const full = isAbsolute(path) ? path : resolve(dir, path);
    try {
      text = readFileSync(full, 'utf8');
    } catch (e) {
      throw dataError(`cannot read dataset ${full}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, 'check the path');
    }
  }
  return parseDataset(text, path);
}

export type FeedOrder = 'sequential' | 'random' | 'unique' | 'per-vu';

/**
 * A function returning the row for the calling iteration:
 * - 'sequential': row (iterationInTest mod n): every iteration the next row, wrapping;
 * - 'unique': row iterationInTest, each used once across the test; past the end, an error (exit 107);
 * - 'random': a row drawn at random (seeded per thread, `seed` default 1);
 * - 'per-vu': row (VU id − 1) mod n, the same row for a VU's whole life.
 * With several worker threads (or runners) the numbers are striped over them (worker/segment.ts
 * stripedIteration), and with several scenarios the scenarios interleave (`testIteration`): rows
 * stay unique across the test, taken nearly in order.
 * Outside a VU (init, tests) the position is a per-feeder counter.
 */
export function feeder<T>(rows: readonly T[], order: FeedOrder = 'sequential', seed = 1): () => T {
  if (!Array.isArray(rows) && !(rows && typeof (rows as { length?: unknown }).length === 'number')) throw dataError('feeder(rows): rows must be an array (or a SharedArray)', 'pass the rows of dataset()');
  if (!['sequential', 'random', 'unique', 'per-vu'].includes(order)) throw dataError(`feeder(rows, order): unknown order ${JSON.stringify(order)}`, "use 'sequential', 'random', 'unique' or 'per-vu'");
  const n = rows.length;
  if (n === 0) throw dataError('feeder(rows): the dataset is empty', 'give it at least one row');
  let counter = 0;
  let s = seed >>> 0 || 1;
  return () => {
    const vu = maybeCurrentVu();
    const iter = vu ? testIteration(vu) : counter++;
    switch (order) {
      case 'unique':
        if (iter >= n) throw dataError(`feeder('unique'): all ${n} rows are used (row ${iter} asked for${vu ? ` by iteration ${vu.scenario.iterationInTest} of scenario ${vu.scenario.name}` : ''})`, 'give the dataset more rows than the test runs iterations (with several scenarios, each takes every S-th row of S), or use sequential');
        return rows[iter]!;
      case 'random':
        s = (s + 0x6d2b79f5) >>> 0;
        return rows[Math.floor(((Math.imul(s ^ (s >>> 15), s | 1) >>> 0) / 4294967296) * n)]!;
      case 'per-vu':
        return rows[((vu?.id ?? 1) - 1) % n]!;
      default:
        return rows[iter % n]!;
    }
  };
}

/** Per resolved options: each scenario's place in the test, and how many there are. */
const scenarioPlaces = new WeakMap<object, { places: Map<string, number>; count: number }>();

/**
 * The iteration's number over the whole test, for the feeders. Every executor numbers its
 * iterations within its scenario (`scenario.iterationInTest`: unique across VUs, threads and
 * runners); with several scenarios the scenarios interleave (scenario k of S takes k, k + S,
 * k + 2S…), so two scenarios sharing one feeder never get the same row.
 */
function testIteration(vu: VuContext): number {
  let p = scenarioPlaces.get(vu.options);
  if (p === undefined) {
    const list = (vu.options as { scenarios?: readonly { name: string }[] }).scenarios ?? [];
    p = { places: new Map(list.map((s, i) => [s.name, i])), count: Math.max(1, list.length) };
    scenarioPlaces.set(vu.options, p);
  }
  return vu.scenario.iterationInTest * p.count + (p.places.get(vu.scenario.name) ?? 0);
}

/** Words that are one o200k token each (with their leading space), for synthetic prompts. */
const WORDS = ' the of and to in is that for it as with was on be by this are from or at an which but not have has they their one all can more will about time data test load request service token stream model user system value result error rate first second answer each where while'.split(' ').slice(1);

export interface SyntheticSpec {
  count: number;
  /** Mean input length in tokens. */
  mean: number;
  /** Standard deviation in tokens (normal distribution, clamped at min); 0 = fixed length. */
  stddev?: number;
  min?: number;
  max?: number;
  seed?: number;
}

/** `count` prompts whose lengths (in o200k tokens, ±1) follow the given normal distribution; seeded. */
export function syntheticPrompts(spec: SyntheticSpec): string[] {
  const { count, mean } = spec;
  if (!(Number.isInteger(count) && count >= 1) || !(mean >= 1)) throw dataError(`syntheticPrompts: count (${count}) and mean (${mean}) must be at least 1`, 'e.g. { count: 100, mean: 256, stddev: 64 }');
  const sd = spec.stddev ?? 0;
  const min = Math.max(1, spec.min ?? 1);
  const max = spec.max ?? Infinity;
  let s = (spec.seed ?? 1) >>> 0 || 1;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    // Box–Muller: a normal draw from two uniforms.
    const z = sd > 0 ? Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()) : 0;
    const len = Math.min(max, Math.max(min, Math.round(mean + sd * z)));
    const words: string[] = [];
    for (let k = 0; k < len; k++) words.push(WORDS[Math.floor(rand() * WORDS.length)]!);
    out.push(words.join(' '));
  }
  return out;
}
