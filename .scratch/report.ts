import llm from 'volley/llm';
export const options = { iterations: 4, vus: 2, thresholds: { llm_time_to_first_token: ['p(95)<3000'] } };
export default async function () {
  await llm.chat({ baseUrl: __ENV.LLM_URL, messages: [{ role: 'user', content: 'hi' }], maxTokens: 8 });
}
