/**
 * The OpenAI-compatible endpoints: streaming delivers tokens at the configured pace after the
 * configured time to first token, with correct SSE framing and OpenAI's chunk shapes; non-streaming
 * answers with usage; bad requests get 400 in OpenAI's error shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { hit, lagProbe, percentile } from '../src/target/testing/timed-client.js';

const TTFT = 150;
const TPS = 50; // → 20 ms between tokens

/** Upper timing bounds add how late the event loop ran during the test (CPU-starved machines). */
let lagMs = () => 0;

async function withTarget(fn: (t: RunningTarget) => Promise<void>): Promise<void> {
  const llm = { ttft: `${TTFT}ms`, tokensPerSecond: TPS, outputTokens: 40 };
  const t = await startTarget({
    routes: [
      { kind: 'llm-chat', path: '/v1/chat/completions', llm },
      { kind: 'llm-completions', path: '/v1/completions', llm },
      { kind: 'llm-chat', path: '/fast/chat', llm: { ttft: '20ms', tokensPerSecond: 1000, outputTokens: 200 } },
      { kind: 'llm-chat', path: '/capped', llm: { ...llm, maxTokens: 'cap' } },
    ],
  });
  const lag = lagProbe();
  lagMs = () => lag.maxMs();
  try {
    await fn(t);
  } finally {
    lag.stop();
    await t.close();
  }
}

/**
 * Splits an SSE body strictly: every event must be exactly "data: <payload>\n\n" (OpenAI sends
 * nothing else); returns the payloads.
 */
function sseData(body: string): string[] {
  assert.ok(body.endsWith('\n\n'), 'stream ends with a blank line');
  const events = body.slice(0, -2).split('\n\n');
  return events.map((e) => {
    assert.match(e, /^data: [^\n]+$/, `bad SSE event framing: ${JSON.stringify(e)}`);
    return e.slice(6);
  });
}

const chat = (extra: Record<string, unknown>) => JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'Say something long.' }], ...extra });

test('chat stream: framing, chunk shapes, usage chunk, [DONE]', async () => {
  await withTarget(async (t) => {
    const r = await hit(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chat({ stream: true, max_tokens: 12, stream_options: { include_usage: true } }) });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/event-stream/);
    assert.ok(r.headers['x-request-id']);
    const data = sseData(r.body);
    assert.equal(data.at(-1), '[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    const id = chunks[0].id;
    for (const c of chunks) {
      assert.equal(c.object, 'chat.completion.chunk');
      assert.equal(c.id, id);
      assert.equal(c.model, 'gpt-test');
      assert.equal(typeof c.created, 'number');
    }
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '', refusal: null });
    const content = chunks.slice(1, -2);
    assert.equal(content.length, 12, 'max_tokens sets the output length');
    for (const c of content) {
      assert.equal(c.usage, null, 'with include_usage every chunk carries usage: null');
      assert.equal(c.choices.length, 1);
      assert.equal(c.choices[0].finish_reason, null);
      assert.equal(typeof c.choices[0].delta.content, 'string');
    }
    const finish = chunks.at(-2);
    assert.deepEqual(finish.choices[0].delta, {});
    assert.equal(finish.choices[0].finish_reason, 'length');
    const usage = chunks.at(-1);
    assert.deepEqual(usage.choices, []);
    assert.equal(usage.usage.completion_tokens, 12);
    assert.equal(usage.usage.total_tokens, usage.usage.prompt_tokens + 12);
    assert.ok(usage.usage.prompt_tokens > 0);
  });
});

test('chat stream: time to first token and tokens per second follow the configuration', async () => {
  await withTarget(async (t) => {
    const N = 30;
    const runs = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const tokenTimes: number[] = [];
        let buf = '';
        const r = await hit(`${t.url}/v1/chat/completions`, {
          method: 'POST',
          body: chat({ stream: true, max_tokens: N }),
          onChunk: (at, text) => {
            buf += text;
            let i;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const ev = buf.slice(0, i);
              buf = buf.slice(i + 2);
              if (ev.startsWith('data: {') && JSON.parse(ev.slice(6)).choices[0]?.delta?.content) tokenTimes.push(at);
            }
          },
        });
        assert.equal(tokenTimes.length, N);
        return { ttft: tokenTimes[0]! - r.startMs, intervalMs: (tokenTimes.at(-1)! - tokenTimes[0]!) / (N - 1), total: r.ms };
      }),
    );
    const ttft = percentile(runs.map((r) => r.ttft), 50);
    const interval = percentile(runs.map((r) => r.intervalMs), 50);
    assert.ok(ttft >= TTFT - 2 && ttft <= TTFT + 60 + lagMs(), `median TTFT ${ttft.toFixed(1)} ms, configured ${TTFT}`);
    assert.ok(Math.abs(interval - 1000 / TPS) <= 0.15 * (1000 / TPS) + lagMs() / (N - 1), `median inter-token ${interval.toFixed(2)} ms, configured ${1000 / TPS}`);
    for (const r of runs) assert.ok(Math.abs(r.intervalMs - 1000 / TPS) <= 0.35 * (1000 / TPS) + (2 * lagMs()) / (N - 1), `a stream paced at ${r.intervalMs.toFixed(2)} ms/token`);
    // Target-side: service time = ttft + (N-1)/tps.
    const s = t.stats().routes['POST /v1/chat/completions']!.serviceTimeMs;
    const expected = TTFT + ((N - 1) * 1000) / TPS;
    assert.ok(s.p50 >= expected - 5 && s.p50 <= expected * 1.15 + 20 + lagMs(), `target p50 ${s.p50}, expected ≈ ${expected}`);
  });
});

