// The fixed fast target the generators are measured against, pinned to its own CPU:
// - 'nginx' (default): nginx from apt with a temporary prefix and config: one worker process,
//   access_log off, `return 200 '{"id":1,"name":"volley"}'` on every path, 127.0.0.1 only.
// - 'volley': Volley's own target service (`volley target`) with one static route, its fast path
//   (answered synchronously, no latency model).
// Both are started and stopped by PID (the nginx master runs in the foreground, `daemon off`).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { join } from 'node:path';
import { signalTree } from './measure.mjs';

/** The body every target answers with; the scripted cases check its "name" field. */
export const BODY = '{"id":1,"name":"volley"}';

/** A free TCP port on 127.0.0.1 (bound to port 0, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One GET to `url`; resolves { status, body } or rejects (2 s timeout). */
export function probe(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitReady(url, child, timeoutMs, describe) {
  const until = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${describe} exited before it answered:\n${child.benchOutput.slice(-2000)}`);
    try {
      const r = await probe(url);
      if (r.status === 200 && r.body === BODY) return;
      last = new Error(`unexpected answer ${r.status} ${r.body.slice(0, 200)}`);
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${describe} did not answer ${url} within ${timeoutMs} ms: ${last?.message}`);
}

/** nginx.conf for a one-worker, log-free static JSON answer on 127.0.0.1:port with everything under `prefix`. */
export function nginxConf(prefix, port) {
  return `# Written by bench/run.mjs; removed with its temporary directory.
daemon off;
master_process on;
worker_processes 1;
# 10,000 keep-alive connections for the memory comparison, plus headroom.
worker_rlimit_nofile 20000;
error_log ${prefix}/logs/error.log warn;
pid ${prefix}/nginx.pid;
events {
  worker_connections 16384;
}
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  default_type application/json;
  # Keep connections for the whole run: every tool uses keep-alive.
  keepalive_requests 1000000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / {
      return 200 '${BODY}';
    }
  }
}
`;
}

/**
 * Starts the target pinned to `cpu`. kind: 'nginx' | 'volley'. Returns { kind, url, pid, describe,
 * stop() }. `workDir` holds nginx's prefix; `tools` has nginx/taskset paths; `repoRoot` finds bin/volley.js.
 */
export async function startTarget(kind, { cpu, workDir, tools, repoRoot }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  let cmd;
  let args;
  let describe;
  if (kind === 'nginx') {
    const prefix = join(workDir, 'nginx');
    for (const d of ['logs', 'tmp']) mkdirSync(join(prefix, d), { recursive: true });
    // nginx's worker drops to an unprivileged user when started as root: it must be able to enter the prefix.
    chmodSync(workDir, 0o755);
    chmodSync(prefix, 0o755);
    writeFileSync(join(prefix, 'nginx.conf'), nginxConf(prefix, port));
    cmd = tools.nginx;
    args = ['-p', prefix, '-e', join(prefix, 'logs', 'error.log'), '-c', join(prefix, 'nginx.conf')];
    describe = `nginx (1 worker process, access_log off, static JSON via \`return 200\`)`;
  } else if (kind === 'volley') {
    const cfg = join(workDir, 'volley-target.json');
    writeFileSync(cfg, JSON.stringify({ routes: [{ method: 'GET', path: '/', headers: { 'content-type': 'application/json' }, body: BODY }] }, null, 2));
    cmd = process.execPath;
    args = [join(repoRoot, 'bin', 'volley.js'), 'target', '--host', '127.0.0.1', '--port', String(port), '--config', cfg];
    describe = 'Volley target service (`volley target`, one static route on its fast path, one Node process)';
  } else {
    throw new Error(`--target must be nginx or volley (got "${kind}")`);
  }
  const argv = tools.taskset ? [tools.taskset, '-c', String(cpu), cmd, ...args] : [cmd, ...args];
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.benchOutput = '';
  const keep = (d) => {
    child.benchOutput = (child.benchOutput + d).slice(-8192);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  try {
    await waitReady(url, child, 15_000, describe);
  } catch (e) {
    signalTree(child.pid, 'SIGKILL');
    if (kind === 'nginx') {
      try {
        e.message += `\n${readFileSync(join(workDir, 'nginx', 'logs', 'error.log'), 'utf8').slice(-2000)}`;
      } catch {
        /* no log */
      }
    }
    throw e;
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    // nginx: SIGQUIT is a graceful stop of master and worker; the Volley target stops on SIGTERM.
    try {
      process.kill(child.pid, kind === 'nginx' ? 'SIGQUIT' : 'SIGTERM');
    } catch {
      return;
    }
    const t = setTimeout(() => signalTree(child.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  /** The target's own CPU seconds so far (user + system of it and its children), from /proc. */
  const cpuS = () => treeCpuS(child.pid);
  return { kind, url, port, pid: child.pid, describe, stop, cpuS, output: () => child.benchOutput };
}

const CLK_TCK = 100; // USER_HZ on Linux (sysconf(_SC_CLK_TCK)), the unit of /proc/<pid>/stat times

/** utime + stime of `pid` and its live children, in seconds (for the nginx master + worker). */
function treeCpuS(pid) {
  let ticks = 0;
  const pids = [pid];
  try {
    for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) if (c) pids.push(Number(c));
  } catch {
    return null;
  }
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // fields 14 and 15: utime, stime
    } catch {
      /* gone */
    }
  }
  return ticks / CLK_TCK;
}
