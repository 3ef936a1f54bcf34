#!/usr/bin/env node
/**
 * LLM streaming: client CPU per streamed token, and whether the measured TTFT and ITL stay true, for
 * Volley's `volley/llm` (`llm.chat`, streamed, inside `volley run` with constant-vus, one worker) and
 * for the official `openai` npm client (6.x) streaming the same endpoint from a plain Node loop.
 *
 *   npm run build && node bench/llm-stream.mjs [--streams 1,50,200] [--seconds 10] [--tokens 64] [--tps 100] [--ttft 20]
 *
 * The endpoint is `volley target` (a child process on 127.0.0.1, a free port) with one llm-chat route
 * answering with a fixed TTFT (--ttft ms) and a fixed pace (--tps tokens/s per stream), `max_tokens`
 * setting the length exactly (--tokens). The streams start spread evenly over one answer's duration
 * (as independent users; all at once they would stay synchronised bursts). Per case (client × concurrent streams), --seconds long:
 * - tokens received (Volley: `llm_output_tokens`; openai: the usage blocks), requests, errors;
 * - client CPU: user + system of the whole client process (GNU time), minus the same client's
 *   one-request run (start-up: Node, imports; for Volley also bundling and the worker), ÷ tokens;
 *   for openai also `process.cpuUsage()` around the loops alone, as a cross-check;
 * - CPU share: that net CPU ÷ the case's seconds (1.0 = one core), and the streams one core would
 *   sustain at this pace: 10^6 / (CPU µs per token) / tps;
 * - truth: measured TTFT and pooled ITL at p50 and p95 against the target's ground truth
 *   (`GET /__volley/stats`, route `llm.ttftMs` / `llm.itlMs`: when the target actually wrote the
 *   tokens), within 2 ms + 2 % (issue 10);
 * - the target's own CPU share (from /proc), to show the client and not the target was the limit;
 * - a control for the machine: p99 of this (idle) bench process's event-loop delay over the window
 *   (beyond its 10 ms resolution): on a busy machine every process is scheduled late, clients and target alike.
 * Prints a Markdown table. Loopback only; each run has a hard deadline (seconds + 30 s).
 */
import { spawn, spawnSync } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from './lib/target.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: a } = parseArgs({
  options: {
    streams: { type: 'string', default: '1,50,200' },
    seconds: { type: 'string', default: '10' },
    tokens: { type: 'string', default: '64' },
    tps: { type: 'string', default: '100' },
    ttft: { type: 'string', default: '20' },
    clients: { type: 'string', default: 'volley,openai' },
    warm: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '1' },
  },
});
const SECONDS = Number(a.seconds);
const TPS = Number(a.tps);
const WARM = Number(a.warm);
/** Requests per stream left out of the client's samples (connections, JIT, the start burst). */
const WARM_ITERS = 2;
const dir = mkdtempSync(join(tmpdir(), 'volley-llm-bench-'));
const cpuModel = (spawnSync('lscpu', { encoding: 'utf8' }).stdout.match(/Model name:\s*(.*)/) ?? [])[1] ?? 'unknown';
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadStart = load();

