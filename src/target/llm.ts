import { performance } from 'node:perf_hooks';
import type { LlmConfig } from './config.js';
import type { TargetResponse, Handler } from './context.js';
import { compileDistribution, type Sampler } from './latency.js';
import { onStreamClose, sendJson, settle } from './respond.js';

/**
 * kinds llm-chat and llm-completions — OpenAI-compatible POST /v1/chat/completions and /v1/completions;
 * llm-messages — Anthropic's POST /v1/messages (events message_start, content_block_start, one
 * content_block_delta per token, content_block_stop, message_delta with usage, message_stop; whole:
 * a message object; stop_reason end_turn or max_tokens; errors in Anthropic's shape).
 *
 * Per response: time to first token (ttft), tokens per second and output length are sampled from the
 * configured distributions; `max_tokens` (or `max_completion_tokens`) sets the length (llm.maxTokens:
 * exact) or caps it (cap). Token i is due at ttft + i / tokensPerSecond after the response starts;
 * each timer tick sends every token that is due, so the pace holds even when timers fire late.
 *
 * Streaming (`"stream": true`): `data: {chunk}\n\n` per token in OpenAI's chunk shape (the first also
 * carries `delta.role`), then a chunk with `finish_reason`, then — with
 * `stream_options.include_usage` — a chunk with empty `choices` and `usage` (all earlier chunks then
 * carry `"usage":null`), then `data: [DONE]\n\n`. Headers go out immediately; the first data arrives at
 * ttft. Without stream: one JSON body after ttft + (n - 1) / tokensPerSecond, with `usage`.
 */

const WORDS = (
  'the of and to in is that for it as with was on be by this are from or at an which but not have has they ' +
  'their one all can more will about time data test load request latency service token stream model user ' +
  'system value result error rate first second answer quickly simply because through each where while'
).split(' ');

/** Token i of a response whose words start at `offset`: a word, with a leading space after the first. */
function token(offset: number, i: number): string {
  const w = WORDS[(offset + i * 7) % WORDS.length]!;
  return i === 0 ? w : (i % 13 === 12 ? '. ' : ' ') + w;
}

interface Request {
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | undefined;
  model: string;
  promptChars: number;
  messages: number;
}

class LlmStream {
  sent = 0;
  constructor(
    /** Tokens to send. */
    readonly n: number,
    /** ms between tokens. */
    readonly intervalMs: number,
    /** performance.now() at which the first token is due (moved on by stalls). */
    public t1: number,
    /** performance.now() when the request arrived. */
    readonly t0: number,
    readonly wordOffset: number,
    /** Chunk JSON before and after the token's JSON string. */
    readonly prefix: string,
    readonly suffix: string,
    readonly first: string,
    readonly tail: string,
  ) {}
  /** performance.now() of the last write that carried tokens (ground truth of the gaps). */
  lastWrite = 0;
}

/** Handler of one llm-chat or llm-completions route. */
export class LlmHandler implements Handler {
  private readonly ttft: Sampler;
  private readonly tps: Sampler;
  private readonly length: Sampler;
  private seq = 0;

  constructor(
    private readonly cfg: LlmConfig,
    /** chat: /v1/chat/completions; completions: /v1/completions; messages: Anthropic /v1/messages. */
    private readonly mode: 'chat' | 'completions' | 'messages',
  ) {
    this.ttft = compileDistribution(cfg.ttft);
    this.tps = compileDistribution(cfg.tokensPerSecond);
    this.length = compileDistribution(cfg.outputTokens);
  }

  private get chat(): boolean {
    return this.mode !== 'completions';
  }

