/**
 * Token-bucket rate limiting. A bucket holds up to `burst` tokens and refills continuously at
 * `rate` tokens per `per` ms; a request takes one token or is refused with the wait until the next one.
 * Refill is computed lazily on take (no timers).
 */
export interface RateLimitSpec {
  rate: number;
  per: number;
  burst?: number | undefined;
  /** Lower-case header naming the client; absent: one global bucket. */
  key?: string | undefined;
}

/** Keys tracked per limiter before the least recently created are dropped (bounds memory). */
const MAX_KEYS = 100_000;

class Bucket {
  constructor(
    public tokens: number,
    public lastMs: number,
  ) {}
}

/** One token bucket, or one per client key. Times are performance.now() ms. */
export class RateLimiter {
  /** Tokens added per ms. */
  private readonly refillPerMs: number;
  readonly burst: number;
  private readonly global: Bucket;
  private readonly buckets = new Map<string, Bucket>();
  readonly keyHeader: string | undefined;

  constructor(spec: RateLimitSpec, nowMs: number) {
    this.refillPerMs = spec.rate / spec.per;
    this.burst = spec.burst ?? Math.max(1, Math.ceil(spec.rate));
    this.keyHeader = spec.key;
    this.global = new Bucket(this.burst, nowMs);
  }

  /**
   * Takes a token for `key` (ignored for global limiters). Returns 0 when allowed, else the ms until
   * a token will be available (for Retry-After).
   */
  take(key: string, nowMs: number): number {
    let b = this.global;
    if (this.keyHeader !== undefined) {
      const found = this.buckets.get(key);
      if (found === undefined) {
        if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
        b = new Bucket(this.burst, nowMs);
        this.buckets.set(key, b);
      } else b = found;
    }
    let tokens = b.tokens + (nowMs - b.lastMs) * this.refillPerMs;
    if (tokens > this.burst) tokens = this.burst;
    b.lastMs = nowMs;
    if (tokens >= 1) {
      b.tokens = tokens - 1;
      return 0;
    }
    b.tokens = tokens;
    return (1 - tokens) / this.refillPerMs;
  }

  /** Refills every bucket (state reset). */
  reset(nowMs: number): void {
    this.buckets.clear();
    this.global.tokens = this.burst;
    this.global.lastMs = nowMs;
  }
}
