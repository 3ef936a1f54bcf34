/**
 * jslib.k6.io's papaparse (`https://jslib.k6.io/papaparse/5.1.1/index.js`): the papaparse npm
 * package itself, which that URL serves. A k6 script's import of the URL resolves here.
 *
 *   import papaparse from 'https://jslib.k6.io/papaparse/5.1.1/index.js';
 *   const rows = papaparse.parse(open('./users.csv'), { header: true }).data;
 */
import { createRequire } from 'node:module';

export interface ParseResult<T = unknown> {
  data: T[];
  errors: Array<{ type: string; code: string; message: string; row?: number }>;
  meta: Record<string, unknown>;
}

export interface Papa {
  parse<T = unknown>(input: string, config?: Record<string, unknown>): ParseResult<T>;
  unparse(data: unknown, config?: Record<string, unknown>): string;
  readonly [key: string]: unknown;
}

const papa = createRequire(import.meta.url)('papaparse') as Papa;

export const parse = papa.parse.bind(papa);
export const unparse = papa.unparse.bind(papa);
export default papa;
