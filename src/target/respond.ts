import { performance } from 'node:perf_hooks';
import type { TargetResponse } from './context.js';
import { JSON_TYPE } from './body.js';

/**
 * Sending and accounting helpers shared by all handlers. Every request ends in exactly one of
 * `settle` (answered: recorded with its status and service time), `abort` (client left),
 * `reset` or `hang` (errors.*); each releases the concurrency slots the request held.
 */

/**
 * Marks `res` answered with `status` and records its service time when its last byte has been handed
 * to the kernel: right away when the socket buffer is already empty after end(), otherwise on 'finish'.
 */
export function settle(res: TargetResponse, status: number): void {
  if (res.settled) return;
  res.settled = true;
  const svc = res.svc!;
  svc.inFlight--;
  if (res.slots !== 0) svc.releaseSlots(res);
  const sock = res.socket;
  if (sock !== null && sock.writableLength === 0 && res.writableEnded) {
    res.route!.stats.record(status, performance.now() - res.t0);
  } else {
    res.pendingStatus = status;
    res.on('finish', onFinishRecord);
    res.on('close', onCloseUnflushed);
  }
}

function onFinishRecord(this: TargetResponse): void {
  if (this.pendingStatus === 0) return;
  this.route!.stats.record(this.pendingStatus, performance.now() - this.t0);
  this.pendingStatus = 0;
}

function onCloseUnflushed(this: TargetResponse): void {
  if (this.pendingStatus === 0) return;
  this.pendingStatus = 0;
  this.route!.stats.aborted++;
}

/** The client went away before the response was complete. */
export function abort(res: TargetResponse): void {
  if (res.settled) return;
  res.settled = true;
  const svc = res.svc!;
  svc.inFlight--;
  if (res.slots !== 0) svc.releaseSlots(res);
  if (res.timer !== null) {
    clearTimeout(res.timer);
    res.timer = null;
  }
  res.route!.stats.aborted++;
}

/** Has the client gone away? (req.socket is set for the whole request, unlike res.socket.) */
export function isGone(res: TargetResponse): boolean {
  return res.req.socket.destroyed;
}

/**
 * Sends a complete body. `headers` may be a reused object: x-request-id and content-length are
 * overwritten here. With `res.dripMs` (errors.slow) the body trickles out instead. A string body is
 * UTF-8 and goes out in the same write as the head (see CompiledBody.str).
 */
export function sendBody(res: TargetResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  headers['x-request-id'] = res.requestId;
  if (status === 204 || status === 304) {
    delete headers['content-length'];
    res.writeHead(status, headers);
    res.end();
    settle(res, status);
    return;
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  headers['content-length'] = String(length);
  res.writeHead(status, headers);
  if (res.dripMs > 0 && length > 0 && res.req.method !== 'HEAD') {
    startDrip(res, status, typeof body === 'string' ? Buffer.from(body) : body);
    return;
  }
  res.end(body);
  settle(res, status);
}


/** Sends a JSON value, with the route's configured headers. */
export function sendJson(res: TargetResponse, status: number, value: unknown, extra?: Record<string, string>): void {
  const headers: Record<string, string> = { ...res.route!.headers, 'content-type': JSON_TYPE, ...extra };
  sendBody(res, status, headers, JSON.stringify(value) ?? 'null');
}

const STATUS_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  503: 'service_unavailable',
};

/**
 * An error in one shape for every route, compatible with OpenAI's:
 * {"error":{"message","type","code","param":null,"status","requestId"}}.
 */
export function sendError(res: TargetResponse, status: number, message: string, extra?: Record<string, string>, code?: string): void {
  const type = STATUS_TYPE[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  sendJson(res, status, { error: { message, type, code: code ?? type, param: null, status, requestId: res.requestId } }, extra);
}

/** State of a dripping body: bytes written so far, bytes per tick, ms per tick. */
class Drip {
  offset = 0;
  constructor(
    readonly body: Buffer,
    readonly status: number,
    readonly slice: number,
    readonly everyMs: number,
  ) {}
}

/** Ticks of a drip: one every 50 ms at most, so small bodies drip byte by byte. */
const DRIP_TICK_MS = 50;

function startDrip(res: TargetResponse, status: number, body: Buffer): void {
  const ticks = Math.max(1, Math.min(body.length, Math.floor(res.dripMs / DRIP_TICK_MS)));
  res.state = new Drip(body, status, Math.ceil(body.length / ticks), res.dripMs / ticks);
  res.on('close', onStreamClose);
  // Headers now; body slices at everyMs, 2·everyMs, …, dripMs (the last byte arrives `for` after start).
  res.flushHeaders();
  res.timer = setTimeout(dripTick, res.dripMs / ticks, res);
}

function dripTick(res: TargetResponse): void {
  res.timer = null;
  if (res.settled) return;
  const d = res.state as Drip;
  const left = res.svc!.stallLeft();
  if (left > 0) {
    res.timer = setTimeout(dripTick, left + 1, res);
    return;
  }
  const end = Math.min(d.body.length, d.offset + d.slice);
  const chunk = d.body.subarray(d.offset, end);
  d.offset = end;
  if (end >= d.body.length) {
    res.end(chunk);
    settle(res, d.status);
  } else {
    res.write(chunk);
    res.timer = setTimeout(dripTick, d.everyMs, res);
  }
}

/** 'close' listener of streaming responses: the client left mid-stream (no-op once settled). */
export function onStreamClose(this: TargetResponse): void {
  if (this.timer !== null) {
    clearTimeout(this.timer);
    this.timer = null;
  }
  if (!this.settled) abort(this);
}
