import { IncomingMessage, ServerResponse } from 'node:http';
import type { TemplateSource } from './template.js';
import type { CompiledRoute } from './route.js';
import type { Service } from './service.js';

/**
 * Per-request state lives on the request/response objects themselves (custom classes passed to
 * http.createServer), so the pipeline passes one object around instead of allocating a context and
 * closures per request. Fields are initialised in the constructor so every instance has the same
 * hidden class.
 */

/** How a route reads the request body. */
export const enum BodyMode {
  /** Not read (Node discards it after the response). */
  None = 0,
  /** Read and dropped, counting bytes (413 beyond the limit). */
  Discard = 1,
  /** Buffered up to the limit and parsed as JSON (400 when invalid). */
  Json = 2,
  /** Buffered up to the limit as text (echo). */
  Text = 3,
  /** Streamed and counted, never buffered (upload parts). */
  Count = 4,
}

/** The http server's IncomingMessage class: body-reading state. */
export class TargetRequest extends IncomingMessage {
  /** The response of this request (set when the body is read). */
  tres: TargetResponse | null = null;
  bodyChunks: Buffer[] | null = null;
  bodyBytes = 0;
  bodyLimit = 0;
  bodyMode: BodyMode = BodyMode.None;
  /** Set once the body was too large (the rest is ignored). */
  bodyRejected = false;
}

/** The http server's ServerResponse class: the request's whole pipeline state. */
export class TargetResponse extends ServerResponse<TargetRequest> implements TemplateSource {
  svc: Service | null = null;
  /** performance.now() when the request head was parsed: the start of its service time (ms). */
  t0 = 0;
  requestId = '';
  method = '';
  /** Request path without query string. */
  pathname = '';
  /** Raw query string without "?" ('' when none). */
  search = '';
  route: CompiledRoute | null = null;
  params: Record<string, string> | null = null;
  /** Parsed JSON request body (BodyMode.Json) or text (BodyMode.Text). */
  jsonBody: unknown = undefined;
  /** Template counter: request number on the route, or event number in a stream. */
  seq = 0;
  /** Next pipeline step (see service.ts). */
  step = 0;
  /** Concurrency slots held: bit 1 = service-wide, bit 2 = route. */
  slots = 0;
  /** Set once the request is accounted for (recorded, aborted, reset or hung). */
  settled = false;
  /** Status to record when 'finish' fires (responses still flushing at end()). */
  pendingStatus = 0;
  /** Drip the body over this many ms (errors.slow), 0 = no. */
  dripMs = 0;
  /** performance.now() at which the latency delay ends (timers may fire a little early; see service.ts). */
  dueAt = 0;
  /** Handler-specific state (streams). */
  state: unknown = null;
  timer: NodeJS.Timeout | null = null;
  private queryCache: URLSearchParams | null = null;

  /** A query parameter ('' when absent); parses the query string on first use only. */
  queryParam(name: string): string {
    if (this.search === '') return '';
    if (this.queryCache === null) this.queryCache = new URLSearchParams(this.search);
    return this.queryCache.get(name) ?? '';
  }

  /** A request header by lower-case name ('' when absent; repeated headers joined by ", "). */
  header(name: string): string {
    const v = this.req.headers[name];
    return v === undefined ? '' : Array.isArray(v) ? v.join(', ') : v;
  }
}
