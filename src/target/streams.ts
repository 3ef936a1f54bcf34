import type { ChunkedConfig, SseConfig } from './config.js';
import type { TargetResponse, Handler } from './context.js';
import { compileDistribution, type Sampler } from './latency.js';
import { compileTemplate, type Template } from './template.js';
import { onStreamClose, settle } from './respond.js';

/**
 * kind: sse — a plain Server-Sent Events stream: `events` events, `interval` apart (a distribution),
 * each `id: n`, optional `event: name`, and `data:` from a template ({{seq}} = event number, 1-based;
 * multi-line data becomes several data: lines). Ends the response after the last event.
 *
 * kind: chunked — a Transfer-Encoding: chunked body of `chunks` chunks of `size` bytes, `interval` apart.
 *
 * Both pause during stalls and stop when the client leaves.
 */
class StreamState {
  sent = 0;
  constructor(readonly total: number) {}
}

/** Handler of an sse route. */
export class SseHandler implements Handler {
  private readonly interval: Sampler;
  private readonly data: Template;

  constructor(private readonly cfg: SseConfig) {
    this.interval = compileDistribution(cfg.interval);
    const t = compileTemplate(cfg.data);
    if ('error' in t) throw new Error(`sse.data passed validation but does not compile: ${t.error}`);
    this.data = t;
  }

  respond(res: TargetResponse): void {
    res.state = new StreamState(this.cfg.events);
    res.on('close', onStreamClose);
    res.writeHead(res.route!.status, {
      ...res.route!.headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': res.requestId });
    if (this.cfg.retry !== undefined) res.write(`retry: ${Math.round(this.cfg.retry)}\n\n`);
    else res.flushHeaders();
    res.timer = setTimeout(sseTick, this.interval.sample(res.route!.rng), res, this);
  }

  /** One event's text. */
  event(res: TargetResponse, n: number): string {
    res.seq = n;
    const data = this.data.render(res, false);
    let out = `id: ${n}\n`;
    if (this.cfg.event !== undefined) out += `event: ${this.cfg.event}\n`;
    for (const line of data.split('\n')) out += `data: ${line}\n`;
    return out + '\n';
  }

  nextDelay(res: TargetResponse): number {
    return this.interval.sample(res.route!.rng);
  }
}

function sseTick(res: TargetResponse, h: SseHandler): void {
  res.timer = null;
  if (res.settled) return;
  const left = res.svc!.stallLeft();
  if (left > 0) {
    res.timer = setTimeout(sseTick, left + 1, res, h);
    return;
  }
  const s = res.state as StreamState;
  s.sent++;
  const text = h.event(res, s.sent);
  if (s.sent >= s.total) {
    res.end(text);
    settle(res, res.statusCode);
    return;
  }
  res.write(text);
  res.timer = setTimeout(sseTick, h.nextDelay(res), res, h);
}

/** Handler of a chunked route. */
export class ChunkedHandler implements Handler {
  private readonly interval: Sampler;
  private readonly chunk: Buffer;

  constructor(private readonly cfg: ChunkedConfig) {
    this.interval = compileDistribution(cfg.interval);
    const line = 'volley target chunked body 0123456789 abcdefghijklmnopqrstuvwxyz\n';
    this.chunk = Buffer.from(line.repeat(Math.ceil(cfg.size / line.length)).slice(0, cfg.size));
  }

  respond(res: TargetResponse): void {
    res.state = new StreamState(this.cfg.chunks);
    res.on('close', onStreamClose);
    res.writeHead(res.route!.status, {
      ...res.route!.headers, 'content-type': 'text/plain; charset=utf-8', 'x-request-id': res.requestId });
    res.flushHeaders();
    res.timer = setTimeout(chunkTick, this.interval.sample(res.route!.rng), res, this);
  }

  get body(): Buffer {
    return this.chunk;
  }

  nextDelay(res: TargetResponse): number {
    return this.interval.sample(res.route!.rng);
  }
}

function chunkTick(res: TargetResponse, h: ChunkedHandler): void {
  res.timer = null;
  if (res.settled) return;
  const left = res.svc!.stallLeft();
  if (left > 0) {
    res.timer = setTimeout(chunkTick, left + 1, res, h);
    return;
  }
  const s = res.state as StreamState;
  s.sent++;
  if (s.sent >= s.total) {
    res.end(h.body);
    settle(res, res.statusCode);
    return;
  }
  res.write(h.body);
  res.timer = setTimeout(chunkTick, h.nextDelay(res), res, h);
}
