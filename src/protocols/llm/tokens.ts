/**
 * Token counts when the server sends no usage block: gpt-tokenizer (pure JavaScript, o200k_base, the
 * encoding of GPT-4o and later). Loaded on first use only, so runs whose server reports usage never
 * pay for its tables. For other model families the count is an approximation of theirs; the metrics
 * say which source counted (`llm_tokens_from_tokenizer`).
 */
let encoder: ((text: string) => number) | undefined;

export async function countTokens(text: string): Promise<number> {
  if (text === '') return 0;
  if (encoder === undefined) {
    const m = await import('gpt-tokenizer');
    encoder = m.countTokens as (text: string) => number;
  }
  return encoder(text);
}
