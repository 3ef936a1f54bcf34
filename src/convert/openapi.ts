import type { RequestSpec, Schema, TestSpec } from './requests.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/**
 * An OpenAPI 3 document (parsed from YAML or JSON with the `yaml` package; local `$ref`s resolved
 * here: a small walker does what the converter needs, where a full validator such as
 * swagger-parser would add a dependency tree) as requests: grouped by tag; path and query
 * parameters from their examples (or defaults, enums, schema types); JSON bodies from the request
 * body's example or one built from its schema; checks that the status is one the operation
 * documents and that a JSON body matches the documented response schema.
 */
export function readOpenApi(doc: any, source: string): TestSpec {
  if (!doc?.openapi || !doc.paths) throw new Error(`${source} is not an OpenAPI 3 document (no openapi and paths)`);
  const deref = (v: any, seen: Set<string> = new Set()): any => {
    if (Array.isArray(v)) return v.map((x) => deref(x, seen));
    if (!v || typeof v !== 'object') return v;
    if (typeof v.$ref === 'string') {
      if (!v.$ref.startsWith('#/') || seen.has(v.$ref)) return {};
      const target = v.$ref.slice(2).split('/').reduce((o: any, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      return deref(target, new Set([...seen, v.$ref]));
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deref(x, seen)]));
  };
  const base = String(doc.servers?.[0]?.url ?? 'http://127.0.0.1:8080');
  const requests: RequestSpec[] = [];
  for (const [path, itemRaw] of Object.entries<any>(doc.paths)) {
    const item = deref(itemRaw);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      let url = path.replace(/`/g, '\\`');
      const query: string[] = [];
      const headers: Record<string, string> = {};
      for (const p of params) {
        const value = String(exampleOf(p) ?? sample(p.schema ?? {}));
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(value));
        else if (p.in === 'query' && p.required) query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(value)}`);
        else if (p.in === 'header' && p.required) headers[String(p.name).toLowerCase()] = value;
      }
      if (query.length > 0) url += `?${query.join('&')}`;
      let body: string | undefined;
      const json = op.requestBody?.content?.['application/json'];
      if (json) {
        headers['content-type'] = 'application/json';
        body = `JSON.stringify(${JSON.stringify(exampleOf(json) ?? sample(json.schema ?? {}))})`;
      }
      const codes = Object.keys(op.responses ?? {});
      const statuses = codes.filter((c) => /^\d{3}$/.test(c)).map(Number);
      const ok = codes.find((c) => /^2\d\d$/.test(c));
      const schema = ok ? (op.responses[ok]?.content?.['application/json']?.schema as Schema | undefined) : undefined;
      requests.push({
        group: op.tags?.[0] ?? 'default',
        method: method.toUpperCase(),
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
        statuses: statuses.length > 0 ? statuses : [200],
        ...(schema ? { schema: strip(schema) } : {}),
        name: `${method.toUpperCase()} ${path}`,
      });
    }
  }
  return { source, format: 'openapi', baseUrl: base, requests };
}

function exampleOf(x: any): unknown {
  if (x?.example !== undefined) return x.example;
  const ex = x?.examples && Object.values<any>(x.examples)[0];
  if (ex !== undefined) return ex?.value ?? ex;
  if (x?.schema?.example !== undefined) return x.schema.example;
  return undefined;
}

/** A value that fits a schema: its example, default or first enum value, else one of its type. */
function sample(s: any): unknown {
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.type === 'object' || s.properties) {
    return Object.fromEntries(Object.entries<any>(s.properties ?? {}).filter(([k]) => (s.required ?? Object.keys(s.properties ?? {})).includes(k)).map(([k, v]) => [k, sample(v)]));
  }
  if (s.type === 'array') return [sample(s.items ?? {})];
  if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1;
  if (s.type === 'boolean') return true;
  return s.format === 'uuid' ? '00000000-0000-4000-8000-000000000000' : 'test';
}

/** The parts of a schema the generated check uses. */
function strip(s: any): Schema {
  const out: Schema = {};
  for (const k of ['type', 'required', 'enum']) if (s[k] !== undefined) out[k] = s[k];
  if (s.properties) out.properties = Object.fromEntries(Object.entries<any>(s.properties).map(([k, v]) => [k, strip(v)]));
  if (s.items) out.items = strip(s.items);
  return out;
}
