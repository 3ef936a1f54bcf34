// Tiny timing helper for the micro-benchmarks: best of `rounds` runs of `n` calls, ns per call.
export function bench(name, n, fn, rounds = 7) {
  for (let i = 0; i < n; i++) fn(i); // warm-up (JIT)
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    const ns = Number(process.hrtime.bigint() - t0) / n;
    if (ns < best) best = ns;
  }
  console.log(`${name.padEnd(58)} ${best.toFixed(1).padStart(8)} ns/op`);
  return best;
}
