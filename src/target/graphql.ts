/**
 * kind: graphql — a GraphQL endpoint over HTTP POST (JSON `{ query, variables, operationName }`)
 * with a small canned schema, enough to load-test a GraphQL client without a GraphQL server:
 *
 *   type Query    { user(id: ID!): User  users(first: Int = 10): [User!]!  __typename: String }
 *   type Mutation { createUser(name: String!): User }
 *   type User     { id: ID!  name: String!  email: String! }
 *
 * No GraphQL parser: the answer depends on the root fields the document names (`user`, `users`,
 * `createUser`), each returned whole. A document naming any other root field gets GraphQL's
 * behaviour for a query that fails validation: HTTP 200 with an `errors` array and no data
 * (which http.graphql counts as a failure, error_code 1710). A body that is not a JSON object
 * with a `query` string is a 400 with `errors`, as GraphQL over HTTP prescribes.
 */
import type { Handler, TargetResponse } from './context.js';
import { sendJson } from './respond.js';

const KNOWN = new Set(['user', 'users', 'createUser', '__typename']);
function user(id: string): { id: string; name: string; email: string } {
  return { id, name: `User ${id}`, email: `user${id}@example.test` };
}

const NAME = /[_A-Za-z][_0-9A-Za-z]*/y;
const TYPE_CONDITION = /\s+[_A-Za-z][_0-9A-Za-z]*/y;
const ALIAS = /\s*:\s*([_A-Za-z][_0-9A-Za-z]*)/y;

/**
 * The root fields of the first operation's selection set, with their aliases: every name at depth
 * 0 inside it (arguments and sub-selections are deeper), but directives (`@include`).
 */
export function rootFields(query: string): Array<{ alias: string; field: string }> {
  const start = query.indexOf('{');
  if (start < 0) return [];
  const out: Array<{ alias: string; field: string }> = [];
  let depth = 0;
  for (let i = start + 1; i < query.length; i++) {
    const c = query[i]!;
    if (c === '#') {
      while (i < query.length && query[i] !== '\n') i++;
    } else if (c === '"') {
      for (i++; i < query.length && query[i] !== '"'; i++) if (query[i] === '\\') i++;
    } else if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && /[_A-Za-z@.]/.test(c)) {
      const directive = c === '@';
      if (c === '.' || directive) {
        // `...Fragment` / `... on T` / `@directive`: skip the name.
        while (i + 1 < query.length && /[.@\s]/.test(query[i + 1]!) && query[i + 1] !== '\n') i++;
      }
      NAME.lastIndex = c === '.' || directive ? i + 1 : i;
      const m = NAME.exec(query);
      if (!m) continue;
      i = NAME.lastIndex - 1;
      if (c === '.' && m[0] === 'on') {
        // `... on Type { ... }`: the type condition is not a field (its fields are one level down).
        TYPE_CONDITION.lastIndex = NAME.lastIndex;
        if (TYPE_CONDITION.exec(query)) i = TYPE_CONDITION.lastIndex - 1;
      }
      if (c === '.' || directive) continue;
      ALIAS.lastIndex = NAME.lastIndex;
      const a = ALIAS.exec(query);
      if (a) {
        out.push({ alias: m[0], field: a[1]! });
        i = ALIAS.lastIndex - 1;
      } else out.push({ alias: m[0], field: m[0] });
    }
  }
  return out;
}

let nextId = 1000;

export const graphqlHandler: Handler = {
  respond(res: TargetResponse): void {
    const body = res.jsonBody as { query?: unknown; variables?: unknown } | undefined;
    if (body === null || typeof body !== 'object' || typeof body.query !== 'string') {
      sendJson(res, 400, { errors: [{ message: 'the request must be a JSON object with a "query" string' }] });
      return;
    }
    const vars = (body.variables !== null && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
    const fields = rootFields(body.query);
    const unknown = fields.filter((f) => !KNOWN.has(f.field));
    if (fields.length === 0 || unknown.length > 0) {
      const name = unknown[0]?.field;
      sendJson(res, 200, {
        errors: [{ message: name ? `Cannot query field "${name}" on type "Query".` : 'Syntax Error: no selection set.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      });
      return;
    }
    const data: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.field === 'user') data[f.alias] = user(String(vars.id ?? /id\s*:\s*"?(\w+)/.exec(body.query)?.[1] ?? '1'));
      else if (f.field === 'users') {
        const n = Math.max(0, Math.min(100, Number(vars.first ?? /first\s*:\s*(\d+)/.exec(body.query)?.[1] ?? 10) || 0));
        data[f.alias] = Array.from({ length: n }, (_, i) => user(String(i + 1)));
      } else if (f.field === 'createUser') data[f.alias] = { ...user(String(nextId++)), ...(typeof vars.name === 'string' ? { name: vars.name } : {}) };
      else data[f.alias] = /^\s*mutation\b/.test(body.query) ? 'Mutation' : 'Query';
    }
    sendJson(res, 200, { data });
  },
};
