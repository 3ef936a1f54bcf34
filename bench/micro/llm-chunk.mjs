// One streamed chat token event on the client (volley/llm): readEvent (JSON.parse) against the
// TokenTemplate fast path, and SseParser + readEvent per event as the stream reads them. Build first.
//   node bench/micro/llm-chunk.mjs
import { bench } from './bench-util.mjs';
import { Reading, readEvent, TokenTemplate } from '../../dist/src/protocols/llm/dialect.js';
import { SseParser } from '../../dist/src/protocols/sse/parser.js';

// The chunk volley target sends (OpenAI's shape, with stream_options.include_usage), 230 bytes.
const data = (t) => `{"id":"chatcmpl-42","object":"chat.completion.chunk","created":1733364000,"model":"m","system_fingerprint":"fp_volley","choices":[{"index":0,"delta":{"content":${JSON.stringify(t)}},"logprobs":null,"finish_reason":null}],"usage":null}`;
const words = [' the', ' latency', ' token', ' stream', ' model'].map(data);
let r = new Reading();
const fresh = (i) => {
  if ((i & 63) === 0) r = new Reading();
};
bench('readEvent (JSON.parse)', 1e6, (i) => {
  fresh(i);
  readEvent('chat', 'message', words[i % 5], r);
});
const tpl = new TokenTemplate();
tpl.learn(words[0]);
bench('TokenTemplate.read', 1e6, (i) => {
  fresh(i);
  if (tpl.read(words[i % 5], r) < 0) throw new Error('no fit');
});
const bytes = words.map((w) => Buffer.from(`data: ${w}\n\n`));
const p = new SseParser({ onEventData: () => undefined });
bench('SseParser.push, one event per chunk', 1e6, (i) => p.push(bytes[i % 5]));
