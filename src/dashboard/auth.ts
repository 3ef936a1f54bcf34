/**
 * Who may read the dashboard. It shows a test's targets, routes and errors, so:
 *
 * - By default it binds to loopback (127.0.0.1) and needs no token; it then answers only requests
 *   whose Host header names a loopback address (or the host it was bound to), so a web page on
 *   another site cannot read it through DNS rebinding.
 * - Binding anywhere else requires a token (`--dashboard-token`); every request must then carry it,
 *   as `?token=` in the URL (what the printed URL has, and what the page passes on to `/events`),
 *   an `Authorization: Bearer` header or an `X-Volley-Token` header. Otherwise: 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** True for names and literals that can only reach this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

function stripBrackets(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** The hostname of a Host header (`127.0.0.1:5665` → `127.0.0.1`, `[::1]:80` → `::1`). */
export function hostHeaderName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? undefined : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** The token a request carries: `?token=`, `Authorization: Bearer ...` or `X-Volley-Token`. */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const x = req.headers['x-volley-token'];
  if (typeof x === 'string' && x) return x;
  return undefined;
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Why a request is refused, or undefined when it may proceed. */
export type AuthVerdict = undefined | { status: 401 | 403; message: string };

/**
 * Checks one request. With a token: the token must match. Without: the Host header must be a
 * loopback name or the bound host (DNS-rebinding guard).
 */
export function authorize(req: IncomingMessage, url: URL, opts: { token: string | undefined; boundHost: string }): AuthVerdict {
  if (opts.token !== undefined) {
    if (tokenMatches(requestToken(req, url), opts.token)) return undefined;
    return { status: 401, message: 'this dashboard needs its token: open the URL that volley printed (it ends in ?token=...), or send the header "Authorization: Bearer <token>"' };
  }
  const name = hostHeaderName(req.headers.host);
  if (name !== undefined && (isLoopbackHost(name) || stripBrackets(name).toLowerCase() === stripBrackets(opts.boundHost).toLowerCase())) return undefined;
  return { status: 403, message: 'this dashboard answers only on loopback addresses (open it as http://127.0.0.1:<port>/); to serve it to other machines, bind it with --dashboard-host and set --dashboard-token' };
}
