import type { Protocol } from '../contract.js';
import { HTTP_DECLARATIONS } from './metrics.js';

/** HTTP as a registered protocol (protocols/index.ts). */
export const httpProtocol: Protocol = { name: 'http', metrics: HTTP_DECLARATIONS };
