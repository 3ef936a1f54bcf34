import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseReader } from './sse.js';

const STREAM = 'event: message_start\ndata: {"a":1}\n\n: a comment\nid: 7\nretry: 100\ndata: line one\ndata: line two\n\r\ndata: [DONE]\n\n';

test('SSE: the same events whatever the split (byte by byte, one piece), CRLF, comments, multi-line data', () => {
  const whole: Array<[string, string]> = [];
  new SseReader().push(STREAM, (e, d) => void whole.push([e, d]));
  assert.deepEqual(whole, [
    ['message_start', '{"a":1}'],
    ['', 'line one\nline two'],
    ['', '[DONE]'],
  ]);
  const bytes: Array<[string, string]> = [];
  const r = new SseReader();
  for (const ch of STREAM) r.push(ch, (e, d) => void bytes.push([e, d]));
  assert.deepEqual(bytes, whole);
  assert.equal(r.malformed, 0);
  assert.equal(r.pending, '');
});

test('SSE: a non-SSE line is counted; a cut mid-event is visible; the callback can stop the read', () => {
  const r = new SseReader();
  r.push('<html>\ndata: x', () => undefined);
  assert.equal(r.malformed, 1);
  assert.equal(r.firstMalformed, '<html>');
  assert.equal(r.pending, 'data: x');
  const seen: string[] = [];
  const go = new SseReader().push('data: 1\n\ndata: 2\n\n', (_e, d) => {
    seen.push(d);
    return false;
  });
  assert.equal(go, false);
  assert.deepEqual(seen, ['1']);
});
