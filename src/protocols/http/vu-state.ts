import { DEFAULT_USER_AGENT } from '../../config/option-specs.js';
import type { ResolvedOptions } from '../../config/types.js';
import type { VuContext, VuResource } from '../../vu/context.js';
import { CookieJar } from './cookie-jar.js';
import type { ResponseCallback } from './expected-statuses.js';
import type { Transport } from './transport.js';
import { UndiciTransport } from './undici-transport.js';
import { FastTransport } from './fast/transport.js';

/** Creates a VU's transport. Replaceable (tests). */
export type TransportFactory = (o: HttpVuOptions) => Transport;

function undiciTransport(o: HttpVuOptions): Transport {
  return new UndiciTransport({
    insecureSkipTLSVerify: o.insecureSkipTLSVerify,
    tlsCACerts: o.tlsCACerts,
    h2c: o.h2c,
    // k6 sets Go's MaxIdleConnsPerHost to batchPerHost; Go's default (for 0) is 2.
    maxIdlePerHost: Number.isFinite(o.batchPerHost) ? o.batchPerHost : 2,
    maxResponseHeadBytes: o.maxResponseHeadSize,
  });
}

/**
 * How VUs make their transport, from the options (`httpTransport`, `localAddresses`):
 * - 'fast' (default): the HTTP/1.1 fast path (src/protocols/http/fast/) for plain http://
 *   requests, undici for everything else (https, special headers); its connections spread over
 *   `localAddresses` when given (more than ~28k connections to one target);
 * - 'undici': undici for every request (for comparison, or if the fast path misbehaves).
 */
export const defaultTransportFactory: TransportFactory = (o) =>
  o.httpTransport === 'undici' || o.h2c
    ? undiciTransport(o)
    : new FastTransport({
        maxIdlePerHost: Number.isFinite(o.batchPerHost) ? o.batchPerHost : 2,
        localAddresses: o.localAddresses,
        maxResponseHeadBytes: o.maxResponseHeadSize,
        fallback: () => undiciTransport(o),
      });

let transportFactory: TransportFactory = defaultTransportFactory;

/** Replaces how VUs create their transport (affects VUs whose transport is created afterwards). */
export function setTransportFactory(f: TransportFactory): void {
  transportFactory = f;
}

/** The HTTP options a VU reads: the run's resolved options, in the shape the transports use. */
export interface HttpVuOptions {
  /** Default "Volley/<version>" (DEFAULT_USER_AGENT); '' sends no User-Agent. */
  userAgent: string;
  insecureSkipTLSVerify: boolean;
  /** PEM CA certificates trusted in addition to Node's roots (option `tlsCACerts`); none: undefined. */
  tlsCACerts: readonly string[] | undefined;
  httpTransport: 'fast' | 'undici';
  localAddresses: readonly string[];
  /** HTTP/2 without TLS (prior knowledge) for http:// origins; every request then goes through undici. */
  h2c: boolean;
  /** Default 10. */
  maxRedirects: number;
  /** Default 20. */
  batch: number;
  /** Default 6; Infinity when the option is 0 (no per-host limit). */
  batchPerHost: number;
  discardResponseBodies: boolean;
  throw: boolean;
  noConnectionReuse: boolean;
  noVUConnectionReuse: boolean;
  noCookiesReset: boolean;
  /** Largest response head accepted, bytes. Default 16 KiB. */
  maxResponseHeadSize: number;
}

/** User-Agent when options give none: the one the options module defaults to ("Volley/<version>"). */
export { DEFAULT_USER_AGENT };

/** Options objects are shared by every VU of a thread: one HttpVuOptions each, not one per VU. */
const optionsCache = new WeakMap<object, HttpVuOptions>();

