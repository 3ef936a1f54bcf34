/**
 * `volley/llm`: OpenAI-compatible and Anthropic LLM calls with token metrics (docs/llm.md).
 *
 *   import llm from 'volley/llm';
 *   const r = await llm.chat({ baseUrl: __ENV.LLM_URL, model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
 */
export { default } from '../protocols/llm/module.js';
export * from '../protocols/llm/module.js';
