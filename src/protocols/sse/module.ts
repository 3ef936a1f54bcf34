/**
 * `volley/sse`: Server-Sent Events, xk6-sse's shape with promises.
 *
 *   import sse from 'volley/sse';
 *   const r = await sse.open(url, { method: 'POST', body: { stream: true }, reconnect: 2 }, (client) => {
 *     client.on('event', (e) => { if (e.data === '[DONE]') client.close(); });
 *   });
 *
 * Metrics: sse_time_to_first_event, sse_time_between_events, sse_events, sse_stream_duration,
 * sse_streams, sse_failed (docs/streams.md). The parser is `SseParser` (pure, reusable).
 */
import { currentVu } from '../../vu/context.js';
import { openStream, SseClient, type SseParams, type SseResult } from './client.js';

export type { SseParams, SseResult, SseClientEvent, SseError, SseErrorKind } from './client.js';
export { SseParser, type SseEvent, type SseParserHandlers, type SseParserOptions, type SseMalformedKind } from './parser.js';
export { SseClient };

/** Opens an event stream; settles when it is over (see SseParams). */
export function open(url: string, params?: SseParams | null, setup?: (client: SseClient) => void): Promise<SseResult> {
  const vu = currentVu('sse.open()');
  return openStream(vu, url, params ?? undefined, setup);
}

const sse = { open };
export default sse;
