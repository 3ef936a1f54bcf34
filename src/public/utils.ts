/**
 * `volley/utils`: k6's jslib k6-utils (`https://jslib.k6.io/k6-utils/1.4.0/index.js`), which a k6
 * script imports by URL; Volley resolves that URL to this module (nothing is fetched at run time).
 *
 *   import { randomItem, randomString, uuidv4 } from 'volley/utils';
 */
import { randomUUID } from 'node:crypto';
import { check as syncCheck, randomIntBetween } from '../vu/api.js';

export { randomIntBetween };

/** A random element of `items` (undefined for an empty array). */
export function randomItem<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** A random string of `length` characters drawn from `charset` (default: lowercase ASCII letters). */
export function randomString(length: number, charset = 'abcdefghijklmnopqrstuvwxyz'): string {
  let out = '';
  for (let i = 0; i < length; i++) out += charset[Math.floor(Math.random() * charset.length)];
  return out;
}

/** A version 4 UUID (always from the cryptographic generator; k6-utils' `secure` flag is accepted). */
export function uuidv4(_secure?: boolean): string {
  return randomUUID();
}

/**
 * The text between `left` and `right` in `content`: the first match, or every match with `repeat`
 * (k6-utils' `findBetween`). Undefined (an empty array with `repeat`) when there is none.
 */
export function findBetween(content: string, left: string, right: string, repeat?: false): string | undefined;
export function findBetween(content: string, left: string, right: string, repeat: true): string[];
export function findBetween(content: string, left: string, right: string, repeat = false): string | string[] | undefined {
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const a = content.indexOf(left, from);
    if (a < 0) break;
    const b = content.indexOf(right, a + left.length);
    if (b < 0) break;
    found.push(content.slice(a + left.length, b));
    if (!repeat) break;
    from = b + right.length;
  }
  return repeat ? found : found[0];
}

/**
 * k6-utils 1.5's `check`, for predicates that return promises (k6 browser scripts check locators:
 * `await check(page.locator('h2'), { header: async (h) => (await h.textContent()) === 'Welcome' })`).
 * Every predicate is awaited, then the checks are recorded as `check` would; a predicate that
 * throws rejects the call, as a throwing predicate throws from `check`.
 */
export async function check<T>(value: T, checks: Record<string, (v: T) => unknown>, tags?: Record<string, string>): Promise<boolean> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => checks[n]!(value)));
  return syncCheck(value, Object.fromEntries(names.map((n, i) => [n, () => results[i]])), tags);
}

export default { randomIntBetween, randomItem, randomString, uuidv4, findBetween, check };
