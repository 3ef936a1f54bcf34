/**
 * k6/websockets' iteration semantics on the real executors (runScenario: real Vu, IterationRunner)
 * against `volley target`'s echo socket: an iteration whose function returned waits for its open
 * sockets, reports their handlers' errors, and never hangs on a socket that stays open.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { WebSocket } from '../src/protocols/ws/module.js';
import { runScenario } from '../src/worker/testing/run-scenario.js';

let target: RunningTarget;
const wsUrl = (): string => target.url.replace(/^http/, 'ws') + '/ws/echo';

describe('k6/websockets iterations', () => {
  before(async () => {
    target = await startTarget({ port: 0 });
  });
  after(async () => {
    await target.close();
  });

  test("an error thrown by the last socket's close handler is the iteration's error", async () => {
    const r = await runScenario({ scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 2 } } }, () => {
      const s = new WebSocket(wsUrl());
      s.onopen = () => s.close();
      s.onclose = () => {
        throw new Error('boom in onclose');
      };
    });
    assert.equal(r.completed, 2);
    assert.equal(r.exceptions.length, 2, `exceptions: ${r.exceptions.map(String).join(', ')}`);
    assert.match(String(r.exceptions[0]), /boom in onclose/);
  });

  test('an iteration reports one exception: the function’s, not also a handler’s error from a socket it left open', async () => {
    const r = await runScenario({ scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 2 } } }, () => {
      const s = new WebSocket(wsUrl());
      s.onopen = () => s.close();
      s.onclose = () => {
        throw new Error('boom in onclose');
      };
      throw new Error('boom in the function');
    });
    assert.equal(r.exceptions.length, 2, `exceptions: ${r.exceptions.map(String).join(', ')}`);
    for (const e of r.exceptions) assert.match(String(e), /boom in the function/);
  });

  test('a socket that never closes holds its iteration only until the hard stop (gracefulStop, maxDuration, gracefulRampDown), never completing it', async () => {
    const forever = (): void => {
      const s = new WebSocket(wsUrl());
      s.onopen = () => s.send('x');
    };
    for (const sc of [
      { executor: 'constant-vus', vus: 2, duration: '200ms', gracefulStop: '100ms' },
      { executor: 'per-vu-iterations', vus: 2, iterations: 1, maxDuration: '200ms', gracefulStop: '0s' },
      { executor: 'ramping-vus', startVUs: 2, stages: [{ duration: '100ms', target: 2 }, { duration: '100ms', target: 0 }], gracefulRampDown: '50ms', gracefulStop: '50ms' },
    ]) {
      const t0 = performance.now();
      const r = await runScenario({ scenarios: { s: sc } }, forever);
      const took = performance.now() - t0;
      assert.ok(took < 5000, `${sc.executor}: took ${took.toFixed(0)} ms`);
      assert.equal(r.completed, 0, `${sc.executor}: an iteration with an open socket completed`);
      // The executor does not wait for interrupted iterations: their sockets are terminated and settle them.
    }
  });

  test('a socket opened after its VU was stopped (in a catch after an aborted sleep) never opens', async () => {
    let opened = 0;
    let created = 0;
    let readyState = -1;
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    await runScenario({ scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '10s' } } }, async (vu) => {
      try {
        await vu.sleep(10_000);
      } catch {
        created++;
        const s = new WebSocket(wsUrl());
        readyState = s.readyState;
        s.onopen = () => opened++;
      }
    }, { stop: stop.signal });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(created, 1);
    assert.notEqual(readyState, WebSocket.CONNECTING, 'the handshake was started for a stopped VU');
    assert.equal(opened, 0);
  });
});
