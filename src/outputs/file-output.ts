import { isAbsolute, relative, resolve } from 'node:path';
import { ExitCode, VolleyError } from '../errors/index.js';
import { BoundedFileWriter, DEFAULT_MAX_BUFFERED_BYTES } from './file-writer.js';
import type { Output, OutputContext, SampleBatch } from './types.js';

/**
 * The shared part of outputs that stream samples to a file: path resolution, `.gz` compression,
 * the bounded writer, dropping and counting when the disk cannot keep up, warnings, and the
 * lifecycle. Subclasses only turn batches into text (`header`, `serialize`).
 *
 * States: 'new' → start() → 'started' → stop() → 'stopped'. Batches added in 'new' are queued
 * (within the memory bound) and written once started; batches added after stop are ignored.
 */
export abstract class FileOutput implements Output {
  readonly description: string;
  /** Absolute path of the file. */
  readonly path: string;
  /** Samples handed to the writer. */
  samplesWritten = 0;
  /** Samples dropped because the buffer was full (or writing failed). */
  samplesDropped = 0;
  private state: 'new' | 'started' | 'stopped' = 'new';
  private readonly writer: BoundedFileWriter;
  private warnedSlow = false;
  private headerDone = false;
  private readonly warn: (message: string) => void;

  protected constructor(
    /** Output name as in `--out name=...`. */
    readonly name: string,
    file: string,
    protected readonly ctx: OutputContext,
  ) {
    this.path = isAbsolute(file) ? file : resolve(ctx.cwd, file);
    const shown = relative(ctx.cwd, this.path);
    this.description = `${name} (${shown.startsWith('..') || shown === '' ? this.path : shown})`;
    this.warn = ctx.warn ?? ((m) => process.stderr.write(`volley: warning: ${m}\n`));
    this.writer = new BoundedFileWriter(this.path, {
      gzip: this.path.endsWith('.gz'),
      maxBufferedBytes: ctx.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      onError: (e) => this.warn(`output ${this.description}: writing failed (${(e as NodeJS.ErrnoException).code ?? e.message}); further samples are dropped`),
    });
  }

  /** Text written once at the start of the file ('' for none). */
  protected abstract header(): string;
  /** Records the batch's tag sets (every batch, written or dropped, in order). */
  protected abstract absorb(batch: SampleBatch): void;
  /** The text of a batch's rows. */
  protected abstract serialize(batch: SampleBatch): string;

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.ensureHeader();
    try {
      await this.writer.open();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new VolleyError('E_OUTPUT', `output ${this.name}: cannot create ${JSON.stringify(this.path)} (${code})`, {
        hint: `check the path given to --out ${this.name}=...`,
        exitCode: ExitCode.InvalidConfig,
        cause: e,
      });
    }
    this.state = 'started';
  }

  addSamples(batch: SampleBatch): void {
    if (this.state === 'stopped') return;
    try {
      this.absorb(batch);
      if (batch.length === 0) return;
      if (this.writer.error) {
        this.samplesDropped += batch.length;
        return;
      }
      if (this.writer.full) {
        this.samplesDropped += batch.length;
        if (!this.warnedSlow) {
          this.warnedSlow = true;
          this.warn(
            `output ${this.description}: the disk cannot keep up with the test; dropping samples beyond ` +
              `${Math.round(this.writer.opts.maxBufferedBytes / 1024 / 1024)} MiB of buffer (the summary and thresholds are not affected)`,
          );
        }
        return;
      }
      this.ensureHeader();
      this.writer.write(this.serialize(batch));
      this.samplesWritten += batch.length;
    } catch (e) {
      // A bug in serialization must not stop the test: count the batch as dropped and say so once.
      this.samplesDropped += batch.length;
      if (!this.warnedSlow) {
        this.warnedSlow = true;
        this.warn(`output ${this.description}: could not write a batch (${(e as Error).message})`);
      }
    }
  }

  /** Writes the header once, before anything else (called lazily: subclass fields are set by then). */
  private ensureHeader(): void {
    if (this.headerDone) return;
    this.headerDone = true;
    const head = this.header();
    if (head) this.writer.write(head);
  }

  async stop(_err?: unknown): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await this.writer.close();
    if (this.samplesDropped > 0) {
      const total = this.samplesDropped + this.samplesWritten;
      this.warn(`output ${this.description}: ${this.samplesDropped} of ${total} samples were dropped`);
    }
  }
}
