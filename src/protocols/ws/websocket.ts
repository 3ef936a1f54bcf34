/**
 * k6/websockets' browser-like `WebSocket` (k6 `experimental/websockets`): `new WebSocket(url,
 * protocols, params)`, `onopen`/`onmessage`/`onclose`/`onerror` or `addEventListener`, `send`,
 * `ping`, `close`. As in k6, an iteration whose function returned goes on until its sockets have
 * closed (session.ts keepsIterationAlive). Volley adds `closed` (a promise that settles when the
 * socket closes) and `request()` (a round trip recorded as ws_round_trip).
 */
import { currentVu } from '../../vu/context.js';
import { WsSession, type RequestOptions, type WsParams } from './session.js';

type Listener = (event: Record<string, unknown>) => void;

export class WebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  onopen: Listener | null = null;
  onmessage: Listener | null = null;
  onclose: Listener | null = null;
  onerror: Listener | null = null;
  onping: Listener | null = null;
  onpong: Listener | null = null;
  readonly url: string;
  /** Settles when the socket has closed (rejects with a handler's error). */
  readonly closed: Promise<void>;

  #s: WsSession;
  #listeners = new Map<string, Listener[]>();
  #error: unknown;

  constructor(url: string, protocols?: string | string[] | null, params?: WsParams | null) {
    const vu = currentVu('new WebSocket()');
    this.url = url;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    this.closed = new Promise<void>((a, b) => {
      resolve = a;
      reject = b;
    });
    this.closed.catch(() => undefined);
    const p: WsParams = { ...(params ?? {}) };
    if (protocols !== undefined && protocols !== null) p.protocols = protocols;
    this.#s = new WsSession(vu, url, p, {
      onOpen: () => this.#emit('open', {}),
      onMessage: (data) => this.#emit('message', { data }),
      onPing: () => this.#emit('ping', {}),
      onPong: () => this.#emit('pong', {}),
      onError: (message) => this.#emit('error', { error: message, message }),
      onClose: (code, reason) => {
        this.#emit('close', { code, reason, wasClean: code === 1000 || code === 1001 || code === 1005 });
        if (this.#error !== undefined) reject(this.#error);
        else resolve();
      },
    });
  }

  #emit(type: string, event: Record<string, unknown>): void {
    const e = { type, target: this, ...event };
    const own = (this as unknown as Record<string, Listener | null>)[`on${type}`];
    const all = [...(own ? [own] : []), ...(this.#listeners.get(type) ?? [])];
    const fail = (err: unknown): void => {
      if (this.#error === undefined) this.#error = err;
      this.#s.handlerFailed(err);
      this.#s.close();
    };
    for (const fn of all) {
      try {
        const r = fn(e) as unknown;
        if (r instanceof Promise) r.catch(fail);
      } catch (err) {
        fail(err);
        return;
      }
    }
  }

  get readyState(): number {
    return this.#s.readyState;
  }
  get binaryType(): string {
    return 'arraybuffer';
  }
  set binaryType(_v: string) {
    // Binary messages are always ArrayBuffers here.
  }

  addEventListener(type: string, fn: Listener): void {
    let l = this.#listeners.get(type);
    if (l === undefined) this.#listeners.set(type, (l = []));
    l.push(fn);
  }
  removeEventListener(type: string, fn: Listener): void {
    const l = this.#listeners.get(type);
    if (l !== undefined) this.#listeners.set(type, l.filter((x) => x !== fn));
  }
  send(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#s.send(data);
  }
  request(data: string | ArrayBuffer | ArrayBufferView, opts?: RequestOptions): Promise<string | ArrayBuffer> {
    return this.#s.request(data, opts);
  }
  ping(): void {
    this.#s.ping();
  }
  close(code?: number, reason?: string): void {
    this.#s.close(code, reason);
  }
}
