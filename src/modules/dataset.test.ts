import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countTokens } from '../protocols/llm/tokens.js';
import { dataset, feeder, parseCsv, parseDataset, parseJsonl, syntheticPrompts } from './dataset.js';

test('CSV: header, quotes, doubled quotes, newlines inside quotes, CRLF', () => {
  const rows = parseCsv('id,prompt\r\n1,"a, b"\n2,"say ""hi""\nthen"\n', 'p.csv');
  assert.deepEqual(rows, [
    { id: '1', prompt: 'a, b' },
    { id: '2', prompt: 'say "hi"\nthen' },
  ]);
});

test('bad files: the error names the file and the line', () => {
  assert.throws(() => parseJsonl('{"a":1}\n\n{"b":\n', 'prompts.jsonl'), /prompts\.jsonl:3: not a JSON value/);
  assert.throws(() => parseCsv('a,b\n1,2\n3\n', 'u.csv'), /u\.csv:3: 1 fields, the header has 2/);
  assert.throws(() => parseCsv('a\n"open\n', 'u.csv'), /u\.csv:2: a quoted field is never closed/);
  assert.throws(() => parseDataset('{"a":1}', 'x.json'), /x\.json: a \.json dataset must be an array/);
  assert.throws(() => parseDataset('[1,\n2 x]', 'x.json'), /x\.json:2: not valid JSON/);
  assert.throws(() => parseDataset('', 'x.txt'), /unknown dataset type/);
  const dir = mkdtempSync(join(tmpdir(), 'volley-data-'));
  writeFileSync(join(dir, 'p.jsonl'), '{"prompt":"hi"}\n{"prompt":"yo"}\n');
  assert.deepEqual(dataset(join(dir, 'p.jsonl')), [{ prompt: 'hi' }, { prompt: 'yo' }]);
  assert.throws(() => dataset(join(dir, 'missing.csv')), /cannot read dataset .*missing\.csv: no such file/);
});

test('feeders: sequential wraps, unique runs out with an error, random is seeded, per-vu is stable', () => {
  const rows = ['a', 'b', 'c'];
  const seq = feeder(rows, 'sequential');
  assert.deepEqual([seq(), seq(), seq(), seq()], ['a', 'b', 'c', 'a']);
  const uniq = feeder(rows, 'unique');
  assert.deepEqual([uniq(), uniq(), uniq()], ['a', 'b', 'c']);
  assert.throws(() => uniq(), /all 3 rows are used/);
  const r1 = feeder(rows, 'random', 7);
  const r2 = feeder(rows, 'random', 7);
  const a = Array.from({ length: 30 }, r1);
  assert.deepEqual(a, Array.from({ length: 30 }, r2));
  assert.equal(new Set(a).size, 3);
  const pv = feeder(rows, 'per-vu');
  assert.equal(pv(), pv());
  assert.throws(() => feeder([], 'sequential'), /empty/);
  assert.throws(() => feeder(rows, 'shuffled' as never), /unknown order/);
});

test('synthetic prompts follow the input-length distribution, in o200k tokens', async () => {
  const fixed = syntheticPrompts({ count: 5, mean: 64, seed: 3 });
  for (const p of fixed) assert.equal(await countTokens(p), 64);
  const spread = syntheticPrompts({ count: 400, mean: 200, stddev: 40, seed: 3 });
  const lens = await Promise.all(spread.map((p) => countTokens(p)));
  const mean = lens.reduce((s, x) => s + x, 0) / lens.length;
  const sd = Math.sqrt(lens.reduce((s, x) => s + (x - mean) ** 2, 0) / lens.length);
  assert.ok(Math.abs(mean - 200) < 8, `mean ${mean}`);
  assert.ok(Math.abs(sd - 40) < 6, `stddev ${sd}`);
  assert.deepEqual(syntheticPrompts({ count: 3, mean: 10, stddev: 3, seed: 9 }), syntheticPrompts({ count: 3, mean: 10, stddev: 3, seed: 9 }));
});
