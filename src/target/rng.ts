/**
 * A small seedable pseudo-random generator (sfc32, 32-bit state words). Seeded runs of the target make
 * the same decisions (error injection, latency samples) in the same order, which makes failures
 * reproducible. Not cryptographic. `next()` allocates nothing.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Spare standard-normal value from the last Box-Muller pair (NaN when none). */
  private spare = Number.NaN;

  /** @param seed any finite number; default: from Math.random (a different sequence per run). */
  constructor(seed: number = Math.floor(Math.random() * 2 ** 32)) {
    // Spread the seed over the state with splitmix-like constants, then warm up (sfc32 recommends it).
    this.a = 0x9e3779b9 ^ seed;
    this.b = 0x243f6a88 ^ Math.imul(seed, 0x85ebca6b);
    this.c = 0xb7e15162 ^ Math.imul(seed, 0xc2b2ae35);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return (t >>> 0) / 4294967296;
  }

  /** Standard normal N(0, 1) by Box-Muller; every second call reuses the spare. */
  normal(): number {
    const s = this.spare;
    if (s === s) {
      this.spare = Number.NaN;
      return s;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}
