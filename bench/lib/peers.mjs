// How each generator is run and how its own output is read. Each entry gives the command for one run
// and parses requests, requests/s and errors from what the tool itself reports:
// wrk: "N requests in Xs" and "Requests/sec:"; autocannon: its --json result (requests.average,
// requests.total); Volley: its --summary-export (metrics.http_reqs count and rate); Locust: its
// --csv stats ("Aggregated" row).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Parses wrk's text report: { requests, rps, errors, durationS }. */
export function parseWrk(text) {
  const m = /(\d+) requests in ([\d.]+)(us|ms|s|m)\b/.exec(text);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  if (!m || !rps) throw new Error(`could not read wrk's output:\n${text.slice(-1500)}`);
  const unit = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[m[3]];
  let errors = 0;
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  if (non2xx) errors += Number(non2xx[1]);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  if (sock) errors += Number(sock[1]) + Number(sock[2]) + Number(sock[3]) + Number(sock[4]);
  return { requests: Number(m[1]), rps: Number(rps[1]), errors, durationS: Number(m[2]) * unit };
}

/** Parses autocannon's JSON result (the last JSON line of its stdout): { requests, rps, errors, durationS }. */
export function parseAutocannon(text) {
  const line = text.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) throw new Error(`could not read autocannon's --json output:\n${text.slice(-1500)}`);
  const r = JSON.parse(line);
  const errors = (r.errors ?? 0) + (r.timeouts ?? 0) + (r.non2xx ?? 0) + (r.benchCheckFailures ?? 0);
  return { requests: r.requests.total, rps: r.requests.average, errors, durationS: r.duration };
}

/**
 * Reads a Volley --summary-export file: { requests, rps, errors, durationS, iterations, checksRate,
 * droppedIterations, warnings, summary }.
 */
export function parseVolleySummary(file) {
  if (!existsSync(file)) throw new Error(`Volley wrote no summary export (${file})`);
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const m = s.metrics ?? {};
  const reqs = m.http_reqs?.values ?? { count: 0, rate: 0 };
  const failedRate = m.http_req_failed?.values?.rate ?? 0;
  const checks = m.checks?.values;
  const checkFails = checks?.fails ?? 0;
  return {
    requests: reqs.count,
    rps: reqs.rate,
    errors: Math.round(failedRate * reqs.count) + checkFails,
    durationS: (s.state?.testRunDurationMs ?? 0) / 1000,
    iterations: m.iterations?.values?.count ?? 0,
    droppedIterations: m.dropped_iterations?.values?.count ?? 0,
    checksRate: checks?.rate ?? null,
    warnings: s.volley?.warnings ?? [],
    summary: s,
  };
}

