import { Cookie, CookieJar as ToughCookieJar } from 'tough-cookie';
import { VolleyError, ExitCode } from '../../errors/index.js';

/** Options of `CookieJar.set` (k6 names). */
export interface CookieOptions {
  domain?: string;
  path?: string;
  /** An HTTP date string ('Mon, 02 Jan 2006 15:04:05 GMT') or anything `Date` parses. */
  expires?: string;
  /** Seconds; <= 0 deletes. */
  max_age?: number;
  secure?: boolean;
  http_only?: boolean;
}

/**
 * A cookie jar with k6's API (`http.cookieJar()`, `new http.CookieJar()`), on tough-cookie (RFC
 * 6265, public-suffix aware). Every VU has its own jar, emptied at the start of each iteration
 * unless `noCookiesReset` is set.
 *
 * The client asks `cookieHeader(url)` before every request; `hasCookies` lets it skip the lookup
 * entirely for the (common) jar that never received a cookie.
 */
export class CookieJar {
  private jar = new ToughCookieJar(undefined, { looseMode: true });
  /** False until a cookie was stored; reset by `clearAll`. A fast path, not an exact count. */
  hasCookies = false;

  /** Cookies that would be sent to `url`: name → values (k6 `cookiesForURL`). */
  cookiesForURL(url: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (!this.hasCookies) return out;
    for (const c of this.jar.getCookiesSync(checkUrl(url, 'cookiesForURL'))) {
      (out[c.key] ??= []).push(c.value);
    }
    return out;
  }

  /** Stores a cookie for `url` as if the server at `url` had set it (k6 `set`). */
  set(url: string, name: string, value: string, options: CookieOptions = {}): void {
    const c = new Cookie({ key: name, value: String(value) });
    if (options.domain !== undefined) c.domain = options.domain.replace(/^\./, '');
    if (options.path !== undefined) c.path = options.path;
    if (options.expires !== undefined) {
      const d = new Date(options.expires);
      if (!Number.isNaN(d.getTime())) c.expires = d;
    }
    if (options.max_age !== undefined) c.maxAge = options.max_age;
    if (options.secure) c.secure = true;
    if (options.http_only) c.httpOnly = true;
    this.jar.setCookieSync(c, checkUrl(url, 'set'), { ignoreError: true });
    this.hasCookies = true;
  }

  /** Removes every cookie that would be sent to `url` (k6 `clear`). */
  clear(url: string): void {
    if (!this.hasCookies) return;
    for (const c of this.jar.getCookiesSync(checkUrl(url, 'clear'))) this.remove(c);
  }

  /** Removes the cookie `name` that would be sent to `url` (k6 `delete`). */
  delete(url: string, name: string): void {
    if (!this.hasCookies) return;
    for (const c of this.jar.getCookiesSync(checkUrl(url, 'delete'))) {
      if (c.key === name) this.remove(c);
    }
  }

  /** Empties the jar (iteration reset). */
  clearAll(): void {
    if (!this.hasCookies) return;
    this.jar = new ToughCookieJar(undefined, { looseMode: true });
    this.hasCookies = false;
  }

  // --- used by the client ---

  /** The Cookie header value for a request to `url`, '' when none. */
  cookieHeader(url: string): string {
    if (!this.hasCookies) return '';
    return this.jar.getCookieStringSync(url);
  }

  /** Stores the Set-Cookie header values of a response from `url`; invalid ones are ignored (as browsers do). */
  storeSetCookies(url: string, setCookies: readonly string[]): void {
    for (let i = 0; i < setCookies.length; i++) {
      if (this.jar.setCookieSync(setCookies[i]!, url, { ignoreError: true }) !== undefined) this.hasCookies = true;
    }
  }

  private remove(c: Cookie): void {
    // MemoryCookieStore completes synchronously.
    this.jar.store.removeCookie(c.domain, c.path, c.key, noop);
  }
}

function noop(): void {}

function checkUrl(url: unknown, method: string): string {
  const s = typeof url === 'string' ? url : url instanceof URL ? url.href : String(url);
  if (!URL.canParse(s)) {
    throw new VolleyError('E_HTTP_COOKIE_URL', `CookieJar.${method}: "${s}" is not an absolute URL`, {
      hint: "pass the full URL, e.g. 'https://example.com/'",
      exitCode: ExitCode.ScriptException,
    });
  }
  return s;
}
