import { performance } from 'node:perf_hooks';
import type { Stream, Toxic } from './toxics.js';

/**
 * One direction of one proxied connection, with the proxy's toxics for that direction applied to
 * the bytes in order (Toxiproxy's ToxicLink). Data arrives through `feed`, leaves through the `out`
 * callbacks.
 *
 * Fast path: with no toxic active on the link and nothing queued, `feed` writes straight through
 * (no timestamp, no queue, no promise): this is what keeps streams unbuffered and the proxy's
 * overhead a function call per chunk (bench/proxy.mjs).
 *
 * Otherwise chunks are queued with their arrival time and a single pump applies the chain to each in
 * turn. Latency is measured from arrival, so it is pipelined like Toxiproxy's (a 100 ms latency delays
 * every chunk by 100 ms; it does not cap throughput at one chunk per 100 ms). The queue is bounded:
 * above HIGH_WATER_BYTES the input is paused until the pump catches up (back-pressure, bounded memory).
 */

/** Where a link's bytes go, and how it throttles its input. */
export interface LinkEnds {
  /** Writes a chunk; false means "wait for onDrain before writing more". */
  write(chunk: Buffer): boolean;
  onDrain(cb: () => void): void;
  /** Graceful end of this direction (FIN). */
  end(): void;
  /** Ends the whole connection: `reset` true sends RST (reset_peer), false closes both sides. */
  kill(reset: boolean): void;
  pauseInput(): void;
  resumeInput(): void;
}

const HIGH_WATER_BYTES = 256 * 1024;
const LOW_WATER_BYTES = 64 * 1024;
const EOF = null;

interface Queued {
  data: Buffer | typeof EOF;
  atMs: number;
}

interface ToxicState {
  timer?: NodeJS.Timeout;
  bytes: number;
}

function wait(ms: number): Promise<void> | undefined {
  return ms > 0.5 ? new Promise((r) => setTimeout(r, ms)) : undefined;
}

export class Link {
  /** Toxics active on this link (drawn by toxicity), in chain order. */
  private chain: Toxic[] = [];
  /** Toxicity draws per toxic object: a replaced (updated) toxic is drawn again, as in Toxiproxy. */
  private readonly drawn = new Map<Toxic, boolean>();
  private readonly state = new Map<Toxic, ToxicState>();
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private inputPaused = false;
  private pumping = false;
  private waitingDrain = false;
  private closed = false;
  private bandwidthNextMs = 0;

  constructor(
    readonly direction: Stream,
    private readonly out: LinkEnds,
    private readonly random: () => number = Math.random,
    /** Called when a toxic is drawn active on this link (once per toxic and link). */
    private readonly onDraw: (t: Toxic) => void = () => {},
  ) {}

  /** Sets the proxy's current toxics (all directions; this link keeps its own). Call on every change. */
  sync(toxics: readonly Toxic[]): void {
    if (this.closed) return;
    const chain: Toxic[] = [];
    for (const t of toxics) {
      if (t.stream !== this.direction) continue;
      let on = this.drawn.get(t);
      if (on === undefined) {
        on = this.random() < t.toxicity;
        this.drawn.set(t, on);
        if (on) this.onDraw(t);
      }
      if (on) chain.push(t);
    }
    for (const [t, s] of this.state) {
      if (!chain.includes(t)) {
        clearTimeout(s.timer);
        this.state.delete(t);
      }
    }
    for (const t of this.drawn.keys()) if (!toxics.includes(t)) this.drawn.delete(t);
    for (const t of chain) {
      if (this.state.has(t)) continue;
      const s: ToxicState = { bytes: 0 };
      this.state.set(t, s);
      // timeout: the connection closes `timeout` ms after the toxic starts on it, data or not.
      if (t.type === 'timeout' && (t.attributes.timeout ?? 0) > 0) {
        s.timer = setTimeout(() => this.out.kill(false), t.attributes.timeout);
      }
    }
    this.chain = chain;
    if (chain.length === 0 && this.queue.length > 0) this.pump();
  }

  /** Bytes from the source. */
  feed(data: Buffer): void {
    if (this.closed) return;
    if (this.chain.length === 0 && !this.pumping && !this.waitingDrain && this.queue.length === 0) {
      if (!this.out.write(data)) this.awaitDrain();
      return;
    }
    this.queue.push({ data, atMs: performance.now() });
    this.queuedBytes += data.length;
    if (!this.inputPaused && this.queuedBytes > HIGH_WATER_BYTES) {
      this.inputPaused = true;
      this.out.pauseInput();
    }
    this.pump();
  }

