/**
 * `volley/ws`: WebSockets with k6's two APIs and metric names (ws_connecting, ws_session_duration,
 * ws_sessions, ws_msgs_sent, ws_msgs_received, ws_ping), plus ws_round_trip for `request()`.
 *
 *   import ws from 'volley/ws';
 *   const res = await ws.connect(`${WS}/ws/echo`, {}, (socket) => {
 *     socket.on('open', async () => { await socket.request('hi'); socket.close(); });
 *   });
 *
 *   import { WebSocket } from 'volley/ws';
 *   const s = new WebSocket(`${WS}/ws/echo`); s.onopen = () => s.close(); await s.closed;
 */
import { currentVu } from '../../vu/context.js';
import { connect as connectSocket, Socket, type WsResponse } from './socket.js';
import type { WsParams } from './session.js';
import { WebSocket } from './websocket.js';

export type { WsParams, RequestOptions } from './session.js';
export type { WsResponse } from './socket.js';
export { Socket, WebSocket };

/** k6/ws `connect`: settles when the socket closes. */
export function connect(url: string, params?: WsParams | null | ((socket: Socket) => void), handler?: (socket: Socket) => void): Promise<WsResponse> {
  const vu = currentVu('ws.connect()');
  // k6 allows ws.connect(url, handler).
  if (typeof params === 'function') return connectSocket(vu, url, undefined, params);
  return connectSocket(vu, url, params ?? undefined, handler);
}

const ws = { connect, WebSocket };
export default ws;
