// Runs one bounded tool process pinned to a CPU and measures what it cost: CPU seconds (user + system,
// the process and every child it waited for, from GNU time -v), peak RSS, and optionally an RSS series
// sampled from /proc. Every run has a hard deadline; on timeout only the processes this module started
// (the time wrapper and its descendants, found by PID through /proc) are signalled.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Processes started by this module and still running: PID → ChildProcess. Used by killAllStarted(). */
const running = new Map();
let seq = 0;
/** Set by killAllStarted(): no new process is started after it (a Ctrl-C must not race a new run). */
let stopping = false;

/** Child PIDs of `pid` (all its threads' children), from /proc; [] when it has gone. */
export function childPids(pid) {
  const out = [];
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return out;
}

/** `pid` and all its descendants, parents first. */
export function processTree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) for (const c of childPids(all[i])) all.push(c);
  return all;
}

/** Resident set size of one process in kB (VmRSS), or null when it has gone. */
export function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Sends `signal` to `pid` and its descendants (children first), ignoring ones that already exited. */
export function signalTree(pid, signal) {
  for (const p of processTree(pid).reverse()) {
    try {
      process.kill(p, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Terminates every process this module started that is still running (SIGTERM, then SIGKILL after 2 s). */
export async function killAllStarted() {
  stopping = true;
  const pids = [...running.keys()];
  for (const pid of pids) signalTree(pid, 'SIGTERM');
  if (pids.length === 0) return;
  await new Promise((r) => setTimeout(r, 2000));
  for (const pid of pids) if (running.has(pid)) signalTree(pid, 'SIGKILL');
}

/** Parses GNU `time -v` output into { userS, sysS, cpuS, maxRssKb, wallS, exitStatus, signal }. */
export function parseTimeV(text) {
  const num = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  const userS = num(/User time \(seconds\): ([\d.]+)/);
  const sysS = num(/System time \(seconds\): ([\d.]+)/);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(text);
  let wallS = null;
  if (wall) wallS = wall[1].split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
  return {
    userS,
    sysS,
    cpuS: userS === null || sysS === null ? null : userS + sysS,
    maxRssKb: num(/Maximum resident set size \(kbytes\): (\d+)/),
    wallS,
    exitStatus: num(/Exit status: (\d+)/),
    signal: num(/terminated by signal (\d+)/),
  };
}

/**
 * Runs `cmd args` as `taskset -c CPU /usr/bin/time -v -o FILE cmd args` and resolves when it exits.
 * Options: cpu (CPU to pin to; null = unpinned), timeoutMs (hard deadline, required), env, cwd,
 * sampleMs (when set, VmRSS of the tool process is sampled at this period into `rssSeries`),
 * workDir (where the time report is written), tools ({ time, taskset } paths from tools.mjs).
 * Resolves { code, stdout, stderr, timedOut, cpuS, userS, sysS, maxRssKb, wallS, rssSeries: [[ms, kB]] }.
 */
export function runMeasured(cmd, args, opts) {
  const { cpu = null, timeoutMs, env = process.env, cwd = process.cwd(), sampleMs = 0, workDir, tools } = opts;
  if (!(timeoutMs > 0)) throw new Error('runMeasured: timeoutMs is required');
  if (stopping) return Promise.reject(new Error('stopping: no new runs'));
  const timeFile = join(workDir, `time-${process.pid}-${++seq}.txt`);
  const argv = [];
  if (cpu !== null && tools.taskset) argv.push(tools.taskset, '-c', String(cpu));
  argv.push(tools.time, '-v', '-o', timeFile, cmd, ...args);
  const started = performance.now();
  const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(child.pid, child);
  const cap = 4 << 20; // keep at most the last 4 MiB of each stream (Locust is chatty)
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    stdout += d;
    if (stdout.length > cap) stdout = stdout.slice(-cap);
  });
  child.stderr.setEncoding('utf8').on('data', (d) => {
    stderr += d;
    if (stderr.length > cap) stderr = stderr.slice(-cap);
  });
  const rssSeries = [];
  let sampler = null;
  if (sampleMs > 0) {
    sampler = setInterval(() => {
      // The tool is the time wrapper's child (taskset execs into time, so child.pid is time's PID).
      const tool = childPids(child.pid)[0];
      if (tool === undefined) return;
      const kb = rssKb(tool);
      if (kb !== null) rssSeries.push([Math.round(performance.now() - started), kb]);
    }, sampleMs);
  }
  let timedOut = false;
  let killTimer = null;
  const deadline = setTimeout(() => {
    timedOut = true;
    signalTree(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => signalTree(child.pid, 'SIGKILL'), 3000);
  }, timeoutMs);
  return new Promise((resolvePromise, reject) => {
    child.on('error', (e) => {
      running.delete(child.pid);
      clearTimeout(deadline);
      if (sampler) clearInterval(sampler);
      reject(e);
    });
    child.on('close', (code) => {
      running.delete(child.pid);
      clearTimeout(deadline);
      if (killTimer) clearTimeout(killTimer);
      if (sampler) clearInterval(sampler);
      const t = existsSync(timeFile) ? parseTimeV(readFileSync(timeFile, 'utf8')) : parseTimeV('');
      resolvePromise({ code, stdout, stderr, timedOut, rssSeries, ...t, exitStatus: t.exitStatus ?? code });
    });
  });
}

/** Median of the finite numbers in `xs` (null when there are none). */
export function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
