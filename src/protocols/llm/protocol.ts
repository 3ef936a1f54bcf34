import type { Protocol } from '../contract.js';
import { LLM_DECLARATIONS } from './metrics.js';

/** `volley/llm` as a registered protocol (protocols/index.ts). */
export const llmProtocol: Protocol = { name: 'llm', metrics: LLM_DECLARATIONS };
