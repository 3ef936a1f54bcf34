/**
 * `volley/ws`: WebSockets — k6/ws's `ws.connect(url, params, handler)` and k6/websockets'
 * `WebSocket`, k6's metric names, and `request()` round trips. See docs/streams.md.
 */
export { default } from '../protocols/ws/module.js';
export * from '../protocols/ws/module.js';