test('fast streams keep the pace even when tokens are due faster than timers fire', async () => {
  await withTarget(async (t) => {
    const r = await hit(`${t.url}/fast/chat`, { method: 'POST', body: chat({ stream: true, max_tokens: 300 }) });
    const data = sseData(r.body);
    assert.equal(data.filter((d) => d.startsWith('{') && JSON.parse(d).choices[0]?.delta?.content).length, 300);
    const expected = 20 + 299; // ttft + 299 tokens at 1000/s
    assert.ok(r.ms >= expected - 5 && r.ms <= expected * 1.25 + 30 + lagMs(), `300 tokens at 1000/s took ${r.ms.toFixed(0)} ms, expected ≈ ${expected}`);
  });
});

test('non-streaming chat and completions answer with usage after ttft + n/tps', async () => {
  await withTarget(async (t) => {
    const r = await hit(`${t.url}/v1/chat/completions`, { method: 'POST', body: chat({ max_tokens: 10 }) });
    assert.equal(r.status, 200);
    const b = JSON.parse(r.body);
    assert.equal(b.object, 'chat.completion');
    assert.equal(b.choices[0].message.role, 'assistant');
    assert.equal(b.choices[0].message.content.split(/\s+/).length, 10);
    assert.equal(b.choices[0].finish_reason, 'length');
    assert.equal(b.usage.completion_tokens, 10);
    const expected = TTFT + 9 * 20;
    assert.ok(r.ms >= expected - 2 && r.ms <= expected + 80 + lagMs(), `took ${r.ms.toFixed(0)} ms, expected ≈ ${expected}`);

    const c = await hit(`${t.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', prompt: 'Once upon a time', max_tokens: 5 }) });
    const cb = JSON.parse(c.body);
    assert.equal(cb.object, 'text_completion');
    assert.equal(typeof cb.choices[0].text, 'string');
    assert.equal(cb.usage.completion_tokens, 5);

    // Without max_tokens the configured length (40) applies, finish_reason "stop".
    // maxTokens: cap — max_tokens above the sampled length does not lengthen the answer.
    const [d, e] = await Promise.all([
      hit(`${t.url}/v1/chat/completions`, { method: 'POST', body: chat({}) }).then((x) => JSON.parse(x.body)),
      hit(`${t.url}/capped`, { method: 'POST', body: chat({ max_tokens: 100 }) }).then((x) => JSON.parse(x.body)),
    ]);
    assert.equal(d.usage.completion_tokens, 40);
    assert.equal(d.choices[0].finish_reason, 'stop');
    assert.equal(e.usage.completion_tokens, 40);
  });
});

test('completions stream uses text_completion chunks', async () => {
  await withTarget(async (t) => {
    const r = await hit(`${t.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ prompt: 'hi', max_tokens: 4, stream: true }) });
    const data = sseData(r.body);
    assert.equal(data.at(-1), '[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    assert.equal(chunks.length, 5);
    for (const c of chunks) assert.equal(c.object, 'text_completion');
    assert.equal(chunks.at(-1).choices[0].finish_reason, 'length');
    assert.equal(chunks.slice(0, 4).map((c) => c.choices[0].text).join('').split(' ').length, 4);
  });
});

test('bad requests get 400 in OpenAI error shape', async () => {
  await withTarget(async (t) => {
    const cases: [string, string, string | null][] = [
      ['{not json', 'invalid JSON body', null],
      ['[]', 'expected a JSON object', null],
      ['{}', "'messages' must be a non-empty array", 'messages'],
      [chat({ max_tokens: 0 }), 'max_tokens', 'max_tokens'],
      [chat({ stream: 'yes' }), "'stream' must be a boolean", 'stream'],
    ];
    for (const [body, msg, param] of cases) {
      const r = await hit(`${t.url}/v1/chat/completions`, { method: 'POST', body });
      assert.equal(r.status, 400, body);
      const e = JSON.parse(r.body).error;
      assert.ok(e.message.includes(msg), e.message);
      assert.equal(e.type, 'invalid_request_error');
      assert.equal(e.param, param);
    }
    const s = await hit(`${t.url}/v1/completions`, { method: 'POST', body: '{"max_tokens":3}' });
    assert.equal(JSON.parse(s.body).error.param, 'prompt');
  });
});
