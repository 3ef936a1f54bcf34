import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseToxicLines } from './cli.js';

const problem = (line: string): string => {
  try {
    parseToxicLines([line]);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

test('--toxic names a value that is not a number, and an attribute the toxic does not have', () => {
  assert.match(problem('latency latency=100ms'), /--toxic #1 "latency latency=100ms": latency must be a plain number .*got "100ms"/);
  assert.match(problem('latency latencyy=100'), /a latency toxic has no attribute latencyy \(attributes: latency, jitter\)/);
  assert.deepEqual(parseToxicLines(['latency latency=100 jitter=10'])[0]?.attributes, { latency: 100, jitter: 10 });
});

test('--toxic: the bare word is the type, even when an attribute is named like another type', () => {
  const t = parseToxicLines(['reset_peer timeout=100'])[0]!;
  assert.equal(t.type, 'reset_peer');
  assert.deepEqual(t.attributes, { timeout: 100 });
  assert.equal(parseToxicLines(['latency=100'])[0]?.type, 'latency');
});