  respond(res: TargetResponse): void {
    const req = this.parse(res);
    if (req === undefined) return;
    const rng = res.route!.rng;
    const sampled = Math.max(1, Math.round(this.length.sample(rng)));
    let n = sampled;
    let finish = 'stop';
    if (req.maxTokens !== undefined) {
      if (this.cfg.maxTokens === 'exact') {
        n = req.maxTokens;
        finish = 'length';
      } else if (req.maxTokens < sampled) {
        n = req.maxTokens;
        finish = 'length';
      }
    }
    const ttftMs = this.ttft.sample(rng);
    const tps = this.tps.sample(rng);
    const intervalMs = tps > 0 ? 1000 / tps : 0;
    const id = `${this.chat ? 'chatcmpl' : 'cmpl'}-${res.requestId}`;
    const created = Math.floor(Date.now() / 1000);
    const wordOffset = this.seq++ % WORDS.length;
    const promptTokens = Math.ceil(req.promptChars / 4) + 3 * req.messages;
    const usage = { prompt_tokens: promptTokens, completion_tokens: n, total_tokens: promptTokens + n };
    res.on('close', onStreamClose);
    if (this.mode === 'messages') {
      this.respondMessages(res, req, n, finish === 'length' ? 'max_tokens' : 'end_turn', ttftMs, intervalMs, wordOffset, promptTokens);
      return;
    }

    if (!req.stream) {
      let text = '';
      for (let i = 0; i < n; i++) text += token(wordOffset, i);
      const choice = this.chat
        ? { index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: finish }
        : { text, index: 0, logprobs: null, finish_reason: finish };
      res.state = {
        id,
        object: this.chat ? 'chat.completion' : 'text_completion',
        created,
        model: req.model,
        choices: [choice],
        usage,
        system_fingerprint: 'fp_volley',
      };
      res.timer = setTimeout(finishWhole, ttftMs + (n - 1) * intervalMs, res);
      return;
    }

    const head = `data: {"id":${JSON.stringify(id)},"object":"${this.chat ? 'chat.completion.chunk' : 'text_completion'}","created":${created},"model":${JSON.stringify(req.model)}${this.chat ? ',"system_fingerprint":"fp_volley"' : ''},"choices":[`;
    const usageNull = req.includeUsage ? ',"usage":null' : '';
    const prefix = this.chat ? `${head}{"index":0,"delta":{"content":` : `${head}{"text":`;
    const suffix = this.chat ? `},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n` : `,"index":0,"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`;
    const first = this.chat ? `${head}{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n` : '';
    let tail = this.chat
      ? `${head}{"index":0,"delta":{},"logprobs":null,"finish_reason":"${finish}"}]${usageNull}}\n\n`
      : `${head}{"text":"","index":0,"logprobs":null,"finish_reason":"${finish}"}]${usageNull}}\n\n`;
    if (req.includeUsage) tail += `${head}],"usage":${JSON.stringify(usage)}}\n\n`;
    tail += 'data: [DONE]\n\n';
    res.route!.stats.trackLlm();
    res.state = new LlmStream(n, intervalMs, performance.now() + ttftMs, res.t0, wordOffset, prefix, suffix, first, tail);
    res.writeHead(200, {
      ...res.route!.headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': res.requestId,
    });
    res.flushHeaders();
    res.timer = setTimeout(streamTick, ttftMs, res);
  }

