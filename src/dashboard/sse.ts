/**
 * The set of browsers connected to `GET /events` (Server-Sent Events). Each event is serialised
 * once and written to every client. A client that stops reading (a frozen tab on a slow link) is
 * dropped once `maxBufferedBytes` are waiting for it, so a stuck browser cannot make the test
 * process grow; it reconnects by itself and catches up from `init`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options of `SseHub`. */
export interface SseHubOptions {
  /** Comment line every this many ms so proxies and browsers keep the connection. Default 15 s. */
  heartbeatMs?: number;
  /** Bytes queued for one client before it is dropped. Default 8 MiB. */
  maxBufferedBytes?: number;
  /** Reconnection delay suggested to browsers (`retry:`), ms. Default 2 s. */
  retryMs?: number;
}

/** Formats one event. `data` must be one line (JSON.stringify output is). */
export function formatEvent(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxBufferedBytes: number;
  private readonly retryMs: number;
  /** Clients dropped because they did not read (for diagnostics and tests). */
  dropped = 0;

  constructor(opts: SseHubOptions = {}) {
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.retryMs = opts.retryMs ?? 2000;
    this.heartbeat = setInterval(() => this.broadcastRaw(': ping\n\n'), opts.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /**
   * Takes over a request: sends the SSE headers and `first` (the catch-up events, already
   * formatted), then keeps the client until it disconnects or `close()`.
   */
  accept(req: IncomingMessage, res: ServerResponse, first: string): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
    });
    req.socket.setNoDelay(true);
    // No idle timeout on a stream that may stay quiet between heartbeats.
    req.socket.setTimeout(0);
    this.clients.add(res);
    const drop = (): void => {
      this.clients.delete(res);
    };
    res.on('close', drop);
    res.on('error', drop);
    this.write(res, `retry: ${this.retryMs}\n\n${first}`);
  }

  /** Sends one event to every client. */
  broadcast(event: string, data: string): void {
    if (this.clients.size === 0) return;
    this.broadcastRaw(formatEvent(event, data));
  }

  private broadcastRaw(chunk: string): void {
    for (const res of this.clients) this.write(res, chunk);
  }

  private write(res: ServerResponse, chunk: string): void {
    if (res.destroyed || res.writableEnded) {
      this.clients.delete(res);
      return;
    }
    if (res.writableLength > this.maxBufferedBytes) {
      this.dropped++;
      this.clients.delete(res);
      res.destroy();
      return;
    }
    res.write(chunk);
  }

  /** Ends every stream (after what was written is flushed) and stops the heartbeat. */
  async close(graceMs = 1000): Promise<void> {
    clearInterval(this.heartbeat);
    const ends = [...this.clients].map(
      (res) =>
        new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            res.destroy();
            resolve();
          }, graceMs);
          t.unref();
          res.end(() => {
            clearTimeout(t);
            resolve();
          });
          res.once('close', () => {
            clearTimeout(t);
            resolve();
          });
        }),
    );
    this.clients.clear();
    await Promise.all(ends);
  }
}
