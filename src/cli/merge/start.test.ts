import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startWarnings } from './start.js';

const at = (ms: number): string => new Date(Date.UTC(2026, 11, 24, 10) + ms).toISOString();

test('runners given one --start-at: only the skew between them', () => {
  const w = startWarnings([
    { file: 'a.json', startAt: at(0), startTime: at(1), startSkewMs: 1.2 },
    { file: 'b.json', startAt: at(0), startTime: at(3), startSkewMs: 3.0 },
  ]);
  assert.deepEqual(w, ['start skew between runners: 1.8 ms (each runner by its own clock)']);
});

test('runners given different instants (each resolved +6s itself): the merge says how far apart they started', () => {
  const w = startWarnings([
    { file: 'a.json', startAt: at(0), startTime: at(0), startSkewMs: -0.7 },
    { file: 'b.json', startAt: at(418), startTime: at(418), startSkewMs: -0.4 },
  ]);
  assert.equal(w.length, 2);
  assert.match(w[1]!, /different --start-at instants \(2026-12-24T10:00:00\.000Z, 2026-12-24T10:00:00\.418Z\) and started 418 ms apart/);
  assert.match(w[1]!, /give them all one RFC 3339 instant/);
});
