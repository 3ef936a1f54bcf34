import type { Protocol } from '../contract.js';
import { SSE_DECLARATIONS } from './metrics.js';

/** Server-Sent Events as a registered protocol (protocols/index.ts). */
export const sseProtocol: Protocol = { name: 'sse', metrics: SSE_DECLARATIONS };
