/**
 * `volley run --dashboard` end to end: the CLI serves the dashboard on loopback, the browser feed
 * (Server-Sent Events) carries live updates from the real run, and the final summary at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWithDashboard, startTestServer, writeScript } from './helpers.js';
import { startTarget } from '../src/target/index.js';

test('volley run --dashboard streams live updates and the final summary over SSE', async () => {
  const server = await startTestServer();
  const script = writeScript(`
    import http from 'volley/http';
    import { sleep } from 'volley';
    export const options = { vus: 2, duration: '4s', thresholds: { http_req_duration: ['p(95)<5000'] } };
    export default async function () { await http.get(__ENV.BASE_URL + '/ok'); await sleep(0.05); }`);
  try {
    const { events, code } = await runWithDashboard([script, '-e', `BASE_URL=${server.url}`]);
    assert.ok(events.some((e) => e.event === 'update'));
    const end = events.find((e) => e.event === 'end');
    assert.ok(end);
    // The end event carries the summary of this run: its request count is in there.
    assert.match(JSON.stringify(end.data), /http_reqs/);
    assert.equal(code, 0);
  } finally {
    await server.close();
  }
});

/** Runs `script` with `--dashboard` and returns the SSE events it streamed (name, parsed data), up to `end`. */
async function dashboardEvents(script: string, env: string[]): Promise<Array<{ event: string; data: any }>> {
  return (await runWithDashboard([script, ...env.flatMap((e) => ['-e', e])])).events;
}

test('--dashboard: the tables protocols declare (LLM ROUTES) arrive live for an LLM run, none for a plain HTTP run', async () => {
  const t = await startTarget({
    profile: 'none',
    routes: [
      { kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: { fixed: 50 }, tokensPerSecond: { fixed: 40 }, outputTokens: { fixed: 12 } } } as never,
      { kind: 'static', path: '/ok' } as never,
    ],
  });
  try {
    const llmRun = await dashboardEvents(
      writeScript(`
        import llm from 'volley/llm';
        export const options = { vus: 3, duration: '3s' };
        export default async function () {
          await llm.chat({ baseUrl: __ENV.LLM_URL, model: 'sim', messages: [{ role: 'user', content: 'Hi' }], tags: { name: 'assistant' } });
        }`),
      [`LLM_URL=${t.url}/v1`],
    );
    const start = llmRun.find((e) => e.event === 'start' || e.event === 'init')!;
    const meta = start.event === 'start' ? start.data : start.data.meta;
    const updates = llmRun.filter((e) => e.event === 'update').map((e) => e.data);
    // Live: an update during the run (not only the end) carries the table, rows busiest first.
    const live = updates.find((u) => u.tables.length > 0 && !u.live.done);
    assert.ok(live, `an update with the declared table: ${JSON.stringify(updates.map((u) => u.tables))}; meta ${JSON.stringify(meta)}`);
    const table = live.tables[0];
    assert.equal(table.title, 'LLM ROUTES');
    assert.equal(table.breakdown, 'llm_route');
    assert.deepEqual(table.labels.slice(0, 3), ['REQS', 'ERRORS', 'TTFT P50']);
    assert.equal(table.rows[0].name, 'assistant sim');
    assert.ok(Number(table.rows[0].cells[0]) >= 1, table.rows[0].cells.join(' | '));
    // The count grows as the run goes.
    const counts = updates.filter((u) => u.tables.length > 0).map((u) => Number(u.tables[0].rows[0].cells[0]));
    assert.ok(counts.at(-1)! > counts[0]!, counts.join(', '));
    // The in-flight column reaches the page's rows too.
    assert.ok(updates.some((u) => (u.row?.v.llm_in_flight ?? 0) >= 1), 'llm_in_flight in the live rows');
    const end = llmRun.find((e) => e.event === 'end')!.data;
    assert.equal(end.tables[0].title, 'LLM ROUTES');
    assert.equal(end.tables[0].rows[0].cells[0], String(end.summary.metrics.llm_reqs.values.count), 'the final table counts every call');

    const httpRun = await dashboardEvents(
      writeScript(`
        import http from 'volley/http';
        import { sleep } from 'volley';
        export const options = { vus: 2, duration: '2s' };
        export default async function () { await http.get(__ENV.BASE_URL + '/ok'); await sleep(0.05); }`),
      [`BASE_URL=${t.url}`],
    );
    const httpUpdates = httpRun.filter((e) => e.event === 'update').map((e) => e.data);
    assert.ok(httpUpdates.length > 0);
    assert.ok(httpUpdates.some((u) => u.routes.length > 0), 'HTTP routes listed');
    assert.ok(httpUpdates.every((u) => Array.isArray(u.tables) && u.tables.length === 0), JSON.stringify(httpUpdates.map((u) => u.tables)));
    assert.deepEqual(httpRun.find((e) => e.event === 'end')!.data.tables, []);
  } finally {
    await t.close();
  }
});
