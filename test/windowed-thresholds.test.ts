/**
 * Windowed thresholds and error budgets end to end: a real run against a loopback server that is
 * slow for one second in the middle of the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVolley, startTestServer, writeScript } from './helpers.js';

/** A server answering /api in 1 ms, except from 2 s to 3 s after its first request: 150 ms. */
async function slowSecondServer() {
  let first = 0;
  return startTestServer((req, res) => {
    if (!req.url?.startsWith('/api')) return false;
    const now = Date.now();
    first ||= now;
    const t = now - first;
    setTimeout(() => res.end('{"ok":true}'), t >= 2000 && t < 3000 ? 150 : 1);
    return true;
  });
}

const script = (thresholds: string) => `
import http from 'volley/http';
export const options = {
  scenarios: { s: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '7s', preAllocatedVUs: 10 } },
  thresholds: ${thresholds},
};
export default function () { http.get(__ENV.BASE_URL + '/api'); }
`;

test('a windowed threshold fails on the slow second that the whole-run percentile hides; a budget is shown', async () => {
  const server = await slowSecondServer();
  const out = join(mkdtempSync(join(tmpdir(), 'volley-windowed-')), 'summary.json');
  try {
    const path = writeScript(script(`{ http_req_duration: ['p(80)<100 for 2s', 'p(80)<100'], http_req_failed: ['rate<0.01 budget over 30d'] }`));
    const r = await runVolley(['run', path, '-e', `BASE_URL=${server.url}`, '--summary-export', out]);
    assert.equal(r.code, 99, r.stdout + r.stderr);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    const [windowed, plain, budget] = s.volley.thresholds;
    assert.equal(plain.ok, true, `whole-run p(80) ${plain.value}: one slow second in seven is ~14 % of requests`);
    assert.equal(windowed.ok, false);
    assert.ok(windowed.value >= 100, `worst window p(80) ${windowed.value}`);
    assert.ok(windowed.window.failed >= 1 && windowed.window.windows >= 4, JSON.stringify(windowed.window));
    assert.equal(budget.ok, true);
    assert.equal(budget.budget.used, 0);
    assert.ok(budget.budget.events >= 100, JSON.stringify(budget.budget));
    assert.match(r.stdout, /✗ 'p\(80\)<100 for 2s' p\(80\)=\d+.*\(worst of \d+ sliding 2s windows, starting at \ds; \d+ failed/);
    assert.match(r.stdout, /'rate<0.01 budget over 30d' rate=0\.00% budget: 0 of \d+(\.\d)? bad events used \(0 %\), \d+(\.\d)? left, burn rate 0\.00×; no burn of the 30d budget/);
  } finally {
    await server.close();
  }
});

test('a windowed threshold with abortOnFail stops the run while it runs', async () => {
  const server = await slowSecondServer();
  const out = join(mkdtempSync(join(tmpdir(), 'volley-windowed-')), 'summary.json');
  try {
    const path = writeScript(script(`{ http_req_duration: [{ threshold: 'p(80)<100 for 2s', abortOnFail: true }] }`));
    const r = await runVolley(['run', path, '-e', `BASE_URL=${server.url}`, '--summary-export', out, '--quiet']);
    assert.equal(r.code, 99, r.stdout + r.stderr);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(s.volley.verdict.aborted, true);
    assert.ok(s.state.testRunDurationMs < 6500, `stopped at ${s.state.testRunDurationMs} ms, before the 7 s end`);
  } finally {
    await server.close();
  }
});
