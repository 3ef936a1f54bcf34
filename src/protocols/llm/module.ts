/**
 * `volley/llm`: OpenAI-compatible chat completions and completions, and Anthropic's messages API,
 * streamed or not, with token-level metrics (docs/llm.md).
 *
 *   const r = await llm.chat({ baseUrl: __ENV.LLM_URL, model: 'm', messages: [{ role: 'user', content: 'Hi' }],
 *                              maxTokens: 256, tags: { route: '/api/assistant/query' } });
 *   check(r, { finished: (x) => x.finishReason === 'stop' });
 *
 * A call never throws for what the server does: a failure is `ok: false` with `errorKind`, counted
 * in `llm_req_failed{error_kind:…}`. Bad arguments (no baseUrl, no messages) throw (exit 107).
 */
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { ExitCode, VolleyError } from '../../errors/index.js';
import { currentVu, type VuContext, type VuResource } from '../../vu/context.js';
import { parseDurationMs } from '../../util/duration.js';
import { requestPath, type ChatMessage, type Endpoint, type LlmCall } from './dialect.js';
import { exchange, GapBuffer, type LlmErrorKind, type LlmOutcome } from './exchange.js';
import { LLM_CALL, LLM_GAP, LLM_IN_FLIGHT, S_DURATION, S_FAILED, S_INPUT, S_ITL_MEAN, S_OUTPUT, S_REQS, S_TOKENIZER, S_TPOT, S_TPS, S_TTFT, S_TTF_ANY } from './metrics.js';
import { LevelCounter } from '../../metrics/levels.js';

export interface LlmParams {
  /** The API's base URL, up to and including /v1 (e.g. http://127.0.0.1:8000/v1). */
  baseUrl?: string;
  /** Or the whole endpoint URL, for a route of your product that speaks the API (e.g. …/api/assistant/query). */
  url?: string;
  model?: string;
  /** chat / messages: the conversation. */
  messages?: ChatMessage[];
  /** complete: the prompt. */
  prompt?: string;
  /** messages: the system prompt. */
  system?: string;
  maxTokens?: number;
  /** Default true. */
  stream?: boolean;
  /** 'openai' (default) or 'anthropic' (chat() then calls the messages API). */
  dialect?: 'openai' | 'anthropic';
  /** Sent as `Authorization: Bearer` (OpenAI) or `x-api-key` (Anthropic). */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Extra body fields (temperature, top_p, ignore_eos…), merged last. */
  body?: Record<string, unknown>;
  /** Whole-call timeout: ms or a duration string. Default 120s. */
  timeout?: number | string;
  /** Tags on every metric of the call; `name` defaults to the endpoint path (/chat/completions). */
  tags?: Record<string, string>;
}

export interface LlmResponse {
  ok: boolean;
  /** HTTP status; 0 when no response came. */
  status: number;
  text: string;
  /** Reasoning text (reasoning_content / thinking deltas), '' when none. */
  reasoning: string;
  /** stop, length, end_turn… ('' when none came). */
  finishReason: string;
  usage: { inputTokens: number; outputTokens: number; source: 'usage' | 'tokenizer' };
  streamed: boolean;
  /** ms, send → end of the answer. */
  duration: number;
  /** ms, send → first content token (undefined: none, or not streamed). */
  ttft: number | undefined;
  /** ms, send → first token of any kind (reasoning included). */
  ttftAny: number | undefined;
  /** ms, this call's mean gap between token events. */
  itlMean: number | undefined;
  /** ms, (duration − ttftAny) / (outputTokens − 1). */
  tpot: number | undefined;
  tokensPerSecond: number | undefined;
  /** SSE events that carried tokens. */
  tokenEvents: number;
  error: string | undefined;
  errorKind: LlmErrorKind | undefined;
}

const kLlm = Symbol('volley.llm');
const DEFAULT_TIMEOUT_MS = 120_000;

/** A VU's LLM state: its connections, and an abort for a hard stop. */
class LlmVuState implements VuResource {
  readonly agent = new Agent({ keepAliveTimeout: 60_000, headersTimeout: 0, bodyTimeout: 0 });
  readonly gaps = new GapBuffer();
  /** `gaps` belongs to a call in progress: a call made meanwhile (Promise.all) gets its own buffer. */
  gapsBusy = false;
  readonly values = new Float64Array(LLM_CALL.metrics.length);
  readonly gapValue = new Float64Array(1);
  ac = new AbortController();

  constructor(vu: VuContext) {
    const hooked = vu as { interruptHooks?: boolean };
    if (hooked.interruptHooks !== true) vu.signal.addEventListener('abort', () => this.onInterrupt(), { once: true });
  }

