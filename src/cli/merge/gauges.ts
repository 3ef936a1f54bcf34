import type { PortableAggregate } from '../../metrics/portable.js';

/** Gauges whose runners' values add up: the VUs each runner has (whole test only; sub-metrics are per runner). */
export function isAdditiveGauge(a: PortableAggregate, levels: ReadonlySet<string>): boolean {
  return a.type === 'gauge' && a.part === 'total' && (a.metric === 'vus' || a.metric === 'vus_max' || levels.has(a.metric));
}

/**
 * One gauge from the runners' gauges of `vus`, `vus_max` or a level: the last values add up; so do the maxima
 * of vus_max (each runner's only grows). For vus and levels, the peak and the low are the merged per-second
 * series' (the runners' VUs summed second by second) when there is one, else the sum of the runners'
 * (an upper bound for the peak).
 */
export function sumGauges(list: readonly PortableAggregate[], perSecond: readonly (number | null)[] | undefined): PortableAggregate {
  const g = list.map((a) => a.gauge!);
  const sum = (f: (x: { last: number; min: number; max: number }) => number) => g.reduce((acc, x) => acc + f(x), 0);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of perSecond ?? []) {
    if (v === null) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const seen = Number.isFinite(lo);
  const gauge = {
    last: sum((x) => x.last),
    min: seen ? lo : sum((x) => x.min),
    max: seen ? g.reduce((m, x) => Math.max(m, x.max), hi) : sum((x) => x.max),
    t: Math.max(...g.map((x) => x.t)),
  };
  return { ...list[0]!, gauge };
}
