import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';

/** Default memory bound for text waiting to be written: 64 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** Stream high-water mark: big enough that a typical batch chunk goes out in one write. */
const HIGH_WATER_MARK = 1024 * 1024;

/**
 * Writes text chunks to a file (gzip-compressed when asked), without ever blocking the caller and
 * with bounded memory.
 *
 * ```
 *   write(chunk) ──► queue (ours) ──pump──► [gzip] ──► fs.WriteStream ──► disk
 *                        ▲                        │ write() === false: stop pumping
 *                        └──── 'drain' ◄──────────┘ until 'drain'
 * ```
 *
 * Node streams accept writes past their high-water mark and buffer without bound, so we stop at
 * the mark and hold the rest in our own queue, whose size (`bufferedBytes`) the caller checks
 * against `maxBufferedBytes` (`full`) before adding more: the caller decides what to drop.
 * Sizes are counted in UTF-16 code units, which equal bytes for the ASCII text outputs write.
 *
 * States: 'new' → open() → 'open' → close() → 'closed'; a write error moves to 'failed', after
 * which writes are discarded. Chunks written in 'new' wait in the queue until open.
 */
export class BoundedFileWriter {
  private state: 'new' | 'open' | 'failed' | 'closed' = 'new';
  private readonly queue: string[] = [];
  private head = 0;
  private queuedBytes = 0;
  private file: WriteStream | undefined;
  private gzip: Gzip | undefined;
  /** Where chunks go: the gzip stream, or the file. */
  private sink: Writable | undefined;
  private blocked = false;
  /** The first write error, if any. */
  error: Error | undefined;
  /** Bytes handed to the stream (before compression). */
  bytesWritten = 0;

  constructor(
    readonly path: string,
    readonly opts: { gzip: boolean; maxBufferedBytes: number; onError?: (err: Error) => void },
  ) {}

  /** Creates the parent directory and the file (truncating it). Rejects with the system error. */
  async open(): Promise<void> {
    if (this.state !== 'new') throw new Error(`BoundedFileWriter.open in state ${this.state}`);
    await mkdir(dirname(this.path), { recursive: true });
    const file = createWriteStream(this.path, { flags: 'w', highWaterMark: HIGH_WATER_MARK });
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', reject);
    });
    this.file = file;
    file.on('error', (e) => this.fail(e));
    if (this.opts.gzip) {
      const gz = createGzip();
      gz.on('error', (e) => this.fail(e));
      gz.pipe(file);
      this.gzip = gz;
      this.sink = gz;
    } else {
      this.sink = file;
    }
    this.sink.on('drain', () => {
      this.blocked = false;
      this.pump();
    });
    this.state = 'open';
    this.pump();
  }

  /** Bytes held in memory, not yet handed to the operating system. */
  get bufferedBytes(): number {
    return this.queuedBytes + (this.gzip?.writableLength ?? 0) + (this.file?.writableLength ?? 0);
  }

  /** True when the buffer is at its bound: callers should drop instead of writing. */
  get full(): boolean {
    return this.bufferedBytes >= this.opts.maxBufferedBytes;
  }

  /** Queues a chunk (never blocks). Discarded after a failure or close. */
  write(chunk: string): void {
    if (this.state === 'failed' || this.state === 'closed' || chunk.length === 0) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    this.pump();
  }

  /** Writes everything queued, ends the stream(s) and waits until the file is closed. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = this.state === 'failed' ? 'failed' : 'closed';
    if (!wasOpen || !this.sink || !this.file) {
      this.dropQueue();
      this.file?.destroy();
      this.state = 'closed';
      return;
    }
    // The queue is already in memory: handing it all to the stream now costs no extra memory.
    while (this.head < this.queue.length) this.writeOut(this.queue[this.head++]!);
    this.dropQueue();
    this.sink.end();
    try {
      await finished(this.file);
    } catch (e) {
      this.fail(e as Error);
    }
    this.state = 'closed';
  }

  private pump(): void {
    if (this.state !== 'open' || this.blocked) return;
    while (this.head < this.queue.length) {
      const chunk = this.queue[this.head]!;
      this.queue[this.head++] = '';
      this.queuedBytes -= chunk.length;
      if (!this.writeOut(chunk)) {
        this.blocked = true;
        break;
      }
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private writeOut(chunk: string): boolean {
    this.bytesWritten += chunk.length;
    return this.sink!.write(chunk);
  }

  private dropQueue(): void {
    this.queue.length = 0;
    this.head = 0;
    this.queuedBytes = 0;
  }

  private fail(e: Error): void {
    if (this.error) return;
    this.error = e;
    if (this.state === 'open') this.state = 'failed';
    this.dropQueue();
    this.opts.onError?.(e);
  }
}