/** Parses Locust's `--csv PREFIX` stats file: { requests, rps, errors }. */
export function parseLocustCsv(prefix) {
  const file = `${prefix}_stats.csv`;
  if (!existsSync(file)) throw new Error(`Locust wrote no stats file (${file})`);
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',').map((c) => c.replace(/"/g, ''));
  const agg = rows.map((r) => r.split(',').map((c) => c.replace(/"/g, ''))).find((r) => r[cols.indexOf('Name')] === 'Aggregated');
  if (!agg) throw new Error(`no Aggregated row in ${file}`);
  const get = (name) => Number(agg[cols.indexOf(name)]);
  return { requests: get('Request Count'), rps: get('Requests/s'), errors: get('Failure Count') };
}

/**
 * The throughput runs: for a tool and a case ('plain' | 'scripted'), the command line and the parser.
 * ctx: { tools, repoRoot, url, connections, durationS, workDir, runId }.
 */
export function throughputCommand(tool, benchCase, ctx) {
  const { tools, repoRoot, url, connections, durationS, workDir, runId } = ctx;
  const scripts = join(repoRoot, 'bench', 'scripts');
  if (tool === 'wrk') {
    const args = ['-t1', `-c${connections}`, `-d${durationS}s`];
    if (benchCase === 'scripted') args.push('-s', join(scripts, 'wrk-scripted.lua'));
    args.push(url);
    return { cmd: tools.wrk, args, parse: (r) => parseWrk(r.stdout) };
  }
  if (tool === 'autocannon') {
    // -n: no progress bar; --json: the result object on stdout.
    const args =
      benchCase === 'plain'
        ? [tools.autocannon, '-c', String(connections), '-d', String(durationS), '-n', '--json', url]
        : [join(scripts, 'autocannon-scripted.mjs'), url, String(connections), String(durationS)];
    return { cmd: process.execPath, args, parse: (r) => parseAutocannon(r.stdout) };
  }
  if (tool === 'volley') {
    const file = join(workDir, `volley-${runId}.json`);
    const script = join(scripts, benchCase === 'plain' ? 'volley-plain.mjs' : 'volley-scripted.mjs');
    const args = [join(repoRoot, 'bin', 'volley.js'), 'run', '-u', String(connections), '-d', `${durationS}s`, '--workers', '1', '-q', '--no-summary', '--summary-export', file, '-e', `URL=${url}`, script];
    return { cmd: process.execPath, args, parse: () => parseVolleySummary(file) };
  }
  throw new Error(`unknown tool ${tool}`);
}

/**
 * The memory runs: `users` sleeping VUs/users for `durationS` against `url`, for 'volley' or 'locust'
 * (ctx.locustUser: 'http' = HttpUser, the default; 'fast' = FastHttpUser).
 */
export function memoryCommand(tool, users, ctx) {
  const { tools, repoRoot, url, durationS, workDir, runId, locustUser = 'http' } = ctx;
  const scripts = join(repoRoot, 'bench', 'scripts');
  if (tool === 'volley') {
    const file = join(workDir, `volley-mem-${runId}.json`);
    const args = [join(repoRoot, 'bin', 'volley.js'), 'run', '-u', String(users), '-d', `${durationS}s`, '--workers', '1', '-q', '--no-summary', '--summary-export', file, '-e', `URL=${url}`, join(scripts, 'volley-sleepers.mjs')];
    return { cmd: process.execPath, args, parse: () => parseVolleySummary(file) };
  }
  if (tool === 'locust') {
    const prefix = join(workDir, `locust-${runId}`);
    const rate = Math.min(users, 2000);
    // The user class is named last (a positional argument): HttpUser or FastHttpUser, see locustfile.py.
    const args = ['-f', join(scripts, 'locustfile.py'), '--headless', '-u', String(users), '-r', String(rate), '-t', `${durationS}s`, '-H', url.replace(/\/$/, ''), '--csv', prefix, '--only-summary', '--loglevel', 'WARNING', '--stop-timeout', '2', '--exit-code-on-error', '0', locustUser === 'fast' ? 'FastSleeper' : 'Sleeper'];
    return { cmd: tools.locust, args, parse: () => parseLocustCsv(prefix) };
  }
  throw new Error(`unknown tool ${tool}`);
}

/** The arrival-rate run: Volley's constant-arrival-rate no-op scenario at `rate`/s for `durationS`. */
export function arrivalCommand(ctx, rate, durationS) {
  const { repoRoot, workDir } = ctx;
  const file = join(workDir, 'volley-arrival.json');
  const args = [join(repoRoot, 'bin', 'volley.js'), 'run', '--workers', '1', '-q', '--no-summary', '--summary-export', file, '-e', `RATE=${rate}`, '-e', `DURATION=${durationS}s`, join(repoRoot, 'bench', 'scripts', 'volley-arrival.mjs')];
  return { cmd: process.execPath, args, parse: () => parseVolleySummary(file) };
}

/**
 * A run that does (almost) no work, to measure a tool's fixed CPU cost (start-up, script loading, end
 * summary), which the whole-process CPU figures include: Volley and autocannon make one request over one
 * connection. wrk has no such mode and its start-up is negligible (a C binary): null.
 */
export function startupCommand(tool, benchCase, ctx) {
  const { tools, repoRoot, url, workDir, runId } = ctx;
  const scripts = join(repoRoot, 'bench', 'scripts');
  if (tool === 'autocannon') {
    const args = benchCase === 'plain' ? [tools.autocannon, '-c', '1', '-a', '1', '-n', '--json', url] : null;
    return args ? { cmd: process.execPath, args } : null;
  }
  if (tool === 'volley') {
    const file = join(workDir, `volley-startup-${runId}.json`);
    const script = join(scripts, benchCase === 'plain' ? 'volley-plain.mjs' : 'volley-scripted.mjs');
    return { cmd: process.execPath, args: [join(repoRoot, 'bin', 'volley.js'), 'run', '-u', '1', '-i', '1', '--workers', '1', '-q', '--no-summary', '--summary-export', file, '-e', `URL=${url}`, script] };
  }
  return null;
}
