/**
 * `volley convert har|openapi|postman`: a HAR recording, an OpenAPI spec and a Postman collection
 * (test/convert/*) become typed tests that run against the target: every request of the smoke
 * scenario passes its checks (statuses, and OpenAPI's response schemas), grouped by page, tag or
 * folder, and the load scenario follows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { ROOT, runVolley } from './helpers.js';

let target: RunningTarget;
let tmp: string;
before(async () => {
  target = await startTarget({ port: 0 });
  tmp = mkdtempSync(join(tmpdir(), 'volley-convert-'));
});
after(async () => {
  await target.close();
});

const CASES: Array<{ format: string; file: string; requests: number; checks: number; groups: string[]; also?: RegExp }> = [
  { format: 'har', file: 'app.har', requests: 4, checks: 4, groups: ['Experiments dashboard', 'New experiment'], also: /\/api\/experiments\?limit=10/ },
  { format: 'openapi', file: 'api.openapi.yaml', requests: 5, checks: 10, groups: ['ops', 'experiments', 'assignments'], also: /body matches the schema/ },
  { format: 'postman', file: 'collection.postman.json', requests: 3, checks: 3, groups: ['Experiments', 'Experiments API'], also: /v\('user'\)/ },
];

describe('volley convert har|openapi|postman', () => {
  for (const c of CASES) {
    test(`${c.format}: the converted test runs against the target with every check passing`, async () => {
      const out = join(tmp, `${c.format}.ts`);
      const conv = await runVolley(['convert', c.format, join(ROOT, 'test', 'convert', c.file), '-o', out]);
      assert.equal(conv.code, 0, conv.stderr);
      const text = readFileSync(out, 'utf8');
      for (const g of c.groups) assert.ok(text.includes(`await group('${g}'`), `group ${g} in\n${text}`);
      if (c.also) assert.match(text, c.also);
      const exp = join(tmp, `${c.format}.json`);
      const r = await runVolley(['run', out, '--quiet', '-e', `BASE_URL=${target.url}`, '-e', 'LOAD_VUS=1', '-e', 'LOAD_DURATION=1s', '-e', 'LOAD_START=1s', '--summary-export', exp], { timeoutMs: 60_000 });
      assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}\n${text}`);
      const m = (JSON.parse(readFileSync(exp, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> }).metrics;
      // The smoke pass plus at least one load iteration.
      assert.ok(m.http_reqs!.values.count! >= 2 * c.requests, `http_reqs ${m.http_reqs!.values.count}`);
      assert.equal(m.checks!.values.fails, 0);
      assert.equal(m.checks!.values.passes! % c.checks, 0);
    });
  }

  test('a file of the wrong kind is a clear error', async () => {
    const r = await runVolley(['convert', 'openapi', join(ROOT, 'test', 'convert', 'app.har'), '-o', join(tmp, 'x.ts')]);
    assert.equal(r.code, 104);
    assert.match(r.stderr, /is not an OpenAPI 3 document/);
  });
});
