/**
 * The shared lifecycle of the outputs that push metrics snapshots to an endpoint (Prometheus remote
 * write, OTLP, InfluxDB). Subclasses only encode a snapshot (`build`) and send one encoded push
 * (`send`); this class keeps the latest snapshot, pushes it every `pushIntervalMs`, queues and
 * retries through a `PushQueue`, and flushes at stop within `flushTimeoutMs`.
 *
 * States: 'new' → start() → 'started' → stop() → 'stopped'. Snapshots added before start are kept
 * (only the latest matters: they are cumulative); after stop they are ignored.
 *
 * Nothing here runs on the test's hot path: `addSnapshot` stores a reference (once a second), and
 * encoding happens on the push timer, chained so that pushes stay in time order.
 */
import type { MetricsSnapshot } from '../metrics/snapshot.js';
import type { MonitoringOptions } from './monitoring-options.js';
import { PushQueue } from './monitoring-queue.js';
import type { Output, OutputContext, SampleBatch } from './types.js';

export abstract class PushOutput<T> implements Output {
  /** Monitoring outputs read snapshots only: workers collect no raw samples for them. */
  readonly wantsSamples = false;
  readonly description: string;
  /** The delivery queue (counters for tests and the end-of-run warning). */
  readonly queue: PushQueue<T>;
  /** Snapshots encoded into pushes. */
  pushesBuilt = 0;
  protected readonly warn: (message: string) => void;
  private latest: MetricsSnapshot | undefined;
  private lastBuilt: MetricsSnapshot | undefined;
  private state: 'new' | 'started' | 'stopped' = 'new';
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private warnedBuild = false;

  protected constructor(
    /** Output name as in `--out NAME=...`. */
    readonly name: string,
    /** The endpoint as shown to the user (no credentials). */
    shownTarget: string,
    protected readonly options: MonitoringOptions,
    protected readonly ctx: OutputContext,
  ) {
    this.description = `${name} (${shownTarget})`;
    this.warn = ctx.warn ?? ((m) => process.stderr.write(`volley: warning: ${m}\n`));
    this.queue = new PushQueue<T>({
      label: this.description,
      send: (item, signal) => this.send(item, signal),
      sizeOf: (item) => this.sizeOf(item),
      warn: this.warn,
      maxItems: options.maxQueue,
      maxBytes: ctx.maxBufferedBytes,
    });
  }

  /** Encodes a snapshot into one push; undefined when there is nothing to send. */
  protected abstract build(snapshot: MetricsSnapshot): Promise<T | undefined> | T | undefined;
  /** Sends one push; rejects with a PushError on failure. */
  protected abstract send(item: T, signal: AbortSignal): Promise<void>;
  /** Bytes a push holds in memory. */
  protected abstract sizeOf(item: T): number;
  /** Called once at start (e.g. create the InfluxDB database); must not wait on the network for long. */
  protected open(): Promise<void> | void {}
  /** Releases connections after the final flush. */
  protected close(): Promise<void> | void {}

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    await this.open();
    this.state = 'started';
    this.timer = setInterval(() => this.pushLatest(), this.options.pushIntervalMs);
    this.timer.unref();
  }

  addSamples(_batch: SampleBatch): void {
    // Snapshot-only output (wantsSamples = false).
  }

  addSnapshot(snapshot: MetricsSnapshot): void {
    if (this.state === 'stopped') return;
    this.latest = snapshot;
  }

  async stop(_err?: unknown): Promise<void> {
    if (this.state === 'stopped') return;
    const wasStarted = this.state === 'started';
    this.state = 'stopped';
    clearInterval(this.timer);
    if (wasStarted) {
      const deadline = Date.now() + this.options.flushTimeoutMs;
      this.pushLatest();
      await this.chain;
      await this.queue.drain(Math.max(0, deadline - Date.now()));
      if (this.queue.dropped > 0) {
        this.warn(
          `output ${this.description}: ${this.queue.dropped} of ${this.pushesBuilt} pushes were not delivered${this.queue.lastError ? ` (last error: ${this.queue.lastError})` : ''}`,
        );
      }
    }
    await this.close();
  }

  /** Encodes the latest snapshot, if new, and queues it (in order after earlier encodings). */
  private pushLatest(): void {
    const snap = this.latest;
    if (snap === undefined || snap === this.lastBuilt) return;
    this.lastBuilt = snap;
    this.chain = this.chain.then(async () => {
      try {
        const item = await this.build(snap);
        if (item !== undefined) {
          this.pushesBuilt++;
          this.queue.push(item);
        }
      } catch (e) {
        // A bug in encoding must not stop the test; say it once.
        if (!this.warnedBuild) {
          this.warnedBuild = true;
          this.warn(`output ${this.description}: encoding a snapshot failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
      }
    });
  }
}

/** The URL as shown in messages: without credentials and query secrets. */
export function shownUrl(url: URL): string {
  const u = new URL(url.href);
  u.username = '';
  u.password = '';
  for (const k of ['u', 'p', 'token']) if (u.searchParams.has(k)) u.searchParams.set(k, '***');
  return u.href;
}
