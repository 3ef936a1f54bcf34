/**
 * The target's WebSocket endpoint: `GET /ws/echo` upgrades to a WebSocket that sends every message
 * back as it came (text as text, binary as binary), after `?delay=<ms>` when given (ground truth
 * for round-trip times), and answers pings (the `ws` package does). Any other upgrade is refused
 * with 404. Sockets close with the target.
 */
import type { IncomingMessage } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export const WS_ECHO_PATH = '/ws/echo';

/** Adds the echo endpoint to `server`; returns a closer that drops every socket. */
export function attachWebSocketEcho(server: EventEmitter): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://target');
    if (url.pathname !== WS_ECHO_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      return;
    }
    const delay = Number(url.searchParams.get('delay') ?? 0);
    const delayMs = Number.isFinite(delay) && delay > 0 ? Math.min(delay, 60_000) : 0;
    wss.handleUpgrade(req, socket, head, (ws) => echo(ws, delayMs));
  };
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    for (const c of wss.clients) c.terminate();
    wss.close();
  };
}

function echo(ws: WebSocket, delayMs: number): void {
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    if (delayMs === 0) ws.send(data, { binary: isBinary });
    else setTimeout(() => ws.readyState === ws.OPEN && ws.send(data, { binary: isBinary }), delayMs);
  });
}
