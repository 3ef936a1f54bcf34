/**
 * volley/workflow against a real server: Locust's user model — weighted user classes, weighted and
 * sequential tasks, nested sets left with interrupt(), Markov chains, wait times, onStart/onStop,
 * the users executor — checked by what the server saw and by the run's metrics.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runVolley, startTestServer, writeScript, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('task weights, user class mix, sequences, nested sets, Markov transitions, onStart/onStop', async () => {
  server.counts.clear();
  const script = writeScript(`
    import http from 'volley/http';
    import { user, task, sequence, markov, constant, workflow } from 'volley/workflow';
    export const options = { scenarios: { w: { executor: 'per-vu-iterations', vus: 8, iterations: 200 } } };
    const B = __ENV.BASE_URL;
    const get = (p) => http.get(B + p);
    const Shopper = user({
      name: 'shopper', weight: 3,
      state: () => ({ started: false }),
      onStart: async (u) => { u.state.started = true; await get('/start'); },
      onStop: async () => { await get('/stop'); },
      tasks: [
        task('browse', async (u) => { if (!u.state.started) throw new Error('no onStart'); await get('/browse'); }, 3),
        task('checkout', sequence([task('cart', () => get('/cart')), task('pay', async (u) => { await get('/pay'); u.interrupt(); })]), 1),
      ],
    });
    const Reader = user({
      name: 'reader', weight: 1, waitTime: constant(0),
      tasks: markov({ start: 'list', tasks: [task('list', () => get('/list')), task('item', () => get('/item'))], next: { list: { item: 1 }, item: { list: 1, item: 1 } } }),
    });
    export default workflow([Shopper, Reader]);`);
  const out = join(dirname(script), 'summary.json');
  const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${server.url}`, '--summary-export', out]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const c = (p: string) => server.counts.get(p) ?? 0;
  // 8 VUs, weights 3:1 → 6 shoppers, 2 readers; each VU runs 200 tasks.
  assert.equal(c('/start'), 6);
  assert.equal(c('/stop'), 6, 'onStop runs once per shopper when the test ends');
  const shopperTasks = 6 * 200;
  // A shopper task is browse (weight 3) or one step of the nested sequence (entered with weight 1,
  // left after pay): in the long run browse takes 3 of every 5 tasks, cart and pay 1 each.
  assert.ok(Math.abs(c('/browse') / shopperTasks - 0.6) < 0.06, `browse share ${c('/browse') / shopperTasks}`);
  assert.ok(Math.abs(c('/cart') - c('/pay')) <= 6, `cart ${c('/cart')} and pay ${c('/pay')} alternate`);
  assert.equal(c('/browse') + c('/cart') + c('/pay'), shopperTasks);
  // Markov: list → item always; item → list or item, 1:1. Stationary share of item: 2/3.
  const readerTasks = 2 * 200;
  assert.equal(c('/list') + c('/item'), readerTasks);
  assert.ok(Math.abs(c('/item') / readerTasks - 2 / 3) < 0.08, `item share ${c('/item') / readerTasks}`);
  const sum = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(sum.metrics.iterations.values.count, 8 * 200);
});

test('executor users: users, spawn rate and duration; pacing keeps each user at its task rate; samples carry user and task tags', async () => {
  server.counts.clear();
  const script = writeScript(`
    import http from 'volley/http';
    import { user, task, constantPacing, workflow } from 'volley/workflow';
    export const options = {
      scenarios: { crowd: { executor: 'users', users: 4, spawnRate: 4, duration: '3s' } },
      thresholds: { 'http_req_duration{task:tick}': ['max<1000'], 'http_req_duration{user:pacer}': ['max<1000'] },
    };
    export default workflow(user({ name: 'pacer', waitTime: constantPacing(0.25), tasks: [task('tick', () => http.get(__ENV.BASE_URL + '/tick'))] }));`);
  const out = join(dirname(script), 'summary.json');
  const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${server.url}`, '--summary-export', out]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  // 4 users ramped in over 1 s then held to 3 s, one task every 250 ms each: about 4 × 4 × (3 − 0.5) = 40.
  const ticks = server.counts.get('/tick') ?? 0;
  assert.ok(ticks >= 28 && ticks <= 48, `${ticks} ticks`);
  const sum = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(sum.metrics['http_req_duration{task:tick}'].values.count ?? ticks, ticks);
  assert.ok(sum.metrics['http_req_duration{user:pacer}']);
});

test('executor users: bad fields are named', async () => {
  const script = writeScript(`
    export const options = { scenarios: { crowd: { executor: 'users', users: 0, spawnRate: -1, durtion: '1s' } } };
    export default function () {}`);
  const r = await runVolley(['run', script, '--quiet']);
  assert.equal(r.code, 104, r.stderr);
  assert.match(r.stderr, /scenarios\.crowd\.users/);
  assert.match(r.stderr, /scenarios\.crowd\.spawnRate: must be a number of users per second above 0/);
  assert.match(r.stderr, /scenarios\.crowd\.durtion: unknown option; did you mean "duration"\?/);
});
