/**
 * One LLM call over an undici dispatcher, read as it streams: the time of every token event, the
 * text, the usage block, and what went wrong by kind. Knows no VU (module.ts records the metrics;
 * llm-bench calls it directly). Never outlives `timeoutMs`: one timer aborts the request and the
 * body read, whatever the server does.
 *
 * Times are ms from `t0` (performance.now() at the send, or at the intended send in an open-model
 * benchmark, so a late send counts against the server's latency: no coordinated omission).
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { CONTENT, MALFORMED, Reading, REASONING, TokenTemplate, promptText, readEvent, readWhole, requestBody, requestHeaders, requestPath, type LlmCall } from './dialect.js';
import { SseParser, type SseParserHandlers } from '../sse/parser.js';
import { countTokens } from './tokens.js';

/** Failure kinds (the `error_kind` tag of failed calls; docs/llm.md). */
export type LlmErrorKind =
  | 'not_openai'
  | 'malformed_sse'
  | 'no_done'
  | 'stream_cut'
  | 'http_429'
  | 'http_4xx'
  | 'http_5xx'
  | 'api_error'
  | 'timeout'
  | 'network'
  | 'aborted';

export interface LlmError {
  kind: LlmErrorKind;
  message: string;
}

/** Gaps between token events, reused across calls (grows, never shrinks). */
export class GapBuffer {
  values = new Float64Array(256);
  n = 0;
  push(v: number): void {
    if (this.n === this.values.length) {
      const next = new Float64Array(this.n * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.n++] = v;
  }
}

export interface LlmOutcome {
  ok: boolean;
  /** HTTP status (0: no response). */
  status: number;
  error: LlmError | undefined;
  reading: Reading;
  streamed: boolean;
  /** ms from t0 to the end of the answer (its end marker, or the last byte). */
  duration: number;
  /** ms from t0 to the first content token; NaN when none (or not streamed). */
  ttft: number;
  /** ms from t0 to the first token of any kind (content or reasoning); NaN when none. */
  ttfAny: number;
  /** Token events (SSE events carrying content or reasoning). */
  events: number;
  /** This call's mean gap between token events, ms; NaN with fewer than 2 events. */
  itlMean: number;
  /** (duration − ttfAny) / (outputTokens − 1); NaN with fewer than 2 tokens. */
  tpot: number;
  inputTokens: number;
  outputTokens: number;
  /** Who counted the tokens: the server's usage block, or the tokenizer (gpt-tokenizer, o200k_base). */
  tokenSource: 'usage' | 'tokenizer';
  /** outputTokens / duration in seconds; NaN when the call failed. */
  tokensPerSecond: number;
}

const MAX_ERROR_BODY = 64 * 1024;
/**
 * After the end marker, how long the rest of the response (normally just the chunked terminator,
 * often in the same read) may take before it is cut: the call is already over, the connection is
 * kept for the next call when the response ends in time.
 */
const AFTER_DONE_GRACE_MS = 1000;

class Abort extends Error {
  constructor(readonly kind: LlmErrorKind, message: string) {
    super(message);
  }
}

export interface ExchangeOptions {
  /** performance.now() at the send, or at the intended send (open model): the origin of every time, and of the timeout. */
  t0: number;
  /**
   * 'wire' (volley/llm): times start again when undici writes the request to its connection, so the
   * client's own delay before the write is not in TTFT and duration (undici 7 defers every request on a
   * reused keep-alive connection to the event loop's check phase: at 200 streams on 2 vCPUs that was
   * 0.1 ms at the median, 0.8 ms at p95, 2.1 ms at p99). 't0' (llm-bench, the default): times stay from
   * t0, so a late send counts against the latency (no coordinated omission).
   */
  origin?: 't0' | 'wire';
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  gaps: GapBuffer;
}

/**
 * Sends `call` and reads the answer. `gaps` receives every gap between token events (ms), for the
 * pooled inter-token latency; it is reset first. Rejects never: failures come back as `error`.
 */
export async function exchange(dispatcher: Dispatcher, call: LlmCall, opts: ExchangeOptions): Promise<LlmOutcome> {
  const { t0, gaps } = opts;
  gaps.n = 0;
  const r = new Reading();
  const out: LlmOutcome = {
    ok: false,
    status: 0,
    error: undefined,
    reading: r,
    streamed: false,
    duration: NaN,
    ttft: NaN,
    ttfAny: NaN,
    events: 0,
    itlMean: NaN,
    tpot: NaN,
    inputTokens: 0,
    outputTokens: 0,
    tokenSource: 'usage',
    tokensPerSecond: NaN,
  };
  let url: URL;
  try {
    url = new URL(call.url ?? call.baseUrl.replace(/\/+$/, '') + requestPath(call));
  } catch {
    out.error = { kind: 'network', message: `invalid baseUrl ${JSON.stringify(call.baseUrl)}` };
    return out;
  }
  const h = new CallReader(call, out, gaps, t0, opts.signal, opts.origin === 'wire');
  h.start(dispatcher, url, opts.timeoutMs);
  await h.settled;
  if (out.error === undefined) out.ok = true;
  // Failed calls are not counted in token totals: only a usage block they happened to carry is read.
  if (out.ok) await countOutcome(call, out);
  else if (r.outputTokens >= 0) {
    out.outputTokens = r.outputTokens;
    out.inputTokens = Math.max(0, r.inputTokens);
  }
  if (out.events >= 2) out.itlMean = (h.lastAny - out.ttfAny) / (out.events - 1);
  if (out.ok) {
    if (out.outputTokens >= 2 && !Number.isNaN(out.ttfAny)) out.tpot = (out.duration - out.ttfAny) / (out.outputTokens - 1);
    if (out.duration > 0) out.tokensPerSecond = out.outputTokens / (out.duration / 1000);
  }
  return out;
}

/**
 * One call on the wire: undici's dispatch handler, so each body chunk is handed over in the socket
 * read that parsed it (no stream, no promise, no decoder per chunk), and the SSE parser's handler.
 *
 * Timestamps: `now` is read first thing in `onResponseData`, when the chunk's bytes reach JavaScript
 * and before anything is parsed. Every event completed by that chunk gets that time: events that
 * arrive in one read arrived together (the gap between them is 0), and an event split over reads
 * is complete, so usable, only when its last byte came.
 *
 * The outcome is decided once (`settle`): at the end marker, at a failure, at the timeout or the
 * outer abort. What arrives after is ignored; a response still open then is aborted (after the end
 * marker: given AFTER_DONE_GRACE_MS to finish, so its connection is reused). The timer and the abort
 * listener stay until the response is over, so nothing outlives the call's timeout.
 */
class CallReader implements Dispatcher.DispatchHandler, SseParserHandlers {
  readonly settled: Promise<void>;
  /** ms from t0 of the last token event. */
  lastAny = NaN;
  private resolve!: () => void;
  private isSettled = false;
  /** The response ended or failed: nothing left to abort. */
  private over = false;
  private controller: Dispatcher.DispatchController | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** performance.now() at which the call times out; nothing of it outlives that. */
  private deadline = 0;
  private parser: SseParser | undefined;
  /** Chat token events read without JSON.parse once their shape is known (dialect.ts). */
  private template: TokenTemplate | undefined;
  private whole: Buffer[] | undefined;
  private wholeBytes = 0;
  private ctype = '';
  private abortReason: Error | undefined;
  /** performance.now() when the chunk being parsed reached JavaScript. */
  private now = 0;
  private readonly onOuter = (): void => this.fail('aborted', 'the call was aborted (the VU was stopped, or the benchmark step ended)');

