#!/usr/bin/env node
// Volley against its peers, side by side in one run: `npm run bench` (see bench/README.md).
//
// 1. Finds or installs wrk, nginx, GNU time, taskset, python3-locust (apt) and autocannon (npm); builds Volley.
// 2. Starts a fixed fast target pinned to CPU 0: nginx with one worker (default) or `--target volley`.
// 3. Pinned to CPU 1, alternating in every round (wrk, autocannon, Volley, wrk, ...): a plain GET and a
//    scripted GET (status check + JSON field), 64 connections/VUs each, same duration. Measures req/s from
//    each tool's own output, CPU seconds (GNU time: the tool and everything it waited for, start-up
//    included) per 10,000 requests, peak RSS. Prints medians over the rounds and Volley's ratios.
// 4. Memory per sleeping VU at 10,000 VUs (Volley vs Locust), and arrival-rate accuracy at 10,000/s.
// Only 127.0.0.1; every run has a hard deadline; only processes started here are stopped, by PID.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runMeasured, killAllStarted, median } from './lib/measure.mjs';
import { ensureTools, toolVersions, machineInfo } from './lib/tools.mjs';
import { startTarget } from './lib/target.mjs';
import { throughputCommand, memoryCommand, arrivalCommand, startupCommand } from './lib/peers.mjs';
import { profileReport } from './lib/profile.mjs';
import { medians, throughputReport, memoryReport, arrivalAnalysis, arrivalReport, verdictLines, label } from './lib/report.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const HELP = `Usage: npm run bench -- [options]

Volley vs wrk, autocannon and Locust on this machine (see bench/README.md).

Options:
  --quick                 1 round, 3 s throughput runs, 15 s memory runs, 5 s arrival run
  --only <list>           comma-separated sections and/or tools to run:
                          sections: plain, scripted, throughput (= plain,scripted), memory, arrival,
                          profile (only when named, or with --profile)
                          tools: wrk, autocannon, volley, locust   (default: everything)
  --rounds <n>            throughput rounds, alternating the tools (default 3; --quick: 1)
  --duration <s>          seconds per throughput run (default 10; --quick: 3)
  --connections <n>       connections / VUs per throughput run (default 64)
  --target <kind>         nginx (default) or volley (the built-in target service's fast route)
  --memory-vus <n>        sleeping VUs / Locust users (default 10000)
  --memory-duration <s>   seconds per memory run (default 40; --quick: 15)
  --locust-user <class>   Locust's user class in the memory runs: http (HttpUser), fast (FastHttpUser)
                          or both (default)
  --arrival-rate <n>      iterations per second (default 10000)
  --arrival-duration <s>  seconds (default 30; --quick: 5)
  --profile               also run Volley's plain and scripted GET once under node --cpu-prof and print
                          where its CPU time goes (per thread: areas and functions by self time)
  --json <file>           also write every measurement as JSON to this file
  --no-install            do not install missing tools (say what is missing instead)
  --no-build              do not run \`npm run build\` first
  --keep                  keep the temporary directory (nginx config, time reports, summaries)
  -h, --help              this help`;

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string', default: '64' },
      target: { type: 'string', default: 'nginx' },
      'memory-vus': { type: 'string', default: '10000' },
      'memory-duration': { type: 'string' },
      'locust-user': { type: 'string', default: 'both' },
      'arrival-rate': { type: 'string', default: '10000' },
      'arrival-duration': { type: 'string' },
      json: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-install': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const q = values.quick;
  const num = (name, v, def, { min = 1, integer = true } = {}) => {
    const n = Number(v ?? def);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) usage(`--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min} (got "${v}")`);
    return n;
  };
  const SECTIONS = new Set(['plain', 'scripted', 'memory', 'arrival', 'profile']);
  const TOOLS = new Set(['wrk', 'autocannon', 'volley', 'locust']);
  let sections = ['plain', 'scripted', 'memory', 'arrival'];
  if (values.profile) sections.push('profile');
  let tools = [...TOOLS];
  if (values.only !== undefined) {
    const want = values.only.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean).flatMap((s) => (s === 'throughput' ? ['plain', 'scripted'] : [s]));
    const bad = want.filter((s) => !SECTIONS.has(s) && !TOOLS.has(s));
    if (bad.length > 0 || want.length === 0) usage(`--only: unknown ${bad.map((b) => `"${b}"`).join(', ') || 'empty list'}; use ${[...SECTIONS, 'throughput', ...TOOLS].join(', ')}`);
    if (want.some((s) => SECTIONS.has(s))) sections = [...SECTIONS].filter((s) => want.includes(s) || (s === 'profile' && values.profile));
    if (want.some((s) => TOOLS.has(s))) tools = tools.filter((t) => want.includes(t));
  }
  if (!['http', 'fast', 'both'].includes(values['locust-user'])) usage(`--locust-user must be http, fast or both (got "${values['locust-user']}")`);
  if (values.target !== 'nginx' && values.target !== 'volley') usage(`--target must be nginx or volley (got "${values.target}")`);
  return {
    quick: q,
    sections,
    tools,
    rounds: num('rounds', values.rounds, q ? 1 : 3),
    durationS: num('duration', values.duration, q ? 3 : 10),
    connections: num('connections', values.connections, 64),
    target: values.target,
    memoryVus: num('memory-vus', values['memory-vus'], 10000, { min: 20 }),
    locustUsers: values['locust-user'] === 'both' ? ['http', 'fast'] : [values['locust-user']],
    memoryDurationS: num('memory-duration', values['memory-duration'], q ? 15 : 40, { min: 5 }),
    arrivalRate: num('arrival-rate', values['arrival-rate'], 10000),
    arrivalDurationS: num('arrival-duration', values['arrival-duration'], q ? 5 : 30, { min: 3 }),
    json: values.json,
    install: !values['no-install'],
    build: !values['no-build'],
    keep: values.keep,
  };
}

