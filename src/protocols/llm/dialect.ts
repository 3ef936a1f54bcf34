/**
 * The two wire dialects: OpenAI-compatible (chat completions and completions: OpenAI, vLLM, SGLang,
 * llama.cpp, Ollama, TGI…) and Anthropic's messages API. Each builds the request and reads a
 * streamed event or a whole JSON answer into a `Reading`. Pure: no I/O.
 */

export type Dialect = 'openai' | 'anthropic';
export type Endpoint = 'chat' | 'completions' | 'messages';

export interface ChatMessage {
  role: string;
  content: unknown;
}

/** What a request asks for, already validated (module.ts). */
export interface LlmCall {
  endpoint: Endpoint;
  baseUrl: string;
  /** The whole endpoint URL, when it is not baseUrl + the dialect's path (a product route that speaks the API). */
  url?: string | undefined;
  model: string;
  messages?: readonly ChatMessage[] | undefined;
  prompt?: string | undefined;
  system?: string | undefined;
  maxTokens?: number | undefined;
  stream: boolean;
  apiKey?: string | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  /** Extra body fields, merged last (temperature, top_p, ignore_eos…). */
  body?: Readonly<Record<string, unknown>> | undefined;
}

/** What has been read from the answer so far. */
export class Reading {
  text = '';
  reasoning = '';
  finishReason = '';
  /** From the server's usage block; -1 = not given. */
  inputTokens = -1;
  outputTokens = -1;
  /** The stream's end marker came (`[DONE]`, or Anthropic's `message_stop`). */
  done = false;
  /** An error object the server sent in the stream or body. */
  apiError = '';
}

/** Event flags returned by `readEvent`. */
export const CONTENT = 1;
export const REASONING = 2;
/** The event's data was not JSON of the dialect's shape. */
export const MALFORMED = 4;

export function requestPath(call: LlmCall): string {
  if (call.url !== undefined) return new URL(call.url).pathname;
  return call.endpoint === 'chat' ? '/chat/completions' : call.endpoint === 'completions' ? '/completions' : '/messages';
}

export function requestHeaders(call: LlmCall): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept: call.stream ? 'text/event-stream' : 'application/json' };
  if (call.endpoint === 'messages') {
    h['anthropic-version'] = '2023-06-01';
    if (call.apiKey) h['x-api-key'] = call.apiKey;
  } else if (call.apiKey) {
    h['authorization'] = `Bearer ${call.apiKey}`;
  }
  if (call.headers) for (const k in call.headers) h[k.toLowerCase()] = call.headers[k]!;
  return h;
}

export function requestBody(call: LlmCall): string {
  const b: Record<string, unknown> = {};
  if (call.model !== '') b['model'] = call.model;
  if (call.endpoint === 'completions') b['prompt'] = call.prompt ?? '';
  else {
    if (call.endpoint === 'messages' && call.system !== undefined) b['system'] = call.system;
    b['messages'] = call.messages ?? [];
  }
  // Anthropic requires max_tokens; OpenAI's chat takes max_completion_tokens, but max_tokens is what every compatible server reads.
  if (call.maxTokens !== undefined) b['max_tokens'] = call.maxTokens;
  else if (call.endpoint === 'messages') b['max_tokens'] = 1024;
  if (call.stream) {
    b['stream'] = true;
    if (call.endpoint !== 'messages') b['stream_options'] = { include_usage: true };
  }
  if (call.body) Object.assign(b, call.body);
  return JSON.stringify(b);
}

