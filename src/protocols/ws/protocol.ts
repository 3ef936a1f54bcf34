import type { Protocol } from '../contract.js';
import { WS_DECLARATIONS } from './metrics.js';

/** WebSocket as a registered protocol (protocols/index.ts). */
export const wsProtocol: Protocol = { name: 'ws', metrics: WS_DECLARATIONS };
