/**
 * k6/ws's API: `ws.connect(url, params, (socket) => { socket.on('open', ...) })`, settling when
 * the socket closes (k6 blocks the iteration until then; here it is a promise to await). The
 * socket's own timers (`socket.setTimeout`, `socket.setInterval`) stop when it closes. A handler
 * that throws closes the socket and rejects the promise with the script's error.
 */
import type { VuContext } from '../../vu/context.js';
import { WsSession, wsParamsError, type RequestOptions, type WsParams } from './session.js';

type K6Event = 'open' | 'message' | 'binaryMessage' | 'ping' | 'pong' | 'close' | 'error';
const EVENTS = new Set<string>(['open', 'message', 'binaryMessage', 'ping', 'pong', 'close', 'error']);

/** k6's `ws.connect` result. */
export interface WsResponse {
  /** 101 when the handshake succeeded; the server's status otherwise; 0 when nothing answered. */
  status: number;
  url: string;
  headers: Record<string, string>;
  /** '' when none. */
  error: string;
}

/** The socket a k6/ws setup function gets. */
export class Socket {
  /** @internal */ readonly handlers = new Map<string, ((...a: unknown[]) => void)[]>();
  /** @internal */ constructor(
    private readonly s: () => WsSession,
    private readonly onScriptError: (e: unknown) => void,
  ) {}

  on(event: K6Event, fn: (...args: never[]) => void): void {
    if (!EVENTS.has(event)) throw wsParamsError(`socket.on('${String(event)}'): unknown event (one of ${[...EVENTS].join(', ')})`);
    if (typeof fn !== 'function') throw wsParamsError(`socket.on('${event}', handler): handler must be a function`);
    let l = this.handlers.get(event);
    if (l === undefined) this.handlers.set(event, (l = []));
    l.push(fn as (...a: unknown[]) => void);
  }
  send(data: string | ArrayBuffer | ArrayBufferView): void {
    this.s().send(data);
  }
  /** k6: `socket.sendBinary(arrayBuffer)`. */
  sendBinary(data: ArrayBuffer | ArrayBufferView): void {
    this.s().send(data);
  }
  /** Volley: sends and resolves with the matching reply, recording ws_round_trip. */
  request(data: string | ArrayBuffer | ArrayBufferView, opts?: RequestOptions): Promise<string | ArrayBuffer> {
    return this.s().request(data, opts);
  }
  ping(): void {
    this.s().ping();
  }
  close(code?: number): void {
    this.s().close(code);
  }
  setTimeout(fn: () => void, ms: number): unknown {
    return this.s().timer(fn, ms, false, this.onScriptError);
  }
  setInterval(fn: () => void, ms: number): unknown {
    return this.s().timer(fn, ms, true, this.onScriptError);
  }
  clearTimeout(t: unknown): void {
    this.s().clearTimer(t as NodeJS.Timeout);
  }
  clearInterval(t: unknown): void {
    this.s().clearTimer(t as NodeJS.Timeout);
  }
}

/** A VU hard stop ended the socket (the same AbortError the HTTP client gives). */
function abortError(): Error {
  const e = new Error('request aborted: the VU was stopped');
  e.name = 'AbortError';
  return e;
}

export function connect(vu: VuContext, url: string, params: WsParams | undefined, setup: ((socket: Socket) => void) | undefined): Promise<WsResponse> {
  try {
    if (setup !== undefined && typeof setup !== 'function') throw wsParamsError('ws.connect(url, params, handler): handler must be a function (socket) => { ... }');
    return new Promise<WsResponse>((resolve, reject) => {
      let scriptError: unknown;
      let session: WsSession | undefined;
      const onScriptError = (e: unknown): void => {
        if (scriptError === undefined) scriptError = e;
        session?.close();
      };
      const socket = new Socket(() => session!, onScriptError);
      const emit = (name: string, ...args: unknown[]): void => {
        for (const fn of socket.handlers.get(name) ?? []) {
          try {
            const r = fn(...args) as unknown;
            // An async handler's rejection is the script's error too (never an unhandled rejection).
            if (r instanceof Promise) r.catch(onScriptError);
          } catch (err) {
            onScriptError(err);
            return;
          }
        }
      };
      session = new WsSession(vu, url, params, {
        onOpen: () => emit('open'),
        onMessage: (data, isBinary) => emit(isBinary ? 'binaryMessage' : 'message', data),
        onPing: () => emit('ping'),
        onPong: () => emit('pong'),
        onError: (message) => emit('error', { error: () => message, message }),
        onClose: (code) => {
          emit('close', code);
          if (session!.interrupted) reject(abortError());
          else if (scriptError !== undefined) reject(scriptError);
          else resolve({ status: session!.status, url, headers: session!.headers, error: session!.error });
        },
      });
      try {
        setup?.(socket);
      } catch (err) {
        onScriptError(err);
      }
    });
  } catch (err) {
    return Promise.reject(err);
  }
}
