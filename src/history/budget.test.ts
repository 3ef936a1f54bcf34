import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBudgets } from './budget.js';

test('budgets parse: metric, stat, sign, limit, route', () => {
  const [a, b, c] = parseBudgets(['http_req_duration:p(95)=+10%', 'http_reqs:rate=-5%', 'http_req_duration{name:/api/x}:p(99)=+12.5%']);
  assert.deepEqual([a!.metric, a!.stat, a!.sign, a!.limit, a!.route], ['http_req_duration', 'p(95)', 1, 0.1, undefined]);
  assert.deepEqual([b!.metric, b!.stat, b!.sign, b!.limit], ['http_reqs', 'rate', -1, 0.05]);
  assert.deepEqual([c!.route, c!.limit], ['/api/x', 0.125]);
});

test('bad budgets: every one reported, naming the value, exit 104', () => {
  try {
    parseBudgets(['p95=+10', 'http_req_duration:p(95)=+10', 'http_req_duration:p(95)=10%', 'http_req_duration=+10%', 'http_reqs:rate=-5%']);
    assert.fail('should throw');
  } catch (e) {
    const err = e as { code: string; exitCode: number; message: string };
    assert.equal(err.code, 'E_BUDGET');
    assert.equal(err.exitCode, 104);
    assert.match(err.message, /"p95=\+10"/);
    assert.match(err.message, /"\+10" needs a "%"/);
    assert.match(err.message, /needs a sign/);
    assert.match(err.message, /"http_req_duration" needs a statistic/);
    assert.equal(err.message.split('\n').length, 4);
  }
});
