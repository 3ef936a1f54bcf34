import type { Protocol } from '../contract.js';
import { BROWSER_DECLARATIONS } from './metrics.js';

/** The browser as a registered protocol (protocols/index.ts). */
export const browserProtocol: Protocol = { name: 'browser', metrics: BROWSER_DECLARATIONS };
