/**
 * volley/data feeders in a real run: a CSV dataset in a SharedArray, `feeder(rows, 'unique')` shared
 * by two scenarios on several VUs and worker threads: every row used exactly once; a CSV that does
 * not parse stops the run naming the file and line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runVolley, writeScript } from './helpers.js';

const ROWS = 12;

test("feeder 'unique': each CSV row exactly once across VUs, worker threads and two scenarios sharing it", async () => {
  const thresholds = Array.from({ length: ROWS }, (_, i) => `'rows_used{row:${i + 1}}': ['count==1']`).join(',\n    ');
  const script = writeScript(`
import { SharedArray, dataset, feeder } from 'volley/data';
import { Counter } from 'volley/metrics';
const rows = new SharedArray('users', () => dataset('./users.csv'));
const next = feeder(rows, 'unique');
const used = new Counter('rows_used');
export const options = {
  scenarios: {
    s: { executor: 'shared-iterations', vus: 4, iterations: ${ROWS / 2} },
    p: { executor: 'per-vu-iterations', vus: 2, iterations: ${ROWS / 4} },
  },
  thresholds: {
    rows_used: ['count==${ROWS}'],
    ${thresholds}
  },
};
export default function () {
  const r = next();
  used.add(1, { row: r.id });
}
`);
  writeFileSync(join(dirname(script), 'users.csv'), `id,email\n${Array.from({ length: ROWS }, (_, i) => `${i + 1},u${i + 1}@example.com`).join('\n')}\n`);
  const r = await runVolley(['run', script, '--workers', '2'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /2 workers/);
});

test('a dataset that does not parse stops the run with its file and line (exit 107)', async () => {
  const script = writeScript(`
import { SharedArray, dataset } from 'volley/data';
const rows = new SharedArray('users', () => dataset('./users.csv'));
export default function () {}
`);
  writeFileSync(join(dirname(script), 'users.csv'), 'id,email\n1,a@example.com\n2,"b@example.com\n');
  const r = await runVolley(['run', script], { timeoutMs: 60_000 });
  assert.equal(r.code, 107, r.stdout + r.stderr);
  assert.match(r.stderr, /users\.csv:3: a quoted field is never closed/);
});