/** utime + stime of a live process, seconds (its threads included), from /proc/PID/stat. */
function procCpuS(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

// The target: one llm-chat route, fixed TTFT and pace, length = max_tokens.
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const cfg = join(dir, 'target.json');
writeFileSync(cfg, JSON.stringify({ profile: 'none', routes: [{ kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: { fixed: Number(a.ttft) }, tokensPerSecond: { fixed: TPS }, maxTokens: 'exact' } }] }));
const target = spawn(process.execPath, [join(ROOT, 'bin/volley.js'), 'target', '--host', '127.0.0.1', '--port', String(port), '--config', cfg], { stdio: ['ignore', 'ignore', 'inherit'] });
const stopTarget = () => {
  if (target.exitCode === null && target.signalCode === null) target.kill('SIGTERM');
};
process.on('exit', stopTarget);
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/__volley/routes`)).ok) break;
  } catch { /* not yet */ }
  if (i > 100) throw new Error('volley target did not start');
  await new Promise((r) => setTimeout(r, 100));
}

const ROUTE = 'POST /v1/chat/completions';
async function truth() {
  const s = await (await fetch(`${base}/__volley/stats`)).json();
  return s.routes[ROUTE].llm;
}
const reset = () => fetch(`${base}/__volley/reset`, { method: 'POST' }).then((r) => r.arrayBuffer());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const within = (m, t) => Math.abs(m - t) <= 2 + 0.02 * t;

/**
 * One case. The client runs WARM + SECONDS + 1 s from its own start. The bench waits for its first
 * request at the target, lets it warm up WARM s, then measures a window of SECONDS: the target's
 * stats are reset at its start and read at its end (ground truth, streams completed), the client's
 * and the target's CPU read from /proc at both ends.
 */
async function runCase(client, streams) {
  const runS = WARM + SECONDS + 1;
  // Streams spread evenly over one answer's duration (TTFT + tokens / pace).
  const stagger = ((Number(a.ttft) + (Number(a.tokens) * 1000) / TPS) / streams).toFixed(3);
  const out = join(dir, 'summary.json');
  const args = client === 'openai'
    ? [join(ROOT, 'bench/scripts/openai-stream.mjs'), `${base}/v1`, String(streams), String(runS), a.tokens, String(WARM_ITERS), stagger]
    : [join(ROOT, 'bin/volley.js'), 'run', join(ROOT, 'bench/scripts/volley-llm-stream.mjs'), '--workers', '1', '--quiet', '--summary-export', out,
        '-e', `LLM_URL=${base}/v1`, '-e', `TOKENS=${a.tokens}`, '-e', `WARM=${WARM_ITERS}`, '-e', `STAGGER=${stagger}`, '-u', String(streams), '-d', `${runS}s`];
  await reset();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise((r) => child.once('exit', r));
  const deadline = setTimeout(() => child.kill('SIGKILL'), (runS + 60) * 1000);
  try {
    for (let i = 0; ; i++) {
      const s = await (await fetch(`${base}/__volley/stats`)).json();
      if (s.totals.count + s.inFlight > 0) break;
      if (child.exitCode !== null || i > 600) throw new Error(`${client} sent no request: ${stderr}`);
      await sleep(50);
    }
    await sleep(WARM * 1000);
    await reset();
    const c0 = procCpuS(child.pid);
    const t0 = procCpuS(target.pid);
    const w0 = performance.now();
    // A control for the machine: how late this idle process's own timers fire during the window.
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    await sleep(SECONDS * 1000);
    lag.disable();
    const c1 = procCpuS(child.pid);
    const t1 = procCpuS(target.pid);
    const wallS = (performance.now() - w0) / 1000;
    const truth = (await (await fetch(`${base}/__volley/stats`)).json()).routes[ROUTE].llm;
    const code = await exited;
    if (code !== 0) throw new Error(`${client} exited with ${code}: ${stderr}`);
    let m;
    if (client === 'openai') m = JSON.parse(stdout.trim().split('\n').at(-1));
    else {
      const x = JSON.parse(readFileSync(out, 'utf8')).metrics;
      const v = (name, k) => x[name]?.[k] ?? x[name]?.values?.[k];
      const T = 'llm_time_to_first_token{phase:steady}';
      const I = 'llm_inter_token_latency{phase:steady}';
      m = { tokens: v('llm_output_tokens', 'count'), requests: v('llm_reqs', 'count'), errors: v('llm_req_failed', 'passes') ?? 0,
        ttft: { p50: v(T, 'med'), p95: v(T, 'p(95)') }, itl: { p50: v(I, 'med'), p95: v(I, 'p(95)') } };
    }
    // Tokens in the window: streams the target completed in it × the exact length of each.
    const tokens = truth.streams * Number(a.tokens);
    const usPerToken = ((c1 - c0) * 1e6) / tokens;
    const ok = within(m.ttft.p50, truth.ttftMs.p50) && within(m.ttft.p95, truth.ttftMs.p95) && within(m.itl.p50, truth.itlMs.p50) && within(m.itl.p95, truth.itlMs.p95);
    const excess = Math.max(...[[m.ttft.p50, truth.ttftMs.p50], [m.ttft.p95, truth.ttftMs.p95], [m.itl.p50, truth.itlMs.p50], [m.itl.p95, truth.itlMs.p95]].map(([x, t]) => Math.abs(x - t) - (2 + 0.02 * t)));
    return { client, streams, ...m, excess, windowTokens: tokens, cpuS: c1 - c0, usPerToken, cpuShare: (c1 - c0) / wallS, perCore: 1e6 / usPerToken / TPS, truth, true: ok, targetShare: (t1 - t0) / wallS, lagP99: lag.percentile(99) / 1e6 - 10, load: load() };
  } finally {
    clearTimeout(deadline);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const clients = a.clients.split(',');
const rows = [];
for (let round = 1; round <= Number(a.rounds); round++) {
  for (const streams of a.streams.split(',').map(Number)) {
    for (const c of clients) {
      const row = { round, ...(await runCase(c, streams)) };
      rows.push(row);
      console.error(`# ${c} ${streams} streams: ${row.windowTokens} tokens in the window, ${row.usPerToken.toFixed(1)} µs/token, ${row.true ? 'true' : 'NOT true'} (load ${row.load})`);
    }
  }
}
stopTarget();
rmSync(dir, { recursive: true, force: true });

const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
console.log(`llm-chat on volley target: TTFT ${a.ttft} ms, ${TPS} tokens/s per stream, ${a.tokens} tokens per answer; ${SECONDS} s per case`);
console.log(`CPU: ${cpuModel}; Node ${process.version}; load average ${loadStart} at the start, ${load()} at the end`);
console.log(`window: ${SECONDS} s after ${WARM} s of warm-up; tokens = streams the target completed in the window × ${a.tokens}\n`);
console.log('| client | streams | tokens in window | client CPU µs/token | client CPU share | streams/core at this pace | TTFT p50 / p95 ms (truth) | ITL p50 / p95 ms (truth) | true (2 ms + 2 %) | worst excess ms | target CPU share | bench timer lag p99 ms | errors | load |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.client === 'volley' ? 'volley/llm' : 'openai 6'} | ${r.streams} | ${r.windowTokens} | ${f(r.usPerToken, 1)} | ${f(r.cpuShare)} | ${f(r.perCore, 0)} | ${f(r.ttft.p50)} / ${f(r.ttft.p95)} (${f(r.truth.ttftMs.p50)} / ${f(r.truth.ttftMs.p95)}) | ${f(r.itl.p50)} / ${f(r.itl.p95)} (${f(r.truth.itlMs.p50)} / ${f(r.truth.itlMs.p95)}) | ${r.true ? 'yes' : 'no'} | ${r.true ? '—' : f(r.excess)} | ${f(r.targetShare)} | ${f(r.lagP99, 1)} | ${r.errors} | ${r.load} |`);
}
