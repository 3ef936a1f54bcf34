import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LevelSums } from './levels.js';
import type { DeltaEntry } from './store.js';

const g = (metric: string, last: number, t: number, min = last, max = last): DeltaEntry => ({ metric, part: 'total', key: '', delta: { k: 'g', last, min, max, t } });

test('a level is the sum of every worker’s newest count; other entries pass untouched', () => {
  const s = new LevelSums(new Set(['llm_in_flight']));
  const other: DeltaEntry = { metric: 'http_reqs', part: 'total', key: '', delta: { k: 'c', sum: 3 } };
  const plain = [other];
  assert.equal(s.sum(0, plain), plain, 'no level: the same array');
  assert.deepEqual(s.sum(0, [g('llm_in_flight', 3, 100), other]), [g('llm_in_flight', 3, 100), other]);
  assert.deepEqual(s.sum(1, [g('llm_in_flight', 2, 90, 0, 2)])[0]!.delta, { k: 'g', last: 5, min: 3, max: 5, t: 100 }, 'as new as the newest change');
  assert.deepEqual(s.sum(0, [g('llm_in_flight', 1, 120)])[0]!.delta, { k: 'g', last: 3, min: 3, max: 3, t: 120 });
  // Another gauge (not a level) keeps the worker's own value.
  assert.deepEqual(s.sum(1, [g('vus_custom', 7, 130)])[0]!.delta, g('vus_custom', 7, 130).delta);
});

test('each sub-metric or row of a level is summed on its own', () => {
  const s = new LevelSums(new Set(['ws_open']));
  const sub = (last: number, key: string): DeltaEntry => ({ metric: 'ws_open', part: 'sub', key, delta: { k: 'g', last, min: last, max: last, t: 1 } });
  s.sum(0, [sub(2, 'ws_open{a:1}'), sub(4, 'ws_open{a:2}')]);
  const r = s.sum(1, [sub(1, 'ws_open{a:1}'), sub(1, 'ws_open{a:2}')]);
  assert.deepEqual(r.map((e) => (e.delta as { last: number }).last), [3, 5]);
});
