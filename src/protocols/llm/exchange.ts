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
import { CONTENT, MALFORMED, Reading, REASONING, promptText, readEvent, readWhole, requestBody, requestHeaders, requestPath, type LlmCall } from './dialect.js';
import { SseReader } from './sse.js';
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

class Abort extends Error {
  constructor(readonly kind: LlmErrorKind, message: string) {
    super(message);
  }
}

/**
 * Sends `call` and reads the answer. `gaps` receives every gap between token events (ms), for the
 * pooled inter-token latency; it is reset first. Rejects never: failures come back as `error`.
 */
export async function exchange(dispatcher: Dispatcher, call: LlmCall, opts: { t0: number; timeoutMs: number; signal?: AbortSignal | undefined; gaps: GapBuffer }): Promise<LlmOutcome> {
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
  const ac = new AbortController();
  let why: Abort | undefined;
  const abort = (a: Abort): void => {
    if (why === undefined) why = a;
    ac.abort(a);
  };
  const timer = setTimeout(abort, Math.max(0, opts.timeoutMs - (performance.now() - t0)), new Abort('timeout', `no complete answer within the request timeout (${opts.timeoutMs} ms)`));
  const onOuter = (): void => abort(new Abort('aborted', 'the call was aborted (the VU was stopped, or the benchmark step ended)'));
  opts.signal?.addEventListener('abort', onOuter, { once: true });
  let url: URL;
  try {
    url = new URL(call.url ?? call.baseUrl.replace(/\/+$/, '') + requestPath(call));
  } catch {
    clearTimeout(timer);
    out.error = { kind: 'network', message: `invalid baseUrl ${JSON.stringify(call.baseUrl)}` };
    return out;
  }
  let lastAny = NaN;
  try {
    const res = await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'POST',
      headers: requestHeaders(call),
      body: requestBody(call),
      signal: ac.signal,
    });
    out.status = res.statusCode;
    const ctype = String(res.headers['content-type'] ?? '');
    const decoder = new TextDecoder();
    if (res.statusCode >= 300 || !ctype.includes('text/event-stream')) {
      // A whole body: an answer (not streamed), an API error, or something that is not an LLM API.
      let text = '';
      for await (const chunk of res.body) {
        if (text.length < MAX_ERROR_BODY || res.statusCode < 300) text += decoder.decode(chunk as Buffer, { stream: true });
      }
      text += decoder.decode();
      out.duration = performance.now() - t0;
      judgeWhole(call, res.statusCode, ctype, text, out);
    } else {
      out.streamed = true;
      const sse = new SseReader();
      let now = 0;
      const onEvent = (event: string, data: string): boolean => {
        const f = readEvent(call.endpoint, event, data, r);
        if (f & MALFORMED) throw new Abort('malformed_sse', `the stream sent an event that is not ${call.endpoint === 'messages' ? "Anthropic's" : "OpenAI's"} shape: ${data.slice(0, 200)}`);
        if (f & (CONTENT | REASONING)) {
          const t = now - t0;
          if (out.events === 0) out.ttfAny = t;
          else gaps.push(t - lastAny);
          if (f & CONTENT && Number.isNaN(out.ttft)) out.ttft = t;
          lastAny = t;
          out.events++;
        }
        if (r.done) {
          out.duration = now - t0;
          return false;
        }
        return true;
      };
      for await (const chunk of res.body) {
        now = performance.now();
        const go = sse.push(decoder.decode(chunk as Buffer, { stream: true }), onEvent);
        if (sse.malformed > 0) throw new Abort('malformed_sse', `the stream sent a line that is not Server-Sent Events: ${sse.firstMalformed}`);
        if (!go) break;
      }
      if (!r.done) {
        out.duration = performance.now() - t0;
        if (r.apiError) throw new Abort('api_error', `the server sent an error in the stream: ${r.apiError}`);
        if (sse.unterminated || sse.pending !== '' || r.finishReason === '') {
          throw new Abort('stream_cut', `the stream ended mid-answer after ${out.events} token events${r.finishReason ? '' : ' (no finish reason)'}`);
        }
        throw new Abort('no_done', `the stream ended without its end marker (${call.endpoint === 'messages' ? 'message_stop' : 'data: [DONE]'})`);
      }
      if (r.apiError) throw new Abort('api_error', `the server sent an error in the stream: ${r.apiError}`);
    }
  } catch (e) {
    if (Number.isNaN(out.duration)) out.duration = performance.now() - t0;
    const a = why ?? (e instanceof Abort ? e : undefined);
    if (a !== undefined) out.error = { kind: a.kind, message: a.message };
    else if (out.status !== 0) out.error = { kind: 'stream_cut', message: `the stream was cut: ${(e as Error).message}` };
    else out.error = { kind: 'network', message: (e as Error).message || String(e) };
    if (e instanceof Abort && why === undefined) ac.abort(e);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuter);
  }
  if (out.error === undefined) out.ok = true;
  // Failed calls are not counted in token totals: only a usage block they happened to carry is read.
  if (out.ok) await countOutcome(call, out);
  else if (r.outputTokens >= 0) {
    out.outputTokens = r.outputTokens;
    out.inputTokens = Math.max(0, r.inputTokens);
  }
  if (out.events >= 2) out.itlMean = (lastAny - out.ttfAny) / (out.events - 1);
  if (out.ok) {
    if (out.outputTokens >= 2 && !Number.isNaN(out.ttfAny)) out.tpot = (out.duration - out.ttfAny) / (out.outputTokens - 1);
    if (out.duration > 0) out.tokensPerSecond = out.outputTokens / (out.duration / 1000);
  }
  return out;
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