/** The prompt's text, for the tokenizer when the server gives no usage. */
export function promptText(call: LlmCall): string {
  if (call.endpoint === 'completions') return call.prompt ?? '';
  let s = call.system ?? '';
  for (const m of call.messages ?? []) s += (s ? '\n' : '') + (typeof m.content === 'string' ? m.content : JSON.stringify(m.content));
  return s;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function errorText(e: unknown): string {
  if (isObj(e)) return String(e['message'] ?? JSON.stringify(e));
  return String(e);
}

/** Reads one streamed event into `r`; returns CONTENT / REASONING / MALFORMED flags (0: nothing visible). */
export function readEvent(endpoint: Endpoint, event: string, data: string, r: Reading): number {
  if (endpoint !== 'messages' && data === '[DONE]') {
    r.done = true;
    return 0;
  }
  // The general path: JSON.parse of the whole event (1.1 µs for a 230-byte chunk). A scan for
  // "content" alone would be right only for the servers one has seen (escapes, \u sequences, key
  // order, nested strings holding `"content":`); the token chunks that repeat a known shape take
  // TokenTemplate's proven fast path instead (0.1 µs).
  let o: unknown;
  try {
    o = JSON.parse(data);
  } catch {
    return MALFORMED;
  }
  if (!isObj(o)) return MALFORMED;
  if (o['error'] !== undefined && o['error'] !== null) {
    r.apiError = errorText(o['error']);
    return 0;
  }
  // An event without an `event:` line is of type 'message' (SSE); Anthropic's name their type.
  return endpoint === 'messages' ? readAnthropicEvent(event !== '' && event !== 'message' ? event : String(o['type'] ?? ''), o, r) : readOpenAiChunk(endpoint, o, r);
}

/**
 * The fast path of a streamed chat answer's token events, exact by construction (no guess at the
 * JSON): a server sends every token in the same chunk but for its text, so once one chunk has been
 * read, the next that is byte for byte `prefix + "text" + suffix`, with a plain string (no escape,
 * quote or control character) in the slot, is that same object with another content, read without
 * JSON.parse. The slot is learnt from a JSON.parse'd chunk that carries content only (no reasoning,
 * finish_reason, usage or error: its only effect is the text), and proven to be the content by
 * parsing the chunk with two different markers in it (both must come back as the content). Any
 * other chunk (escapes, a varying field such as OpenAI's `obfuscation`) takes the JSON.parse path.
 * Measured on the target's 230-byte chunk (bench/micro/llm-chunk.mjs, AMD EPYC, Node 20): `read`
 * 0.11 µs, readEvent with JSON.parse 1.07 µs, of 11-18 µs of client CPU per streamed token at 200
 * streams (bench/RESULTS.md).
 */
export class TokenTemplate {
  private prefix = '';
  private suffix = '';
  private tries = 0;

  /** CONTENT or 0 when `data` fits the template (`r` updated as readEvent would); -1 when it does not. */
  read(data: string, r: Reading): number {
    const p = this.prefix.length;
    if (p === 0) return -1;
    const end = data.length - this.suffix.length;
    // Slices compared with === (one small sliced string each): 4× faster here than startsWith/endsWith
    // with a search string that is not a constant (bench/micro/llm-chunk.mjs).
    if (end < p + 2 || data.charCodeAt(p) !== 34 || data.charCodeAt(end - 1) !== 34 || data.slice(0, p) !== this.prefix || data.slice(end) !== this.suffix) return -1;
    for (let i = p + 1; i < end - 1; i++) {
      const c = data.charCodeAt(i);
      if (c === 34 || c === 92 || c < 32) return -1;
    }
    if (end - 1 === p + 1) return 0;
    r.text += data.slice(p + 1, end - 1);
    return CONTENT;
  }

  /** Learns the template from `data`, a chunk readEvent found carrying content only (twice per stream at most). */
  learn(data: string): void {
    if (this.prefix !== '' || this.tries++ >= 2) return;
    const content = contentOnly(data);
    if (content === undefined) return;
    const q = JSON.stringify(content);
    const at = data.indexOf(q);
    if (at < 0 || data.indexOf(q, at + 1) >= 0) return;
    const prefix = data.slice(0, at);
    const suffix = data.slice(at + q.length);
    if (prefix === '' || contentOnly(`${prefix}"\\u0001a"${suffix}`) !== '\u0001a' || contentOnly(`${prefix}"\\u0002b"${suffix}`) !== '\u0002b') return;
    this.prefix = prefix;
    this.suffix = suffix;
  }
}

/** The content of a chat chunk whose only effect is its (non-empty) content; undefined otherwise. */
function contentOnly(data: string): string | undefined {
  let o: unknown;
  try {
    o = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObj(o) || (o['error'] !== undefined && o['error'] !== null) || isObj(o['usage'])) return undefined;
  const choices = o['choices'];
  if (!Array.isArray(choices)) return undefined;
  const c = choices[0];
  if (!isObj(c) || typeof c['finish_reason'] === 'string') return undefined;
  const d = c['delta'];
  if (!isObj(d) || typeof (d['reasoning_content'] ?? d['reasoning']) === 'string') return undefined;
  const content = d['content'];
  return typeof content === 'string' && content !== '' ? content : undefined;
}

function readOpenAiChunk(endpoint: Endpoint, o: Obj, r: Reading): number {
  const choices = o['choices'];
  if (!Array.isArray(choices)) return MALFORMED;
  readOpenAiUsage(o['usage'], r);
  let flags = 0;
  const c = choices[0];
  if (isObj(c)) {
    if (endpoint === 'chat') {
      const d = c['delta'];
      if (isObj(d)) {
        const content = d['content'];
        if (typeof content === 'string' && content !== '') {
          r.text += content;
          flags |= CONTENT;
        }
        // vLLM / DeepSeek: reasoning_content; OpenRouter, Ollama: reasoning.
        const reasoning = d['reasoning_content'] ?? d['reasoning'];
        if (typeof reasoning === 'string' && reasoning !== '') {
          r.reasoning += reasoning;
          flags |= REASONING;
        }
      }
    } else if (typeof c['text'] === 'string' && c['text'] !== '') {
      r.text += c['text'];
      flags |= CONTENT;
    }
    if (typeof c['finish_reason'] === 'string') r.finishReason = c['finish_reason'];
  }
  return flags;
}

function readOpenAiUsage(u: unknown, r: Reading): void {
  if (!isObj(u)) return;
  if (typeof u['prompt_tokens'] === 'number') r.inputTokens = u['prompt_tokens'];
  if (typeof u['completion_tokens'] === 'number') r.outputTokens = u['completion_tokens'];
}

function readAnthropicEvent(type: string, o: Obj, r: Reading): number {
  switch (type) {
    case 'message_start': {
      const m = o['message'];
      if (isObj(m)) readAnthropicUsage(m['usage'], r);
      return 0;
    }
    case 'content_block_delta': {
      const d = o['delta'];
      if (!isObj(d)) return MALFORMED;
      if (d['type'] === 'text_delta' && typeof d['text'] === 'string' && d['text'] !== '') {
        r.text += d['text'];
        return CONTENT;
      }
      if (d['type'] === 'thinking_delta' && typeof d['thinking'] === 'string' && d['thinking'] !== '') {
        r.reasoning += d['thinking'];
        return REASONING;
      }
      return 0;
    }
    case 'message_delta': {
      const d = o['delta'];
      if (isObj(d) && typeof d['stop_reason'] === 'string') r.finishReason = d['stop_reason'];
      readAnthropicUsage(o['usage'], r);
      return 0;
    }
    case 'message_stop':
      r.done = true;
      return 0;
    case 'content_block_start':
    case 'content_block_stop':
    case 'ping':
      return 0;
    default:
      return MALFORMED;
  }
}

function readAnthropicUsage(u: unknown, r: Reading): void {
  if (!isObj(u)) return;
  if (typeof u['input_tokens'] === 'number') r.inputTokens = u['input_tokens'];
  if (typeof u['output_tokens'] === 'number') r.outputTokens = u['output_tokens'];
}

/** Reads a whole (non-streamed) JSON answer into `r`; false if it is not the dialect's shape. */
export function readWhole(endpoint: Endpoint, o: unknown, r: Reading): boolean {
  if (!isObj(o)) return false;
  if (o['error'] !== undefined && o['error'] !== null) {
    r.apiError = errorText(o['error']);
    return true;
  }
  r.done = true;
  if (endpoint === 'messages') {
    const content = o['content'];
    if (!Array.isArray(content)) return false;
    for (const b of content) {
      if (!isObj(b)) continue;
      if (b['type'] === 'text' && typeof b['text'] === 'string') r.text += b['text'];
      else if (b['type'] === 'thinking' && typeof b['thinking'] === 'string') r.reasoning += b['thinking'];
    }
    if (typeof o['stop_reason'] === 'string') r.finishReason = o['stop_reason'];
    readAnthropicUsage(o['usage'], r);
    return true;
  }
  const choices = o['choices'];
  if (!Array.isArray(choices)) return false;
  const c = choices[0];
  if (isObj(c)) {
    if (endpoint === 'chat') {
      const m = c['message'];
      if (isObj(m)) {
        if (typeof m['content'] === 'string') r.text = m['content'];
        const reasoning = m['reasoning_content'] ?? m['reasoning'];
        if (typeof reasoning === 'string') r.reasoning = reasoning;
      }
    } else if (typeof c['text'] === 'string') r.text = c['text'];
    if (typeof c['finish_reason'] === 'string') r.finishReason = c['finish_reason'];
  }
  readOpenAiUsage(o['usage'], r);
  return true;
}
