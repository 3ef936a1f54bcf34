import { connect, type Socket } from 'node:net';
import { InnerSocket } from './inner-socket.js';
import { Link } from './link.js';
import type { Toxic } from './toxics.js';

/** A proxied connection: its two links, and how to end it. */
export interface Connection {
  sync(toxics: readonly Toxic[]): void;
  /** Closes both sides (FIN), or resets them (RST). */
  kill(reset: boolean): void;
}

export interface ConnectionHooks {
  /** A toxic was drawn active on a link (counts `faults_injected`). */
  onDraw(t: Toxic): void;
  onClose(c: Connection): void;
  random: () => number;
}

/** Silences the errors of a socket that is going away anyway (the proxy never crashes on a vanished peer). */
function ignoreErrors(s: Socket | InnerSocket): void {
  s.on('error', () => {});
}

/**
 * Client ↔ upstream at the TCP level: bytes pass through the two links; either side's error ends
 * both (a reset is passed on as a reset).
 */
export function tcpConnection(client: Socket, upstream: { host: string; port: number }, toxics: readonly Toxic[], hooks: ConnectionHooks): Connection {
  const server = connect({ host: upstream.host, port: upstream.port, allowHalfOpen: true, noDelay: true });
  client.setNoDelay(true);
  let closed = false;
  const conn: Connection = {
    sync: (t) => {
      up.sync(t);
      down.sync(t);
    },
    kill: (reset) => {
      if (closed) return;
      closed = true;
      up.close();
      down.close();
      for (const s of [client, server]) {
        if (s.destroyed) continue;
        if (reset && s.readyState === 'open') s.resetAndDestroy();
        else s.destroy();
      }
      hooks.onClose(conn);
    },
  };
  const ends = (from: Socket, to: Socket) => ({
    write: (c: Buffer) => to.write(c),
    onDrain: (cb: () => void) => to.once('drain', cb),
    end: () => {
      if (!to.destroyed) to.end();
    },
    kill: (reset: boolean) => conn.kill(reset),
    pauseInput: () => from.pause(),
    resumeInput: () => from.resume(),
  });
  const up = new Link('upstream', ends(client, server), hooks.random, hooks.onDraw);
  const down = new Link('downstream', ends(server, client), hooks.random, hooks.onDraw);
  conn.sync(toxics);
  client.on('data', (d: Buffer) => up.feed(d));
  client.on('end', () => up.feedEnd());
  server.on('data', (d: Buffer) => down.feed(d));
  server.on('end', () => down.feedEnd());
  const onError = (e: NodeJS.ErrnoException) => conn.kill(e.code === 'ECONNRESET');
  client.on('error', onError);
  server.on('error', onError);
  let open = 2;
  const onClosed = () => {
    if (--open === 0 || closed) conn.kill(false);
  };
  client.on('close', onClosed);
  server.on('close', onClosed);
  ignoreErrors(client);
  ignoreErrors(server);
  return conn;
}

/**
 * Client ↔ Node's HTTP server (which forwards requests upstream with the HTTP faults): the links sit
 * between the client's socket and the server's InnerSocket, so TCP toxics act on an HTTP proxy's
 * client connections exactly as on a TCP proxy.
 */
export function httpConnection(client: Socket, toxics: readonly Toxic[], hooks: ConnectionHooks, serve: (inner: InnerSocket) => void): Connection {
  const inner = new InnerSocket(client);
  client.setNoDelay(true);
  let closed = false;
  let writePending: (() => void) | undefined;
  let downPaused = false;
  const conn: Connection = {
    sync: (t) => {
      up.sync(t);
      down.sync(t);
    },
    kill: (reset) => {
      if (closed) return;
      closed = true;
      up.close();
      down.close();
      if (!client.destroyed) {
        if (reset && client.readyState === 'open') client.resetAndDestroy();
        else client.destroy();
      }
      inner.destroy();
      hooks.onClose(conn);
    },
  };
  const up = new Link(
    'upstream',
    {
      write: (c) => {
        inner.touch();
        return inner.push(c);
      },
      onDrain: (cb) => {
        inner.onRead = () => {
          inner.onRead = () => client.resume();
          cb();
        };
      },
      end: () => inner.push(null),
      kill: (reset) => conn.kill(reset),
      pauseInput: () => client.pause(),
      resumeInput: () => client.resume(),
    },
    hooks.random,
    hooks.onDraw,
  );
  const down = new Link(
    'downstream',
    {
      write: (c) => client.write(c),
      onDrain: (cb) => client.once('drain', cb),
      end: () => {
        if (!client.destroyed) client.end();
      },
      kill: (reset) => conn.kill(reset),
      pauseInput: () => {
        downPaused = true;
      },
      resumeInput: () => {
        downPaused = false;
        const w = writePending;
        writePending = undefined;
        w?.();
      },
    },
    hooks.random,
    hooks.onDraw,
  );
  inner.onRead = () => client.resume();
  inner.onWrite = (chunk, done) => {
    down.feed(chunk);
    if (downPaused) writePending = done;
    else done();
  };
  inner.onFinal = () => down.feedEnd();
  // The server let go of the connection (keep-alive timeout, a truncated body, an error): what it
  // wrote still flows out, then the client gets a FIN.
  inner.onDestroy = () => {
    if (!closed) {
      down.feedEnd();
      setTimeout(() => conn.kill(false), 10_000).unref();
    }
  };
  conn.sync(toxics);
  client.on('data', (d: Buffer) => up.feed(d));
  client.on('end', () => up.feedEnd());
  client.on('error', (e: NodeJS.ErrnoException) => conn.kill(e.code === 'ECONNRESET'));
  client.on('close', () => conn.kill(false));
  ignoreErrors(client);
  ignoreErrors(inner);
  serve(inner);
  return conn;
}
