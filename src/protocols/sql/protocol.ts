import type { Protocol } from '../contract.js';
import { SQL_DECLARATIONS } from './metrics.js';

/** SQL (PostgreSQL through `pg`) as a registered protocol (protocols/index.ts). */
export const sqlProtocol: Protocol = { name: 'sql', metrics: SQL_DECLARATIONS };
