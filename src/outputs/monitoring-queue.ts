/**
 * The delivery part of the push outputs (remote write, OTLP, InfluxDB): a bounded queue of encoded
 * pushes sent one at a time, in order, with exponential backoff while the endpoint fails.
 *
 * Invariants:
 * - `push()` never waits and never throws; memory stays under `maxItems` pushes and `maxBytes`:
 *   past either, the oldest queued push (not the one in flight) is dropped and counted.
 * - One request at a time, oldest first: a receiver sees each series' samples in time order.
 * - A failure the endpoint may recover from (network error, timeout, 429, 5xx) keeps the push at the
 *   head and waits `initialBackoffMs`, doubling up to `maxBackoffMs`; the first one is warned about
 *   once. A rejection (other 4xx: the payload itself is refused) drops that push, warned once.
 * - `drain(ms)` sends what is queued, retrying quickly (every 250 ms at most), for at most
 *   `ms`; then the request in flight is aborted and what is left counted as dropped.
 *
 * Timers are unref'd while the test runs (an unreachable endpoint never keeps the process alive);
 * `drain` holds one ref'd timer for its deadline, so the flush at the end is not cut short.
 */

/** A failed push. `permanent`: retrying the same payload cannot succeed (a 4xx other than 429). */
export class PushError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'PushError';
  }
}

export interface PushQueueOptions<T> {
  /** Sends one push; rejects on failure (a PushError says whether to retry). Must honour `signal`. */
  send(item: T, signal: AbortSignal): Promise<void>;
  /** Bytes an item holds in memory (for `maxBytes`). */
  sizeOf(item: T): number;
  /** Where the two warnings go (unreachable, rejected). */
  warn(message: string): void;
  /** Names the output in warnings, e.g. 'prometheus-rw (http://127.0.0.1:9090/api/v1/write)'. */
  label: string;
  /** Most queued pushes. Default 120. */
  maxItems?: number;
  /** Most queued bytes. Default 64 MiB. */
  maxBytes?: number;
  /** First wait after a failure, ms. Default 1000. */
  initialBackoffMs?: number;
  /** Longest wait between retries, ms. Default 30000. */
  maxBackoffMs?: number;
}

export class PushQueue<T> {
  /** Pushes delivered. */
  sent = 0;
  /** Pushes dropped: queue full, rejected by the endpoint, or left at the end of `drain`. */
  dropped = 0;
  /** Failed attempts (each retry counts). */
  failures = 0;
  /** The last failure's message, if any. */
  lastError: string | undefined;

  private readonly items: T[] = [];
  private bytes = 0;
  private inflight: T | undefined;
  private inflightAbort: AbortController | undefined;
  private running = false;
  private closed = false;
  private draining = false;
  private backoffMs = 0;
  private waitUntil = 0;
  private sleepTimer: NodeJS.Timeout | undefined;
  private sleepWake: (() => void) | undefined;
  private idleWaiters: Array<() => void> = [];
  private warnedUnreachable = false;
  private warnedRejected = false;
  private readonly maxItems: number;
  private readonly maxBytes: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly opts: PushQueueOptions<T>) {
    this.maxItems = opts.maxItems ?? 120;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  }

  /** Pushes waiting (not counting the one in flight). */
  get length(): number {
    return this.items.length - (this.inflight !== undefined && this.items[0] === this.inflight ? 1 : 0);
  }

  /** Queues a push and starts sending. Ignored once drained. */
  push(item: T): void {
    if (this.closed) {
      this.dropped++;
      return;
    }
    const size = this.opts.sizeOf(item);
    this.items.push(item);
    this.bytes += size;
    while (this.items.length > this.maxItems || (this.bytes > this.maxBytes && this.items.length > 1)) {
      // Drop the oldest that is not being sent right now.
      const idx = this.items[0] === this.inflight ? 1 : 0;
      if (idx >= this.items.length) break;
      const [old] = this.items.splice(idx, 1);
      this.bytes -= this.opts.sizeOf(old as T);
      this.dropped++;
    }
    this.kick();
  }

  /**
   * Sends what is queued for at most `timeoutMs`, then gives up (aborting the request in flight).
   * Resolves when done either way; never rejects. Later pushes are dropped.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    // Retry at once rather than after the current backoff.
    this.waitUntil = 0;
    this.backoffMs = Math.min(this.backoffMs, 250);
    this.wake();
    this.kick();
    if (this.running || this.items.length > 0) {
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => {
          deadline = setTimeout(resolve, timeoutMs); // ref'd: the final flush must not be cut short
        }),
      ]);
      clearTimeout(deadline);
    }
    this.closed = true;
    this.wake();
    this.inflightAbort?.abort();
    this.dropped += this.items.length;
    this.items.length = 0;
    this.bytes = 0;
  }

  private kick(): void {
    if (this.running || this.closed || this.items.length === 0) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (!this.closed && this.items.length > 0) {
        const wait = this.waitUntil - Date.now();
        if (wait > 0) await this.sleep(wait);
        if (this.closed) break;
        const item = this.items[0] as T;
        const abort = new AbortController();
        this.inflight = item;
        this.inflightAbort = abort;
        try {
          await this.opts.send(item, abort.signal);
          this.remove(item);
          this.sent++;
          this.backoffMs = 0;
          this.waitUntil = 0;
        } catch (e) {
          if (this.closed) break;
          this.failures++;
          const message = e instanceof Error ? e.message : String(e);
          this.lastError = message;
          if (e instanceof PushError && e.permanent) {
            this.remove(item);
            this.dropped++;
            if (!this.warnedRejected) {
              this.warnedRejected = true;
              this.opts.warn(`output ${this.opts.label}: the endpoint rejected a push (${message}); that push is dropped, later ones are still sent`);
            }
          } else {
            if (!this.warnedUnreachable) {
              this.warnedUnreachable = true;
              this.opts.warn(`output ${this.opts.label}: cannot push (${message}); retrying with backoff, the test goes on`);
            }
            this.backoffMs = this.backoffMs === 0 ? this.initialBackoffMs : Math.min(this.backoffMs * 2, this.maxBackoffMs);
            this.waitUntil = Date.now() + (this.draining ? Math.min(this.backoffMs, 250) : this.backoffMs);
          }
        } finally {
          this.inflight = undefined;
          this.inflightAbort = undefined;
        }
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private remove(item: T): void {
    const i = this.items.indexOf(item);
    if (i >= 0) {
      this.items.splice(i, 1);
      this.bytes -= this.opts.sizeOf(item);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepWake = resolve;
      this.sleepTimer = setTimeout(() => this.wake(), ms);
      // During the run nothing here may keep the process alive; drain() holds its own ref'd timer.
      this.sleepTimer.unref();
    });
  }

  private wake(): void {
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.sleepTimer = undefined;
    const w = this.sleepWake;
    this.sleepWake = undefined;
    w?.();
  }
}
