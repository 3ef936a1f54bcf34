/**
 * `http.graphql(url, query, variables, params)`: a GraphQL request over HTTP POST, recorded as an
 * HTTP request whose route name is the operation's name (`name` tag: `query GetUser { ... }` →
 * `GetUser`), and failed when a 2xx answer carries GraphQL `errors` (error_code 1710) or is not a
 * GraphQL response at all (1711): a GraphQL server answers 200 to a query that failed.
 */
import type { ClassifiedError } from './error-codes.js';
import { ErrorCode } from './error-codes.js';
import { rawHeaderValue } from './headers.js';
import type { Params } from './params.js';
import { decompress } from './response.js';
import type { WireResult } from './transport.js';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string;
}

const OPERATION = /^(?:\s|#[^\n]*\n|,)*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** The operation's name: `operationName`, else the first named operation in the document, else 'anonymous'. */
export function operationName(req: GraphQLRequest): string {
  if (req.operationName) return req.operationName;
  return OPERATION.exec(req.query)?.[1] ?? 'anonymous';
}

const HAS_ERRORS: ClassifiedError = { code: ErrorCode.GraphQLErrors, message: 'GraphQL errors in the response' };
const NOT_GRAPHQL: ClassifiedError = { code: ErrorCode.GraphQLBadResponse, message: 'not a GraphQL response (no JSON data or errors)' };

/** The BodyCheck of a GraphQL request (client.ts calls it for 2xx answers). */
export function graphqlBodyCheck(r: WireResult): ClassifiedError | undefined {
  let buf = r.body.length === 1 ? r.body[0]! : Buffer.concat(r.body);
  const enc = rawHeaderValue(r.rawHeaders, 'content-encoding');
  let doc: unknown;
  try {
    if (enc !== undefined && buf.length > 0) buf = decompress(buf, enc);
    doc = JSON.parse(buf.toString('utf8'));
  } catch {
    return NOT_GRAPHQL;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return NOT_GRAPHQL;
  const errors = (doc as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0) return HAS_ERRORS;
  if (!('data' in doc) && errors === undefined) return NOT_GRAPHQL;
  return undefined;
}

/** The HTTP params of a GraphQL call: JSON body headers, the operation as the route name, the body kept. */
export function graphqlParams(op: string, params: Params | null | undefined): Params {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
  return {
    ...params,
    headers: { ...headers, ...(params?.headers as Record<string, string> | undefined) },
    tags: { name: op, ...params?.tags },
    // The body must be read to find `errors`, whatever discardResponseBodies says.
    responseType: params?.responseType === undefined || params.responseType === 'none' ? 'text' : params.responseType,
  };
}
