/**
 * What a hostile script or target does to the error reporting (issue 15): errors grouped by kind
 * with bounded memory and output, error text kept, distinct failures kept apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runVolley, writeScript } from './helpers.js';
import type { SummaryData } from '../src/summary/types.js';

test('unique script-error messages are grouped by kind: bounded export, bounded stderr', async () => {
  const script = writeScript(`
    export const options = { vus: 2, duration: '1500ms' };
    let n = 0;
    export default function () {
      n++;
      if (n % 3 === 0) throw new Error('order ' + Math.random() + ' for ' + crypto.randomUUID());
      // Letters are not folded: each of these is its own kind, past the cap they go to "other".
      throw new Error('kind ' + Math.random().toString(36).replace(/[0-9.]/g, ''));
    }`);
  const out = join(dirname(script), 's.json');
  const r = await runVolley(['run', script, '--summary-export', out]);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(readFileSync(out, 'utf8')) as SummaryData;
  const script_ = d.volley.errors.filter((e) => e.kind === 'script');
  const order = script_.find((e) => e.key === 'order <n> for <uuid>');
  assert.ok(order, JSON.stringify(script_.slice(0, 3)));
  assert.match(order.example ?? '', /^order 0\.\d+ for [0-9a-f-]{36}$/);
  assert.ok(order.count > 100, `count ${order.count}`);
  assert.ok(script_.length <= 201, `${script_.length} kinds kept`);
  const other = script_.find((e) => e.key === '(other kinds of script error)');
  assert.ok(other && other.count > 0, 'the kinds past the cap are counted');
  const total = script_.reduce((a, e) => a + e.count, 0);
  assert.equal(total, d.metrics.iterations?.values.count, 'every exception is counted once');
  assert.ok(statSync(out).size < 1_000_000, `export is ${statSync(out).size} bytes`);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('volley: script error:')).length;
  assert.ok(lines <= 5 * 3, `${lines} script-error lines printed`);
  assert.match(r.stderr, /more kinds of script error suppressed/);
  assert.ok(r.stderr.length < 50_000, `stderr is ${r.stderr.length} chars`);
});