/** The HTTP options of a run's options (memoised per options object; treat the result as read-only). */
export function httpOptionsFrom(options: Readonly<ResolvedOptions>): HttpVuOptions {
  let h = optionsCache.get(options);
  if (h === undefined) {
    h = {
      userAgent: options.userAgent,
      insecureSkipTLSVerify: options.insecureSkipTLSVerify,
      tlsCACerts: options.tlsCACerts.length > 0 ? options.tlsCACerts : undefined,
      httpTransport: options.httpTransport,
      localAddresses: options.localAddresses,
      h2c: options.h2c,
      maxRedirects: options.maxRedirects,
      batch: options.batch,
      // 0 = no per-host limit (k6).
      batchPerHost: options.batchPerHost === 0 ? Infinity : options.batchPerHost,
      discardResponseBodies: options.discardResponseBodies,
      throw: options.throw,
      noConnectionReuse: options.noConnectionReuse,
      noVUConnectionReuse: options.noVUConnectionReuse,
      noCookiesReset: options.noCookiesReset,
      maxResponseHeadSize: options.maxResponseHeadSize,
    };
    optionsCache.set(options, h);
  }
  return h;
}

/**
 * Scratch tag object for recording (one per thread in client.ts), reused for every request: `TagSetCache.with` copies what it
 * keeps, and recording is synchronous, so reuse is safe. The key order is fixed (the interned key
 * depends on it); undefined values are skipped.
 */
export interface SystemTags {
  [k: string]: string | undefined;
  name: string;
  url: string;
  method: string;
  status: string;
  proto: string | undefined;
  tls_version: string | undefined;
  expected_response: string | undefined;
  error: string | undefined;
  error_code: string | undefined;
}

const kHttp = Symbol('volley.http');

/** A VU's HTTP state: its connections, cookie jar, response callback. Lives in `vu.slots`. */
export class HttpVuState implements VuResource {
  readonly options: HttpVuOptions;
  #transport: Transport | undefined;
  #jar: CookieJar | undefined;
  /** Set by http.setResponseCallback inside this VU; undefined = the module default. */
  responseCallback: ResponseCallback | undefined;

  constructor(private readonly vu: VuContext) {
    this.options = httpOptionsFrom(vu.options);
  }

  /** The transport, created on the first request. A VU hard stop fails its in-flight requests. */
  get transport(): Transport {
    if (this.#transport === undefined) {
      const t = transportFactory(this.options);
      this.#transport = t;
      // A Vu calls onInterrupt itself and has a plain `interrupted` flag (no signal, no listener per
      // VU); other VuContexts (tests) are watched through their signal.
      const hooked = this.vu as { interruptHooks?: boolean; interrupted?: boolean };
      if (hooked.interruptHooks === true) {
        if (hooked.interrupted === true) t.destroyAll(abortError());
      } else {
        const signal = this.vu.signal;
        if (signal.aborted) t.destroyAll(abortError());
        else signal.addEventListener('abort', () => t.destroyAll(abortError()), { once: true });
      }
    }
    return this.#transport;
  }

  /** The VU was interrupted (hard stop): in-flight requests fail with an AbortError. */
  onInterrupt(): void {
    this.#transport?.destroyAll(abortError());
  }

  /** The VU's cookie jar (k6 `http.cookieJar()`), created on first use. */
  get jar(): CookieJar {
    return (this.#jar ??= new CookieJar());
  }

  /** The VU's jar if it was ever created (the client only creates it when a cookie arrives: a jar costs ~2 KB per VU). */
  get existingJar(): CookieJar | undefined {
    return this.#jar;
  }

  /** Called by the VU runtime before each iteration (slot hook): cookies reset (unless noCookiesReset), connections dropped (if noVUConnectionReuse). */
  onIterationStart(): void {
    if (!this.options.noCookiesReset) this.#jar?.clearAll();
    if (this.options.noVUConnectionReuse) this.#transport?.closeIdle();
  }

  async close(): Promise<void> {
    const t = this.#transport;
    this.#transport = undefined;
    if (t) await t.close();
  }
}

/** An AbortError for requests cut short by a VU hard stop. */
export function abortError(): Error {
  const e = new Error('request aborted: the VU was stopped');
  e.name = 'AbortError';
  return e;
}

/** The VU's HTTP state, created on first use. */
export function httpState(vu: VuContext): HttpVuState {
  let st = vu.slots.get(kHttp) as HttpVuState | undefined;
  if (st === undefined) {
    st = new HttpVuState(vu);
    vu.slots.set(kHttp, st);
  }
  return st;
}

/** The VU's HTTP state if it ever made a request. */
export function existingHttpState(vu: VuContext): HttpVuState | undefined {
  return vu.slots.get(kHttp) as HttpVuState | undefined;
}
