/**
 * What a hostile script or target does to the runtime (issue 15): scripts that never yield, targets
 * that never answer, nonsense sizes, signals; and VU ids, guidance and console output that must hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runVolley, startTestServer, writeScript } from './helpers.js';
import type { SummaryData } from '../src/summary/types.js';

function readSummary(script: string): SummaryData {
  return JSON.parse(readFileSync(join(dirname(script), 'summary.json'), 'utf8')) as SummaryData;
}

test('__VU and exec.vu.idInTest run 1..N across worker threads, as in k6', async () => {
  const server = await startTestServer();
  try {
    const script = writeScript(
      `import http from 'volley/http';
       import exec from 'volley/execution';
       export const options = { scenarios: {
         a: { executor: 'per-vu-iterations', vus: 5, iterations: 1 },
         b: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '300ms', target: 3 }], startTime: '0s', gracefulRampDown: '0s' },
       } };
       export default async function () {
         if (__ITER === 0) await http.get('${server.url}/vu/' + __VU + '/' + exec.vu.idInTest);
       }`,
    );
    const r = await runVolley(['run', script, '--quiet', '--workers', '2', '--no-summary']);
    assert.equal(r.code, 0, r.stderr);
    const ids = [...server.counts.keys()].filter((p) => p.startsWith('/vu/')).map((p) => p.split('/'));
    for (const [, , vu, idInTest] of ids) assert.equal(vu, idInTest);
    const seen = ids.map((p) => Number(p[2])).sort((x, y) => x - y);
    // 5 VUs of scenario a and up to 3 of b: ids 1..8 without holes or repeats.
    assert.deepEqual(seen, [...new Set(seen)]);
    assert.ok(seen.length >= 6, `ids ${seen.join(',')}`);
    assert.ok(seen.every((v) => v >= 1 && v <= 8), `ids ${seen.join(',')}`);
    for (let v = 1; v <= 5; v++) assert.ok(seen.includes(v), `VU ${v} missing from ${seen.join(',')}`);
  } finally {
    await server.close();
  }
});
