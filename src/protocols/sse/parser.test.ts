import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SseParser, type SseEvent } from './parser.js';

function parse(parts: Uint8Array[], maxLineBytes?: number): { events: SseEvent[]; retries: number[]; comments: string[]; malformed: string[] } {
  const out = { events: [] as SseEvent[], retries: [] as number[], comments: [] as string[], malformed: [] as string[] };
  const p = new SseParser(
    { onEvent: (e) => out.events.push(e), onRetry: (ms) => out.retries.push(ms), onComment: (c) => out.comments.push(c), onMalformed: (k) => out.malformed.push(k) },
    maxLineBytes === undefined ? {} : { maxLineBytes },
  );
  for (const b of parts) p.push(b);
  p.end();
  return out;
}

const enc = (s: string) => Buffer.from(s);

describe('SseParser', () => {
  it('follows the spec: BOM, comments, field without colon, one space stripped, unknown fields, id persists, NUL ids ignored, no data no event', () => {
    const r = parse([enc('\uFEFF: hi\nevent: a\ndata\ndata:  two\nfoo: bar\nid: 1\n\nevent: b\n\nid: x\0y\ndata: z\n\ndata: unterminated')]);
    assert.deepEqual(r.comments, ['hi']);
    assert.deepEqual(r.events, [
      { type: 'a', data: '\n two', id: '1' },
      { type: 'message', data: 'z', id: '1' },
    ]);
  });

  it('retry takes only digits', () => {
    assert.deepEqual(parse([enc('retry: 100\nretry: 1e3\nretry: -5\nretry:200\n\n')]).retries, [100, 200]);
  });

  it('any split gives the same events (CR, LF, CRLF, multi-byte characters)', () => {
    const line = fc.stringMatching(/^[a-zé€😀 :]{0,12}$/);
    const eol = fc.constantFrom('\n', '\r', '\r\n');
    const event = fc.tuple(fc.option(line, { nil: undefined }), fc.array(line, { minLength: 1, maxLength: 3 }), eol);
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (events, cuts) => {
        const text = events.map(([id, data, e]) => `${id === undefined ? '' : `id: ${id}${e}`}${data.map((d) => `data: ${d}${e}`).join('')}${e}`).join('');
        const bytes = enc(text);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const parts: Uint8Array[] = [];
        let at = 0;
        for (const p of points) {
          parts.push(bytes.subarray(at, p));
          at = p;
        }
        parts.push(bytes.subarray(at));
        assert.deepEqual(parse(parts).events, parse([bytes]).events);
        assert.equal(parse([bytes]).events.length, events.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a line over maxLineBytes (with or without a line end) and bytes that are not UTF-8 are malformed; events before them are kept', () => {
    assert.deepEqual(parse([enc('data: ok\n\ndata: '), enc('x'.repeat(100))], 50).malformed, ['line-too-long']);
    assert.deepEqual(parse([enc(`data: ${'x'.repeat(100)}\n\n`)], 50).malformed, ['line-too-long']);
    const bad = parse([Buffer.concat([enc('data: ok\n\ndata: '), Buffer.from([0xff]), enc('\n\n')])]);
    assert.deepEqual(bad.malformed, ['invalid-utf8']);
    assert.deepEqual(bad.events.map((e) => e.data), ['ok']);
  });
  it('onEventData gets the same events without an object; onUnknownField sees a line that is not SSE (an HTML page, a JSON body)', () => {
    const seen: Array<[string, string]> = [];
    const unknown: string[] = [];
    const p = new SseParser({ onEventData: (t, d) => void seen.push([t, d]), onUnknownField: (l) => void unknown.push(l) });
    const text = 'event: message_start\ndata: {"a":1}\n\n: a comment\nid: 7\nretry: 100\ndata: line one\ndata: line two\n\r\ndata: [DONE]\n\n';
    for (const b of enc(text)) p.push(Uint8Array.of(b));
    assert.deepEqual(seen, [
      ['message_start', '{"a":1}'],
      ['message', 'line one\nline two'],
      ['message', '[DONE]'],
    ]);
    assert.equal(p.lastEventId, '7');
    assert.deepEqual(unknown, []);
    p.push(enc('<html>\ndata: x'));
    assert.deepEqual(unknown, ['<html>']);
    assert.equal(p.unknownField, 1);
    assert.equal(p.midEvent, true);
  });

  it('stops at a too-long line even when the same read also holds bytes that are not UTF-8: one report, no event after it', () => {
    const bytes = Buffer.concat([enc('data: 0123456789abcdef\ndata: b\n\n'), Uint8Array.of(0xff), enc('\n')]);
    const out = parse([bytes], 8);
    assert.deepEqual(out.malformed, ['line-too-long']);
    assert.deepEqual(out.events, []);
  });

  it('an empty read between the CR and the LF of a CRLF does not make a blank line', () => {
    const out = parse([enc('data: a\r'), new Uint8Array(0), enc('\ndata: b\n\n')]);
    assert.deepEqual(out.events.map((e) => e.data), ['a\nb']);
  });
});