  /** The source ended (FIN). */
  feedEnd(): void {
    if (this.closed) return;
    this.queue.push({ data: EOF, atMs: performance.now() });
    this.pump();
  }

  /** The connection is gone: stop timers, drop what is queued. */
  close(): void {
    this.closed = true;
    for (const s of this.state.values()) clearTimeout(s.timer);
    this.state.clear();
    this.queue.length = 0;
  }

  private awaitDrain(): void {
    this.waitingDrain = true;
    this.out.onDrain(() => {
      this.waitingDrain = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.pumping || this.waitingDrain || this.closed) return;
    this.pumping = true;
    void this.run().finally(() => {
      this.pumping = false;
    });
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && !this.closed && !this.waitingDrain) {
      const item = this.queue.shift()!;
      if (item.data === EOF) {
        await this.finish();
        return;
      }
      this.queuedBytes -= item.data.length;
      if (this.inputPaused && this.queuedBytes < LOW_WATER_BYTES) {
        this.inputPaused = false;
        this.out.resumeInput();
      }
      await this.pass(item.data, item.atMs, 0);
    }
  }

  private async finish(): Promise<void> {
    for (const t of this.chain) {
      if (t.type === 'slow_close') await wait(t.attributes.delay ?? 0);
    }
    if (!this.closed) this.out.end();
  }

  /** Runs `data` through the chain from toxic `i`, then writes it. */
  private async pass(data: Buffer, atMs: number, i: number): Promise<void> {
    const chain = this.chain;
    for (; i < chain.length; i++) {
      if (this.closed) return;
      const t = chain[i]!;
      const a = t.attributes;
      switch (t.type) {
        case 'latency': {
          const jitter = a.jitter ?? 0;
          const delay = (a.latency ?? 0) + (jitter > 0 ? this.random() * 2 * jitter - jitter : 0);
          const until = atMs + delay;
          await wait(until - performance.now());
          atMs = Math.max(until, atMs);
          break;
        }
        case 'bandwidth': {
          const rate = a.rate ?? 0; // KB/s = bytes per ms
          if (rate <= 0) break;
          // Slices of at most 100 ms worth of data, each released when the budget allows.
          const slice = Math.max(1, Math.floor(rate * 100));
          for (let off = 0; off < data.length; off += slice) {
            const part = data.subarray(off, off + slice);
            const now = performance.now();
            this.bandwidthNextMs = Math.max(this.bandwidthNextMs, now) + part.length / rate;
            await wait(this.bandwidthNextMs - now);
            await this.pass(part, atMs, i + 1);
          }
          return;
        }
        case 'slicer': {
          const avg = Math.max(1, a.average_size ?? 0);
          const variation = a.size_variation ?? 0;
          const bounds = this.slices(0, data.length, avg, variation);
          for (let k = 1; k < bounds.length; k += 2) {
            await this.pass(data.subarray(bounds[k - 1]!, bounds[k]!), atMs, i + 1);
            await wait((a.delay ?? 0) / 1000);
          }
          return;
        }
        case 'limit_data': {
          const s = this.state.get(t);
          const limit = a.bytes ?? 0;
          const sent = s?.bytes ?? 0;
          const remaining = Math.max(0, limit - sent);
          if (remaining < data.length) data = data.subarray(0, remaining);
          if (data.length > 0) await this.pass(data, atMs, i + 1);
          if (s) s.bytes += data.length;
          if (sent + data.length >= limit) this.out.kill(false);
          return;
        }
        case 'timeout':
          return; // data is dropped while the toxic is active
        case 'reset_peer':
          await wait(a.timeout ?? 0);
          this.out.kill(true);
          return;
        case 'slow_close':
          break;
      }
    }
    if (this.closed) return;
    if (!this.out.write(data)) {
      await new Promise<void>((r) => this.out.onDrain(r));
    }
  }

  /** Toxiproxy's slicer: halves a range recursively (± variation) until slices are about `avg` long. */
  private slices(start: number, end: number, avg: number, variation: number): number[] {
    if (end - start - avg <= variation) return [start, end];
    let mid = start + Math.floor((end - start) / 2);
    if (variation > 0) mid += Math.floor(this.random() * variation * 2) - variation;
    return [...this.slices(start, mid, avg, variation), ...this.slices(mid, end, avg, variation)];
  }
}
