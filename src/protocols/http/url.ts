/**
 * `http.url` tagged templates and URL parsing for the client.
 */

/**
 * A URL built with the `http.url` tagged template. Its `name` is the template with `${}` in place
 * of each value, so that `http.get(http.url\`${base}/posts/${id}\`)` groups every post under one
 * `name` tag (k6 semantics) instead of one per id.
 */
export class HttpURL {
  constructor(
    /** The full URL. */
    readonly url: string,
    /** The template, used as the `name` tag. */
    readonly name: string,
  ) {}
  toString(): string {
    return this.url;
  }
}

/** k6 `http.url` tagged template. */
export function url(strings: TemplateStringsArray, ...values: unknown[]): HttpURL {
  let u = strings[0] ?? '';
  let name = u;
  for (let i = 0; i < values.length; i++) {
    const s = strings[i + 1] ?? '';
    u += String(values[i]) + s;
    name += '${}' + s;
  }
  return new HttpURL(u, name);
}

/** What a request URL can be. */
export type RequestUrl = string | URL | HttpURL;

/** A parsed request target. Cached by URL string: load tests hit the same URLs over and over. */
export interface Target {
  /** The normalised URL (WHATWG `href`). */
  href: string;
  protocol: string;
  /** `scheme://host:port` (the connection pool key). */
  origin: string;
  /** Path and query. */
  path: string;
  host: string;
  /** The URL for tags: `href` with any user:password replaced by '****:****' (k6 cleans it the same way). */
  clean: string;
  /** user:password from the URL, for Basic auth; '' when none. */
  userinfo: string;
}

const cache = new Map<string, Target | null>();
/** Bounded: a test with unique ids in URLs must not grow memory. Cleared wholesale when full. */
const CACHE_MAX = 2000;

/** Parses an absolute http(s) URL; null when it is invalid or another scheme. */
export function parseTarget(s: string): Target | null {
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  let t: Target | null = null;
  const u = URL.parse(s);
  if (u !== null && (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '') {
    const hasUser = u.username !== '' || u.password !== '';
    let clean = u.href;
    let userinfo = '';
    if (hasUser) {
      userinfo = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
      u.username = '';
      u.password = '';
      clean = u.href.replace('://', '://****:****@');
    }
    t = {
      // Without credentials: they travel in an Authorization header instead.
      href: u.href,
      protocol: u.protocol,
      origin: `${u.protocol}//${u.host}`,
      path: `${u.pathname}${u.search}`,
      host: u.host,
      clean,
      userinfo,
    };
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(s, t);
  return t;
}
