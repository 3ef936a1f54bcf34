/**
 * `volley/sse`: Server-Sent Events (EventSource with POST bodies, custom headers, reconnect).
 *
 *   import sse from 'volley/sse';
 *   await sse.open(`${BASE}/api/stream`, { duration: '10s' }, (c) => c.on('event', (e) => console.log(e.data)));
 *
 * See docs/streams.md.
 */
export { default } from '../protocols/sse/module.js';
export * from '../protocols/sse/module.js';
