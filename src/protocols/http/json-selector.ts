/**
 * A gjson-style path selector for `res.json(selector)`, the subset k6 scripts use:
 *
 * - `a.b.c`        object keys, dot-separated (`\.` escapes a dot in a key)
 * - `items.0.id`   array index
 * - `items.#`      array length
 * - `items.#.id`   the `id` of every element (an array)
 * - `a.*.c`, `na?e` wildcards in a key segment (first matching key)
 *
 * A path that does not match returns undefined (gjson: the result does not exist).
 * Not supported: queries `#(...)`, modifiers `@...`, multipaths.
 */
export function selectJson(value: unknown, path: string): unknown {
  if (path === '') return value;
  return walk(value, splitPath(path), 0);
}

const pathCache = new Map<string, string[]>();

function splitPath(path: string): string[] {
  const hit = pathCache.get(path);
  if (hit !== undefined) return hit;
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === '\\' && i + 1 < path.length) {
      cur += path[++i];
    } else if (ch === '.') {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  if (pathCache.size > 500) pathCache.clear();
  pathCache.set(path, parts);
  return parts;
}

function walk(value: unknown, parts: readonly string[], i: number): unknown {
  let v = value;
  for (; i < parts.length; i++) {
    const p = parts[i]!;
    if (Array.isArray(v)) {
      if (p === '#') {
        if (i === parts.length - 1) return v.length;
        const out: unknown[] = [];
        for (const el of v) {
          const r = walk(el, parts, i + 1);
          if (r !== undefined) out.push(r);
        }
        return out;
      }
      if (!/^\d+$/.test(p)) return undefined;
      v = v[Number(p)];
    } else if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (Object.prototype.hasOwnProperty.call(obj, p)) {
        v = obj[p];
      } else if (p.includes('*') || p.includes('?')) {
        const re = globToRegExp(p);
        let found = false;
        for (const k of Object.keys(obj)) {
          if (re.test(k)) {
            v = obj[k];
            found = true;
            break;
          }
        }
        if (!found) return undefined;
      } else {
        return undefined;
      }
    } else {
      return undefined;
    }
    if (v === undefined) return undefined;
  }
  return v;
}

function globToRegExp(glob: string): RegExp {
  let src = '^';
  for (const ch of glob) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`${src}$`, 's');
}
