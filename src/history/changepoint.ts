import { mulberry32 } from '../util/prng.js';

/**
 * Change points of a series of runs: binary segmentation on the difference of means, each split
 * kept only when a permutation test says it is significant (the significance test E-divisive and
 * Apache Otava use; the statistic here is the standardised mean difference rather than the energy
 * distance, which is enough for level shifts and costs O(n) per split with prefix sums).
 *
 * For a segment x[s..e), the split k maximises |mean(x[s..k)) − mean(x[k..e))|·√(nL·nR/n). The
 * split is significant when fewer than `alpha` of `permutations` shuffles of the segment reach
 * that maximum. Accepted splits are searched again on each side. Deterministic (seeded shuffles).
 */
export interface ChangePoint {
  /** Index of the first value of the new level. */
  index: number;
  /** Mean before and after, within the enclosing segment. */
  before: number;
  after: number;
  /** Permutation-test p-value. */
  p: number;
}

export interface ChangePointOptions {
  /** Default 0.05. */
  alpha?: number;
  /** Default 199. */
  permutations?: number;
  /** Fewest values on each side of a split; default 3. */
  minSize?: number;
  seed?: number;
}

function bestSplit(x: ArrayLike<number>, minSize: number): { k: number; stat: number } {
  const n = x.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i]!;
  let left = 0;
  let best = { k: -1, stat: -1 };
  for (let k = 1; k < n; k++) {
    left += x[k - 1]!;
    if (k < minSize || n - k < minSize) continue;
    const stat = Math.abs(left / k - (total - left) / (n - k)) * Math.sqrt((k * (n - k)) / n);
    if (stat > best.stat) best = { k, stat };
  }
  return best;
}

export function changePoints(values: readonly number[], opts: ChangePointOptions = {}): ChangePoint[] {
  const alpha = opts.alpha ?? 0.05;
  const perms = opts.permutations ?? 199;
  const minSize = opts.minSize ?? 3;
  const rand = mulberry32(opts.seed ?? 12345);
  const out: ChangePoint[] = [];
  const mean = (a: number, b: number): number => values.slice(a, b).reduce((s, v) => s + v, 0) / (b - a);
  const search = (s: number, e: number): void => {
    if (e - s < 2 * minSize) return;
    const seg = values.slice(s, e);
    const { k, stat } = bestSplit(seg, minSize);
    if (k < 0 || !(stat > 0)) return;
    const shuffled = Float64Array.from(seg);
    let reach = 0;
    for (let i = 0; i < perms; i++) {
      for (let j = shuffled.length - 1; j > 0; j--) {
        const r = Math.floor(rand() * (j + 1));
        const t = shuffled[j]!;
        shuffled[j] = shuffled[r]!;
        shuffled[r] = t;
      }
      if (bestSplit(shuffled, minSize).stat >= stat) reach++;
    }
    const p = (reach + 1) / (perms + 1);
    if (p >= alpha) return;
    out.push({ index: s + k, before: mean(s, s + k), after: mean(s + k, e), p });
    search(s, s + k);
    search(s + k, e);
  };
  search(0, values.length);
  return out.sort((a, b) => a.index - b.index);
}