function usage(msg) {
  console.error(`bench: ${msg}\n\n${HELP}`);
  process.exit(2);
}

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The CPUs: target on 0, generators on 1 (with fewer than 2 CPUs, nothing is pinned and the report says so). */
const TARGET_CPU = 0;
const TOOL_CPU = 1;
/** VUs / users of the memory runs' base (the "idle base": the same script with a handful of VUs). */
const MEMORY_BASE_USERS = 10;

async function main() {
  const o = options();
  const started = new Date();
  const work = mkdtempSync(join(tmpdir(), 'volley-bench-'));
  let target = null;
  const cleanup = async () => {
    await killAllStarted();
    if (target) await target.stop();
    if (!o.keep) rmSync(work, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      log(`${sig}: stopping the processes this run started`);
      cleanup().finally(() => process.exit(130));
    });
  }
  try {
    const throughputCases = o.sections.filter((s) => s === 'plain' || s === 'scripted');
    const throughputTools = o.tools.filter((t) => t !== 'locust');
    const needed = new Set(['time', 'taskset']);
    // The arrival-rate run has a no-op iteration: it alone needs no target.
    const needsTarget = o.sections.some((s) => s !== 'arrival');
    if (needsTarget && o.target === 'nginx') needed.add('nginx');
    if (throughputCases.length > 0) {
      if (throughputTools.includes('wrk')) needed.add('wrk');
      if (throughputTools.includes('autocannon')) needed.add('autocannon');
    }
    if (o.sections.includes('memory') && o.tools.includes('locust')) needed.add('locust');
    const tools = ensureTools([...needed], { repoRoot, install: o.install, log });
    const machine = machineInfo();
    const pinned = (machine.cpus ?? 1) >= 2 && Boolean(tools.taskset);
    if (!pinned) log('fewer than 2 CPUs (or no taskset): nothing is pinned; the numbers are not comparable with RESULTS.md');
    if (o.build) {
      log('building Volley (npm run build) ...');
      const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 600_000 });
      if (b.status !== 0) throw new Error(`npm run build failed:\n${(b.stdout + b.stderr).slice(-3000)}`);
    }
    const versions = toolVersions(tools, repoRoot);
    const cpuOf = (which) => (pinned ? which : null);
    if (needsTarget) target = await startTarget(o.target, { cpu: TARGET_CPU, workDir: work, tools: pinned ? tools : { ...tools, taskset: null }, repoRoot });
    const load0 = loadavg();

    const header = [
      `Volley benchmark, ${started.toISOString()}${o.quick ? ' (quick mode: not for RESULTS.md)' : ''}`,
      `machine: ${machine.cpus} CPUs, ${machine.model}, Linux ${machine.kernel}, ${versions.node}; load average at start ${load0.map((l) => l.toFixed(2)).join(' ')}`,
      `tools: ${Object.entries(versions).filter(([k]) => k !== 'node').map(([, v]) => v).join('; ')}`,
      target ? `target: ${target.describe}${pinned ? `, pinned to CPU ${TARGET_CPU}` : ''}, at ${target.url}` : 'target: none (the arrival-rate run has a no-op iteration)',
      `generators: ${pinned ? `pinned to CPU ${TOOL_CPU} (taskset -c ${TOOL_CPU})` : 'not pinned'}; CPU and peak RSS from GNU time -v (the whole process, start-up included)`,
    ];
    if (load0[0] > 0.5) header.push(`note: the machine is not idle (1-min load average ${load0[0].toFixed(2)} before this run): other processes share the pinned CPUs, so req/s will be lower and noisier than on a quiet machine (CPU per request is affected less)`);
    console.log(header.join('\n'));
    const results = { date: started.toISOString(), options: o, machine, versions, target: target ? { kind: o.target, describe: target.describe } : null, pinned, loadAtStart: load0, throughput: [], memory: {}, arrival: null, verdicts: [] };

    // ---- throughput: rounds of (case × tool), alternating ----
    if (throughputCases.length > 0 && throughputTools.length > 0) {
      console.log(`\n== Throughput: ${o.connections} connections/VUs, ${o.durationS} s per run, ${o.rounds} round(s), tools alternating ==`);
      let runId = 0;
      // Fixed cost per tool and case (start-up, loading, end summary): the median of 3 near-empty runs.
      // Subtracted only in the "net" CPU column; the main CPU column is the whole process.
      const startupCpuS = {};
      for (const benchCase of throughputCases) {
        for (const tool of throughputTools) {
          const probes = [];
          for (let i = 0; i < 3; i++) {
            const cmd = startupCommand(tool, benchCase === 'scripted' && tool === 'autocannon' ? 'plain' : benchCase, { tools, repoRoot, url: target.url, workDir: work, runId: `${benchCase}-${tool}-${i}` });
            if (!cmd) break;
            const r = await runMeasured(cmd.cmd, cmd.args, { cpu: cpuOf(TOOL_CPU), timeoutMs: 60_000, workDir: work, tools, cwd: repoRoot });
            if (r.exitStatus === 0 && r.cpuS !== null) probes.push(r.cpuS);
          }
          startupCpuS[`${benchCase}/${tool}`] = probes.length ? median(probes) : 0;
        }
      }
      results.startupCpuS = startupCpuS;
      log(`fixed CPU cost per run (start-up etc., median of 3 one-request runs): ${Object.entries(startupCpuS).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')}`);
      for (let round = 1; round <= o.rounds; round++) {
        for (const benchCase of throughputCases) {
          for (const tool of throughputTools) {
            runId++;
            const cmd = throughputCommand(tool, benchCase, { tools, repoRoot, url: target.url, connections: o.connections, durationS: o.durationS, workDir: work, runId });
            const t0 = target.cpuS();
            const r = await runMeasured(cmd.cmd, cmd.args, { cpu: cpuOf(TOOL_CPU), timeoutMs: (o.durationS + 60) * 1000, workDir: work, tools, cwd: repoRoot });
            const t1 = target.cpuS();
            const row = { round, benchCase, tool, cpuS: r.cpuS, maxRssKb: r.maxRssKb, wallS: r.wallS, exitStatus: r.exitStatus, timedOut: r.timedOut };
            try {
              if (r.timedOut) throw new Error(`timed out after ${o.durationS + 60} s`);
              const p = cmd.parse(r);
              Object.assign(row, { requests: p.requests, rps: p.rps, errors: p.errors, toolDurationS: p.durationS });
              row.cpuPer10k = p.requests > 0 && r.cpuS !== null ? (r.cpuS / p.requests) * 10_000 : null;
              const fixed = startupCpuS[`${benchCase}/${tool}`] ?? 0;
              row.netCpuPer10k = row.cpuPer10k === null ? null : (Math.max(0, r.cpuS - fixed) / p.requests) * 10_000;
              // The tool's own CPU use over its wall time: near 100% = CPU-bound on its core; well below
              // = it waited (on the target, on its own timers, or for a CPU shared with other processes).
              row.toolCpu = r.cpuS !== null && r.wallS > 0 ? r.cpuS / r.wallS : null;
              row.targetCpu = t0 !== null && t1 !== null && p.durationS > 0 ? (t1 - t0) / p.durationS : null;
              if (p.warnings?.length) row.warnings = p.warnings;
              log(`round ${round}/${o.rounds} ${benchCase.padEnd(8)} ${label(tool, benchCase).padEnd(24)} ${Math.round(p.rps).toLocaleString('en-US').padStart(9)} req/s  ${row.cpuPer10k?.toFixed(3)} CPU s/10k  ${(r.maxRssKb / 1024).toFixed(1)} MB  errors ${p.errors}  tool CPU ${Math.round((row.toolCpu ?? 0) * 100)}%`);
            } catch (e) {
              row.failed = String(e.message ?? e);
              log(`round ${round}/${o.rounds} ${benchCase} ${tool}: FAILED: ${row.failed}\n${(r.stderr || '').slice(-1500)}`);
            }
            results.throughput.push(row);
            await sleep(500);
          }
        }
      }
      const med = medians(results.throughput);
      const rep = throughputReport(med, { cases: throughputCases, tools: throughputTools });
      results.throughputMedians = med;
      results.verdicts.push(...rep.verdicts);
      console.log(`\nMedians over ${o.rounds} round(s). CPU s/10k req = (user + system CPU seconds of the tool process) / requests x 10,000;`);
      console.log(`"net" = the same without the tool's fixed cost (start-up, loading, summary: median of 3 one-request runs; wrk: 0).`);
      console.log(`"tool CPU" = the tool's CPU seconds / its wall-clock seconds (100% = it used its whole core).`);
      console.log(`"target CPU" = the target's CPU seconds during the run / the run's seconds (100% = the target's core was saturated).\n`);
      console.log(rep.text);
      if (rep.verdicts.length) console.log(`\nTargets (issue 5):\n${verdictLines(rep.verdicts)}`);
    }

    // ---- memory per sleeping VU: Volley vs Locust ----
    // Memory entries: Volley, and Locust once per user class asked for (both by default).
    const memEntries = [];
    if (o.tools.includes('volley')) memEntries.push({ tool: 'volley', name: 'volley' });
    if (o.tools.includes('locust')) for (const u of o.locustUsers) memEntries.push({ tool: 'locust', name: u === 'fast' ? 'locust FastHttpUser' : 'locust HttpUser', locustUser: u });
    if (o.sections.includes('memory') && memEntries.length > 0) {
      console.log(`\n== Memory per VU: ${o.memoryVus.toLocaleString('en-US')} VUs/users, each one keep-alive GET then 1 s sleep, ${o.memoryDurationS} s per run; base = the same with ${MEMORY_BASE_USERS} ==`);
      let runId = 0;
      for (const users of [MEMORY_BASE_USERS, o.memoryVus]) {
        for (const { tool, name, locustUser } of memEntries) {
          runId++;
          const cmd = memoryCommand(tool, users, { tools, repoRoot, url: target.url, durationS: o.memoryDurationS, workDir: work, runId, locustUser });
          const r = await runMeasured(cmd.cmd, cmd.args, { cpu: cpuOf(TOOL_CPU), timeoutMs: (o.memoryDurationS + 90) * 1000, workDir: work, tools, cwd: repoRoot, sampleMs: 250 });
          // Steady RSS: the median of the samples in the second half of the run (all VUs/users started).
          const half = r.rssSeries.filter(([ms]) => ms >= (o.memoryDurationS * 1000) / 2);
          const row = { users, cpuS: r.cpuS, maxRssKb: r.maxRssKb, steadyRssKb: median(half.map(([, kb]) => kb)), wallS: r.wallS, rssSeries: r.rssSeries };
          try {
            if (r.timedOut) throw new Error('timed out');
            const p = cmd.parse(r);
            Object.assign(row, { requests: p.requests, rps: p.rps, errors: p.errors });
            log(`memory ${name.padEnd(19)} ${String(users).padStart(6)} users: peak ${(r.maxRssKb / 1024).toFixed(1)} MB, steady ${((row.steadyRssKb ?? 0) / 1024).toFixed(1)} MB, ${Math.round(p.rps)} req/s, errors ${p.errors}`);
          } catch (e) {
            row.failed = String(e.message ?? e);
            log(`memory ${name} ${users}: FAILED: ${row.failed}\n${(r.stderr || '').slice(-1500)}`);
          }
          results.memory[name] ??= {};
          results.memory[name][users === MEMORY_BASE_USERS ? 'base' : 'full'] = row;
          await sleep(2000); // let the target close the previous run's connections
        }
      }
      const rep = memoryReport(results.memory);
      results.memoryPerVu = rep.per;
      results.verdicts.push(...rep.verdicts);
      console.log(`\nPer VU = (RSS at ${o.memoryVus.toLocaleString('en-US')} - RSS at ${MEMORY_BASE_USERS}) / ${(o.memoryVus - MEMORY_BASE_USERS).toLocaleString('en-US')}. Peak: GNU time's maximum RSS; steady: median of /proc VmRSS samples in the run's second half.\n`);
      console.log(rep.text);
      if (rep.verdicts.length) console.log(`\n${verdictLines(rep.verdicts)}`);
    }

    // ---- arrival-rate accuracy ----
    if (o.sections.includes('arrival') && o.tools.includes('volley')) {
      console.log(`\n== Arrival rate: constant-arrival-rate ${o.arrivalRate.toLocaleString('en-US')}/s for ${o.arrivalDurationS} s, no-op iteration, --workers 1 ==`);
      const cmd = arrivalCommand({ repoRoot, workDir: work }, o.arrivalRate, o.arrivalDurationS);
      const r = await runMeasured(cmd.cmd, cmd.args, { cpu: cpuOf(TOOL_CPU), timeoutMs: (o.arrivalDurationS + 60) * 1000, workDir: work, tools, cwd: repoRoot });
      try {
        if (r.timedOut) throw new Error('timed out');
        const a = arrivalAnalysis(cmd.parse(r), o.arrivalRate, o.arrivalDurationS);
        const rep = arrivalReport(a, r);
        results.arrival = { ...a, cpuS: r.cpuS, maxRssKb: r.maxRssKb };
        results.verdicts.push(...rep.verdicts);
        console.log(rep.text);
        console.log(`\n${verdictLines(rep.verdicts)}`);
      } catch (e) {
        results.arrival = { failed: String(e.message ?? e) };
        console.log(`FAILED: ${e.message}\n${(r.stderr || '').slice(-1500)}`);
      }
    }

    // ---- profile: where Volley's CPU time goes (not timed: the profiler costs CPU itself) ----
    if (o.sections.includes('profile') && o.tools.includes('volley')) {
      results.profiles = {};
      for (const benchCase of ['plain', 'scripted']) {
        const dir = join(work, `profile-${benchCase}`);
        mkdirSync(dir, { recursive: true });
        const cmd = throughputCommand('volley', benchCase, { tools, repoRoot, url: target.url, connections: o.connections, durationS: o.durationS, workDir: work, runId: `profile-${benchCase}` });
        console.log(`\n== Profile: Volley ${benchCase} GET, ${o.connections} VUs, ${o.durationS} s, node --cpu-prof (the profiler's own cost is included) ==`);
        const r = await runMeasured(cmd.cmd, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...cmd.args], { cpu: cpuOf(TOOL_CPU), timeoutMs: (o.durationS + 60) * 1000, workDir: work, tools, cwd: repoRoot });
        try {
          const p = cmd.parse(r);
          console.log(`${Math.round(p.rps).toLocaleString('en-US')} req/s under the profiler, ${p.requests.toLocaleString('en-US')} requests, ${r.cpuS?.toFixed(2)} CPU s\n`);
          const text = profileReport(dir, { requests: p.requests });
          console.log(text);
          results.profiles[benchCase] = { rps: p.rps, requests: p.requests, cpuS: r.cpuS, text };
        } catch (e) {
          console.log(`FAILED: ${e.message}\n${(r.stderr || '').slice(-1500)}`);
        }
      }
    }

    results.loadAtEnd = loadavg();
    console.log(`\nload average at end: ${results.loadAtEnd.map((l) => l.toFixed(2)).join(' ')}`);
    const jsonFile = o.json ? resolve(o.json) : join(tmpdir(), `volley-bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`all measurements: ${jsonFile}`);
    if (o.keep) console.log(`temporary files kept in ${work}`);
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(`bench: ${e.message ?? e}`);
  process.exitCode = 1;
});