  onInterrupt(): void {
    this.ac.abort();
    this.ac = new AbortController();
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function state(vu: VuContext): LlmVuState {
  let st = vu.slots.get(kLlm) as LlmVuState | undefined;
  if (st === undefined) {
    st = new LlmVuState(vu);
    vu.slots.set(kLlm, st);
  }
  return st;
}

function bad(what: string, message: string): never {
  throw new VolleyError('E_LLM_PARAMS', `${what}: ${message}`, { hint: 'see docs/llm.md for the parameters', exitCode: ExitCode.ScriptException });
}

/** Checks the user's params and builds the call. */
export function toCall(what: string, endpoint: Endpoint, p: LlmParams): LlmCall {
  if (p === null || typeof p !== 'object') bad(what, 'expected a params object');
  if (p.url !== undefined) {
    if (typeof p.url !== 'string' || !/^https?:\/\/[^/]/.test(p.url)) bad(what, `url must be an http(s) URL, got ${JSON.stringify(p.url)}`);
  } else if (typeof p.baseUrl !== 'string' || !/^https?:\/\//.test(p.baseUrl)) bad(what, `baseUrl must be an http(s) URL up to /v1, got ${JSON.stringify(p.baseUrl)}`);
  if (endpoint === 'completions') {
    if (typeof p.prompt !== 'string') bad(what, 'prompt must be a string');
  } else if (!Array.isArray(p.messages) || p.messages.length === 0) bad(what, 'messages must be a non-empty array of { role, content }');
  if (p.maxTokens !== undefined && !(Number.isInteger(p.maxTokens) && p.maxTokens >= 1)) bad(what, `maxTokens must be a whole number ≥ 1, got ${JSON.stringify(p.maxTokens)}`);
  return {
    endpoint,
    baseUrl: p.baseUrl ?? '',
    url: p.url,
    model: p.model ?? '',
    messages: p.messages,
    prompt: p.prompt,
    system: p.system,
    maxTokens: p.maxTokens,
    stream: p.stream !== false,
    apiKey: p.apiKey,
    headers: p.headers,
    body: p.body,
  };
}

export function timeoutOf(what: string, t: number | string | undefined): number {
  if (t === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = parseDurationMs(t);
  if (ms === undefined || ms <= 0) bad(what, `timeout must be a duration such as "60s" or ms, got ${JSON.stringify(t)}`);
  return ms;
}

const num = (v: number): number | undefined => (Number.isNaN(v) ? undefined : v);

/** This worker's calls in flight (`llm_in_flight`), recorded at each call's start and end. */
const inFlight = new LevelCounter(LLM_IN_FLIGHT);

async function call(what: string, endpoint: Endpoint, p: LlmParams): Promise<LlmResponse> {
  const vu = currentVu(what);
  const c = toCall(what, endpoint, p);
  const timeoutMs = timeoutOf(what, p.timeout);
  const st = state(vu);
  inFlight.change(vu.recorder, 1);
  const gaps = st.gapsBusy ? new GapBuffer() : st.gaps;
  st.gapsBusy = true;
  let o: LlmOutcome;
  try {
    o = await exchange(st.agent, c, { t0: performance.now(), origin: 'wire', timeoutMs, signal: st.ac.signal, gaps });
  } finally {
    inFlight.change(vu.recorder, -1);
  }
  record(vu, st, c, p.tags, o, gaps);
  if (gaps === st.gaps) st.gapsBusy = false;
  return {
    ok: o.ok,
    status: o.status,
    text: o.reading.text,
    reasoning: o.reading.reasoning,
    finishReason: o.reading.finishReason,
    usage: { inputTokens: o.inputTokens, outputTokens: o.outputTokens, source: o.tokenSource },
    streamed: o.streamed,
    duration: o.duration,
    ttft: num(o.ttft),
    ttftAny: num(o.ttfAny),
    itlMean: num(o.itlMean),
    tpot: num(o.tpot),
    tokensPerSecond: num(o.tokensPerSecond),
    tokenEvents: o.events,
    error: o.error?.message,
    errorKind: o.error?.kind,
  };
}

function record(vu: VuContext, st: LlmVuState, c: LlmCall, userTags: Record<string, string> | undefined, o: LlmOutcome, gaps: GapBuffer): void {
  const sets = vu.recorder.tagSets;
  let tags = userTags ? sets.with(vu.tags, userTags) : vu.tags;
  if (userTags?.name === undefined) tags = sets.with1(tags, 'name', requestPath(c));
  if (c.model !== '') tags = sets.with1(tags, 'model', c.model);
  if (o.error !== undefined) tags = sets.with1(tags, 'error_kind', o.error.kind);
  const v = st.values;
  v[S_REQS] = 1;
  v[S_FAILED] = o.ok ? 0 : 1;
  v[S_DURATION] = o.duration;
  // Latency and token figures of failed calls would flatter or skew the distributions: only successes count.
  v[S_TTFT] = o.ok ? o.ttft : NaN;
  v[S_TTF_ANY] = o.ok ? o.ttfAny : NaN;
  v[S_ITL_MEAN] = o.ok ? o.itlMean : NaN;
  v[S_TPOT] = o.tpot;
  v[S_TPS] = o.tokensPerSecond;
  v[S_INPUT] = o.ok ? o.inputTokens : NaN;
  v[S_OUTPUT] = o.ok ? o.outputTokens : NaN;
  v[S_TOKENIZER] = o.ok ? (o.tokenSource === 'tokenizer' ? 1 : 0) : NaN;
  vu.recorder.record(LLM_CALL, tags, v);
  if (!o.ok) return;
  const g = st.gapValue;
  for (let i = 0; i < gaps.n; i++) {
    g[0] = gaps.values[i]!;
    vu.recorder.record(LLM_GAP, tags, g);
  }
}

/** OpenAI chat completions (`dialect: 'anthropic'`: the messages API). */
export function chat(p: LlmParams): Promise<LlmResponse> {
  return call('llm.chat()', p?.dialect === 'anthropic' ? 'messages' : 'chat', p);
}

/** OpenAI (legacy) completions: `prompt` in, `choices[0].text` out. */
export function complete(p: LlmParams): Promise<LlmResponse> {
  return call('llm.complete()', 'completions', p);
}

/** Anthropic's messages API. */
export function messages(p: LlmParams): Promise<LlmResponse> {
  return call('llm.messages()', 'messages', p);
}

export default { chat, complete, messages };
