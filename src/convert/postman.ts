import type { RequestSpec, TestSpec } from './requests.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * A Postman collection (v2.0/v2.1) as requests: grouped by folder, `{{variables}}` read from the
 * environment (-e name=value) or the collection's variables, the check a status below 400 (a
 * collection's pm.test scripts are JavaScript for Postman's sandbox, not converted).
 */
export function readPostman(col: any, source: string): TestSpec {
  if (!col?.info || !Array.isArray(col.item)) throw new Error(`${source} is not a Postman collection (no info and item)`);
  const vars: Record<string, string> = {};
  for (const v of col.variable ?? []) vars[v.key] = String(v.value ?? '');
  const requests: RequestSpec[] = [];
  const tpl = (s: string): string => s.replace(/`/g, '\\`').replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, k: string) => `\${v(${JSON.stringify(k).replace(/"/g, "'")})}`);
  const walk = (items: any[], folder: string): void => {
    for (const it of items) {
      if (Array.isArray(it.item)) {
        walk(it.item, it.name ?? folder);
        continue;
      }
      const r = it.request;
      if (!r) continue;
      const req = typeof r === 'string' ? { method: 'GET', url: r } : r;
      const raw = typeof req.url === 'string' ? req.url : (req.url?.raw ?? '');
      const headers: Record<string, string> = {};
      for (const h of req.header ?? []) if (!h.disabled) headers[String(h.key).toLowerCase()] = tpl(String(h.value));
      let body: string | undefined;
      const b = req.body;
      if (b?.mode === 'raw' && b.raw !== undefined) body = `\`${tpl(String(b.raw))}\``;
      else if (b?.mode === 'urlencoded') body = `{ ${(b.urlencoded ?? []).filter((p: any) => !p.disabled).map((p: any) => `${JSON.stringify(p.key)}: \`${tpl(String(p.value ?? ''))}\``).join(', ')} }`;
      if (b?.mode === 'raw' && b.options?.raw?.language === 'json' && !headers['content-type']) headers['content-type'] = 'application/json';
      const method = String(req.method ?? 'GET').toUpperCase();
      requests.push({ group: folder, method, url: tpl(raw), headers, ...(body !== undefined ? { body } : {}), statuses: [], name: `${method} ${raw.replace(/^\{\{[\w.-]+\}\}/, '')}` });
    }
  };
  walk(col.item, col.info.name ?? 'requests');
  const prelude = `/** The collection's {{variables}}: -e name=value overrides its own values (BASE_URL stands for baseUrl). */
const VARS: Record<string, string> = ${JSON.stringify(vars)};
const v = (name: string): string => __ENV[name] ?? (/^base_?url$/i.test(name) ? __ENV.BASE_URL : undefined) ?? VARS[name] ?? '';`;
  for (const r of requests) r.statuses = [200, 201, 202, 204, 304];
  return { source, format: 'postman', baseUrl: vars.baseUrl ?? 'http://127.0.0.1:8080', requests, prelude };
}