  /** Anthropic's messages API: the same pacing, Anthropic's event names and shapes. */
  private respondMessages(res: TargetResponse, req: Request, n: number, stop: string, ttftMs: number, intervalMs: number, wordOffset: number, inputTokens: number): void {
    const id = `msg_${res.requestId}`;
    if (!req.stream) {
      let text = '';
      for (let i = 0; i < n; i++) text += token(wordOffset, i);
      res.state = { id, type: 'message', role: 'assistant', model: req.model, content: [{ type: 'text', text }], stop_reason: stop, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: n } };
      res.timer = setTimeout(finishWhole, ttftMs + (n - 1) * intervalMs, res);
      return;
    }
    const ev = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    const first =
      ev('message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: req.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 1 } } }) +
      ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    const prefix = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":';
    const suffix = '}}\n\n';
    const tail =
      ev('content_block_stop', { type: 'content_block_stop', index: 0 }) +
      ev('message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: n } }) +
      ev('message_stop', { type: 'message_stop' });
    res.route!.stats.trackLlm();
    res.state = new LlmStream(n, intervalMs, performance.now() + ttftMs, res.t0, wordOffset, prefix, suffix, first, tail);
    res.writeHead(200, { ...res.route!.headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': res.requestId });
    res.flushHeaders();
    res.timer = setTimeout(streamTick, ttftMs, res);
  }

  /** The request, or undefined after answering 400 in OpenAI's (or Anthropic's) error shape. */
  private parse(res: TargetResponse): Request | undefined {
    const b = res.jsonBody === undefined && !this.cfg.strict ? {} : res.jsonBody;
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return invalid(res, 'expected a JSON object body', null);
    const o = b as Record<string, unknown>;
    let promptChars = 0;
    let messages = 0;
    if (this.chat) {
      const m = o['messages'];
      if (Array.isArray(m)) {
        for (const msg of m) {
          if (this.cfg.strict && (msg === null || typeof msg !== 'object' || typeof (msg as { role?: unknown }).role !== 'string')) {
            return invalid(res, 'each message needs a role and content', 'messages', this.mode);
          }
          const c = (msg as { content?: unknown }).content;
          promptChars += typeof c === 'string' ? c.length : JSON.stringify(c ?? '').length;
          messages++;
        }
      }
      if (this.cfg.strict && (!Array.isArray(m) || m.length === 0)) return invalid(res, "'messages' must be a non-empty array", 'messages', this.mode);
      if (this.mode === 'messages') {
        const sys = o['system'];
        if (sys !== undefined) promptChars += typeof sys === 'string' ? sys.length : JSON.stringify(sys).length;
        if (this.cfg.strict && o['max_tokens'] === undefined) return invalid(res, 'max_tokens: Field required', 'max_tokens', this.mode);
      }
      if (!this.cfg.strict && messages === 0) promptChars = JSON.stringify(o).length;
    } else {
      const p = o['prompt'];
      if (typeof p === 'string') promptChars = p.length;
      else if (Array.isArray(p)) promptChars = JSON.stringify(p).length;
      else if (this.cfg.strict) return invalid(res, "'prompt' must be a string or an array", 'prompt');
      else promptChars = JSON.stringify(o).length;
    }
    const rawMax = o['max_completion_tokens'] ?? o['max_tokens'];
    if (rawMax !== undefined && rawMax !== null && !(Number.isInteger(rawMax) && (rawMax as number) >= 1)) {
      return invalid(res, 'max_tokens must be a whole number of at least 1', 'max_tokens', this.mode);
    }
    const s = o['stream'];
    if (s !== undefined && s !== null && typeof s !== 'boolean') return invalid(res, "'stream' must be a boolean", 'stream', this.mode);
    const stream = s === true || (!this.cfg.strict && (res.queryParam('stream') === 'true' || res.header('accept').includes('text/event-stream')));
    const so = o['stream_options'] as { include_usage?: unknown } | null | undefined;
    if (this.mode === 'messages' && this.cfg.strict && typeof o['model'] !== 'string') return invalid(res, 'model: Field required', 'model', this.mode);
    return {
      stream,
      includeUsage: stream && so !== null && typeof so === 'object' && so.include_usage === true,
      maxTokens: rawMax === undefined || rawMax === null ? undefined : (rawMax as number),
      model: typeof o['model'] === 'string' && o['model'] !== '' ? o['model'] : this.cfg.model,
      promptChars,
      messages,
    };
  }
}

function invalid(res: TargetResponse, message: string, param: string | null, mode: 'chat' | 'completions' | 'messages' = 'chat'): undefined {
  if (mode === 'messages') sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message } });
  else sendJson(res, 400, { error: { message, type: 'invalid_request_error', param, code: null } });
  return undefined;
}

function finishWhole(res: TargetResponse): void {
  res.timer = null;
  if (res.settled) return;
  const left = res.svc!.stallLeft();
  if (left > 0) {
    res.timer = setTimeout(finishWhole, left + 1, res);
    return;
  }
  sendJson(res, 200, res.state);
}

function streamTick(res: TargetResponse): void {
  res.timer = null;
  if (res.settled) return;
  const s = res.state as LlmStream;
  const left = res.svc!.stallLeft();
  if (left > 0) {
    // Frozen: generation resumes after the stall at the same pace.
    s.t1 += left;
    res.timer = setTimeout(streamTick, left + 1, res);
    return;
  }
  const now = performance.now();
  let due = now < s.t1 ? 0 : s.intervalMs > 0 ? Math.floor((now - s.t1) / s.intervalMs) + 1 : s.n;
  if (due <= s.sent) {
    // The timer fired a hair early (Node timers count whole ms from a cached clock): wait for it.
    res.timer = setTimeout(streamTick, s.t1 + s.sent * s.intervalMs - now, res);
    return;
  }
  if (due > s.n) due = s.n;
  // Ground truth (route stats): when tokens were actually written, timers' lateness included.
  const stats = res.route!.stats;
  if (s.sent === 0) stats.recordLlmTtft(now - s.t0);
  else stats.recordLlmGap(now - s.lastWrite, 0);
  if (due - s.sent > 1) stats.recordLlmGap(0, due - s.sent - 2);
  s.lastWrite = now;
  let out = s.sent === 0 ? s.first : '';
  for (; s.sent < due; s.sent++) out += s.prefix + JSON.stringify(token(s.wordOffset, s.sent)) + s.suffix;
  if (s.sent >= s.n) {
    res.end(out + s.tail);
    settle(res, 200);
    return;
  }
  res.write(out);
  const next = s.t1 + s.sent * s.intervalMs - performance.now();
  res.timer = setTimeout(streamTick, next > 0 ? next : 0, res);
}