  constructor(
    private readonly call: LlmCall,
    private readonly out: LlmOutcome,
    private readonly gaps: GapBuffer,
    private t0: number,
    private readonly signal: AbortSignal | undefined,
    /** Times from the moment the request is written (ExchangeOptions.origin). */
    private readonly fromWire: boolean,
  ) {
    this.settled = new Promise((resolve) => (this.resolve = resolve));
  }

  start(dispatcher: Dispatcher, url: URL, timeoutMs: number): void {
    if (this.signal?.aborted === true) {
      this.finish(); // nothing was sent: nothing to abort or to wait for
      return this.onOuter();
    }
    this.deadline = this.t0 + timeoutMs;
    this.timer = setTimeout(onTimer, Math.max(0, this.deadline - performance.now()), this, timeoutMs);
    this.signal?.addEventListener('abort', this.onOuter, { once: true });
    try {
      dispatcher.dispatch({ origin: url.origin, path: url.pathname + url.search, method: 'POST', headers: requestHeaders(this.call), body: requestBody(this.call) }, this);
    } catch (e) {
      this.onResponseError(undefined, e as Error);
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Called by undici right before it writes the request (again if it retries it on another connection).
    if (this.fromWire && !this.isSettled) this.t0 = performance.now();
    this.controller = controller;
    if (this.abortReason !== undefined) controller.abort(this.abortReason);
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    if (status < 200 || this.isSettled) return;
    this.out.status = status;
    this.ctype = String(headers['content-type'] ?? '');
    if (status >= 300 || !this.ctype.includes('text/event-stream')) this.whole = [];
    else {
      this.out.streamed = true;
      this.parser = new SseParser(this);
      if (this.call.endpoint === 'chat') this.template = new TokenTemplate();
    }
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.now = performance.now();
    if (this.isSettled) return;
    if (this.parser !== undefined) this.parser.push(chunk);
    else if (this.whole !== undefined && (this.wholeBytes < MAX_ERROR_BODY || this.out.status < 300)) {
      this.whole.push(chunk);
      this.wholeBytes += chunk.length;
    }
  }

  /** One SSE event (the parser's handler). */
  onEventData(type: string, data: string): void {
    if (this.isSettled) return;
    const { call, out } = this;
    const r = out.reading;
    let f = this.template !== undefined ? this.template.read(data, r) : -1;
    if (f < 0) {
      f = readEvent(call.endpoint, type, data, r);
      if (f === CONTENT && this.template !== undefined) this.template.learn(data);
    }
    if (f & MALFORMED) return this.fail('malformed_sse', `the stream sent an event that is not ${call.endpoint === 'messages' ? "Anthropic's" : "OpenAI's"} shape: ${data.slice(0, 200)}`);
    if (f & (CONTENT | REASONING)) {
      const t = this.now - this.t0;
      if (out.events === 0) out.ttfAny = t;
      else this.gaps.push(t - this.lastAny);
      if (f & CONTENT && Number.isNaN(out.ttft)) out.ttft = t;
      this.lastAny = t;
      out.events++;
    }
    if (r.done) {
      out.duration = this.now - this.t0;
      if (r.apiError) return this.fail('api_error', `the server sent an error in the stream: ${r.apiError}`);
      this.settle();
      // The rest of the response (its terminator) normally comes in this same read.
      if (!this.over) queueMicrotask(() => this.graceAfterDone());
    }
  }

  onUnknownField(line: string): void {
    this.fail('malformed_sse', `the stream sent a line that is not Server-Sent Events: ${line}`);
  }

  onMalformed(_kind: string, detail: string): void {
    this.fail('malformed_sse', `the stream is not valid Server-Sent Events: ${detail}`);
  }

  onResponseEnd(): void {
    this.finish();
    if (this.isSettled) return;
    const { call, out } = this;
    const r = out.reading;
    out.duration = performance.now() - this.t0;
    if (this.parser === undefined) {
      try {
        judgeWhole(call, out.status, this.ctype, new TextDecoder().decode(Buffer.concat(this.whole ?? [])), out);
      } catch (e) {
        const a = e as Abort;
        return this.fail(a.kind, a.message);
      }
      return this.settle();
    }
    if (r.apiError) return this.fail('api_error', `the server sent an error in the stream: ${r.apiError}`);
    if (this.parser.midEvent || r.finishReason === '') {
      return this.fail('stream_cut', `the stream ended mid-answer after ${out.events} token events${r.finishReason ? '' : ' (no finish reason)'}`);
    }
    this.fail('no_done', `the stream ended without its end marker (${call.endpoint === 'messages' ? 'message_stop' : 'data: [DONE]'})`);
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, e: Error): void {
    this.finish();
    if (this.isSettled) return;
    if (this.out.status !== 0) this.fail('stream_cut', `the stream was cut: ${e.message}`);
    else this.fail('network', e.message || String(e));
  }

  /** The timer: the call's timeout, or the end of the grace after the end marker. */
  onTimer(timeoutMs: number): void {
    if (!this.isSettled) this.fail('timeout', `no complete answer within the request timeout (${timeoutMs} ms)`);
    else this.abort(new Error('the response went on after its end marker'));
  }

  private graceAfterDone(): void {
    if (this.over) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(onTimer, Math.max(0, Math.min(AFTER_DONE_GRACE_MS, this.deadline - performance.now())), this, 0);
  }

  private fail(kind: LlmErrorKind, message: string): void {
    if (this.isSettled) return;
    this.out.error = { kind, message };
    if (Number.isNaN(this.out.duration)) this.out.duration = performance.now() - this.t0;
    this.settle();
    this.abort(new Abort(kind, message));
  }

  private settle(): void {
    this.isSettled = true;
    this.resolve();
  }

  /** Aborts the response if it is still going (at once, or as soon as it starts). */
  private abort(reason: Error): void {
    if (this.over || this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /** The response is over: the timer and the abort listener go. */
  private finish(): void {
    this.over = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onOuter);
  }
}

function onTimer(h: CallReader, timeoutMs: number): void {
  h.onTimer(timeoutMs);
}

const url = (call: LlmCall): string => `POST ${call.url ?? call.baseUrl.replace(/\/+$/, '') + requestPath(call)}`;

/** A whole-body answer: judged by status and shape. */
function judgeWhole(call: LlmCall, status: number, ctype: string, text: string, out: LlmOutcome): void {
  let json: unknown;
  let isJson = false;
  try {
    json = JSON.parse(text);
    isJson = true;
  } catch {
    /* judged below */
  }
  const excerpt = text.slice(0, 200).replace(/\s+/g, ' ');
  if (status >= 300) {
    const apiError = isJson && readWhole(call.endpoint, json, out.reading) ? out.reading.apiError : '';
    // 404/405 at the endpoint: the base URL is not the API's (…/v1), unless the API says the model is
    // unknown (OpenAI answers 404 model_not_found).
    if ((status === 404 || status === 405) && !/model/i.test(apiError)) {
      throw new Abort('not_openai', `${url(call)} answered ${status} (${apiError || excerpt}): is baseUrl an ${call.endpoint === 'messages' ? 'Anthropic' : 'OpenAI'}-compatible API, ending in /v1?`);
    }
    const kind: LlmErrorKind = status === 429 ? 'http_429' : status >= 500 ? 'http_5xx' : 'http_4xx';
    throw new Abort(kind, `HTTP ${status}: ${apiError || excerpt}`);
  }
  if (!isJson || !readWhole(call.endpoint, json, out.reading)) {
    throw new Abort('not_openai', `the answer (${ctype || 'no content-type'}) is not ${call.stream ? 'an event stream nor ' : ''}a ${call.endpoint === 'messages' ? 'messages' : 'completion'} object: is baseUrl an ${call.endpoint === 'messages' ? 'Anthropic' : 'OpenAI'}-compatible API (…/v1)? ${excerpt}`);
  }
  if (out.reading.apiError) throw new Abort('api_error', `the server answered with an error: ${out.reading.apiError}`);
}

/** Token counts: the server's usage block, else the tokenizer (never guessed from bytes). */
async function countOutcome(call: LlmCall, out: LlmOutcome): Promise<void> {
  const r = out.reading;
  if (r.outputTokens >= 0) {
    out.outputTokens = r.outputTokens;
    out.inputTokens = r.inputTokens >= 0 ? r.inputTokens : await countTokens(promptText(call));
    out.tokenSource = 'usage';
    return;
  }
  out.tokenSource = 'tokenizer';
  out.outputTokens = r.text === '' && r.reasoning === '' ? 0 : await countTokens(r.reasoning + r.text);
  out.inputTokens = r.inputTokens >= 0 ? r.inputTokens : await countTokens(promptText(call));
}
