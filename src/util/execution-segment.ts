/**
 * k6's execution segments as text: `--execution-segment` ("1/4" = "0:1/4", "1/4:2/4", "0.25:50%")
 * and `--execution-segment-sequence` ("0,1/4,1/2,1"). A segment is the interval [start, end) of
 * the whole test this runner executes; the runners of one test together cover [0, 1) exactly once.
 * Values are exact fractions over a common denominator (no floating point), so shares computed
 * from them sum exactly to the whole test.
 */

/** [start/den, end/den) with integers 0 ≤ start < end ≤ den. */
export interface SegmentInterval {
  readonly start: number;
  readonly end: number;
  readonly den: number;
}

export const WHOLE_TEST: SegmentInterval = { start: 0, end: 1, den: 1 };

type Fraction = readonly [num: number, den: number];

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return Math.abs(a);
}
function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

/** Parses "1/4", "0.25", "25%", "0", "1" into a reduced fraction in [0, 1]; a message when invalid. */
export function parseFraction(text: string): Fraction | string {
  const s = text.trim();
  let num: number;
  let den: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)\s*\/\s*(\d+)$/.exec(s))) {
    num = Number(m[1]);
    den = Number(m[2]);
  } else if ((m = /^(\d+)(?:\.(\d+))?(%?)$/.exec(s))) {
    const decimals = m[2] ?? '';
    num = Number(m[1]! + decimals);
    den = 10 ** decimals.length * (m[3] ? 100 : 1);
  } else return `"${s}" is not a fraction (write 1/4, 0.25 or 25%)`;
  if (den === 0 || !Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den > 1e6) return `"${s}" is not a usable fraction`;
  if (num > den) return `"${s}" is more than 1`;
  const g = gcd(num, den) || 1;
  return [num / g, den / g];
}

/** Parses a segment ("1/4" means "0:1/4", as in k6). */
export function parseSegment(text: string): SegmentInterval | string {
  const parts = text.split(':');
  if (parts.length > 2 || text.trim() === '') return `"${text}" is not a segment (write 1/4, 0:1/4 or 1/4:2/4)`;
  const fr = parts.map(parseFraction);
  for (const f of fr) if (typeof f === 'string') return f;
  const [a, b] = (fr.length === 1 ? [[0, 1] as Fraction, fr[0]] : fr) as [Fraction, Fraction];
  const den = lcm(a[1], b[1]);
  const start = (a[0] * den) / a[1];
  const end = (b[0] * den) / b[1];
  if (end <= start) return `"${text}" is empty: its end must be after its start`;
  return { start, end, den };
}

/** Parses a sequence "0,1/3,2/3,1" into its points (as fractions over one denominator). */
export function parseSequence(text: string): { points: number[]; den: number } | string {
  const fr = text.split(',').map(parseFraction);
  for (const f of fr) if (typeof f === 'string') return f;
  const fs = fr as Fraction[];
  if (fs.length < 2) return `"${text}" needs at least two points, e.g. 0,1/2,1`;
  const den = fs.reduce((d, f) => lcm(d, f[1]), 1);
  const points = fs.map((f) => (f[0] * den) / f[1]);
  for (let i = 1; i < points.length; i++) if (points[i]! <= points[i - 1]!) return `"${text}" must increase strictly`;
  return { points, den };
}

/**
 * The segment this runner executes, expressed over the sequence's denominator when one is given
 * (the denominator also numbers VU ids: see `vuIdInTest`). A message when the segment is invalid
 * or is not one of the sequence's intervals.
 */
export function resolveSegment(segment: string | undefined, sequence: string | undefined): SegmentInterval | string {
  const seg = segment === undefined ? WHOLE_TEST : parseSegment(segment);
  if (typeof seg === 'string') return seg;
  if (sequence === undefined) return seg;
  const seq = parseSequence(sequence);
  if (typeof seq === 'string') return seq;
  const den = lcm(seq.den, seg.den);
  const start = (seg.start * den) / seg.den;
  const end = (seg.end * den) / seg.den;
  const pts = seq.points.map((p) => (p * den) / seq.den);
  const i = pts.indexOf(start);
  if (i < 0 || pts[i + 1] !== end) return `segment ${segment ?? '0:1'} is not an interval of the sequence ${sequence}`;
  return { start, end, den };
}

export function isWholeTest(s: SegmentInterval): boolean {
  return s.start === 0 && s.end === s.den;
}

/** "1/4:1/2" */
export function formatSegment(s: SegmentInterval): string {
  const f = (n: number): string => {
    if (n === 0) return '0';
    if (n === s.den) return '1';
    const g = gcd(n, s.den);
    return `${n / g}/${s.den / g}`;
  };
  return `${f(s.start)}:${f(s.end)}`;
}

/** Worker `i` of `n`'s part of segment `s`: the segment cut into n equal intervals. */
export function subSegment(s: SegmentInterval, i: number, n: number): SegmentInterval {
  const w = s.end - s.start;
  return { start: s.start * n + w * i, end: s.start * n + w * (i + 1), den: s.den * n };
}
