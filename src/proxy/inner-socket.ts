import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/**
 * The socket Node's HTTP server sees for a connection of an HTTP proxy: bytes from the client arrive
 * here after the upstream link's toxics (`push`), and what the server writes leaves through the
 * downstream link (`onWrite`). It carries the little of net.Socket's API the HTTP server calls.
 */
export class InnerSocket extends Duplex {
  /** Set by the connection: where written bytes go; call `done` when more may be written. */
  onWrite: (chunk: Buffer, done: () => void) => void = (_c, done) => done();
  onFinal: () => void = () => {};
  onRead: () => void = () => {};
  onDestroy: () => void = () => {};
  private idleTimer: NodeJS.Timeout | undefined;
  private idleMs = 0;

  constructor(private readonly client: Socket) {
    super({ allowHalfOpen: true, decodeStrings: true });
  }

  get remoteAddress(): string | undefined {
    return this.client.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.client.remotePort;
  }
  get remoteFamily(): string | undefined {
    return this.client.remoteFamily;
  }
  get localAddress(): string | undefined {
    return this.client.localAddress;
  }
  get localPort(): number | undefined {
    return this.client.localPort;
  }
  get encrypted(): boolean {
    return false;
  }

  /** Resets the client connection (TCP RST). */
  resetClient(): void {
    if (!this.client.destroyed) this.client.resetAndDestroy();
    this.destroy();
  }

  /** Idle timeout as net.Socket has it (the HTTP server uses it for keepAliveTimeout). */
  setTimeout(ms: number, cb?: () => void): this {
    if (cb) this.once('timeout', cb);
    this.idleMs = ms;
    this.touch();
    return this;
  }
  /** Restarts the idle timer (called on every byte either way). */
  touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = this.idleMs > 0 ? setTimeout(() => this.emit('timeout'), this.idleMs).unref() : undefined;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _read(): void {
    this.onRead();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.touch();
    this.onWrite(chunk, () => cb());
  }
  override _final(cb: (err?: Error | null) => void): void {
    this.onFinal();
    cb();
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    this.onDestroy();
    cb(err);
  }
}
