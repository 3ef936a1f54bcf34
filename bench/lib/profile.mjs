// Summarises V8 CPU profiles (node --cpu-prof, one .cpuprofile per thread) into where the time goes:
// self time per area (GC, native/syscalls, Node core, each npm package, each Volley source folder, the
// user script) and per function. Used by `npm run bench -- --profile` and for bench/RESULTS.md.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { table } from './report.mjs';

/** The area a call frame belongs to, from its URL (and its name for V8's pseudo-frames). */
export function areaOf(callFrame) {
  const { url, functionName } = callFrame;
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(program)') return 'native (V8/libuv/syscalls)';
    return `native ${functionName || '(anonymous)'}`;
  }
  if (url.startsWith('wasm://')) return 'wasm (e.g. undici\'s llhttp parser)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm) return `npm ${nm[1]}`;
  if (url.startsWith('node:')) {
    // node:internal/streams/readable → node streams; node:net → node net
    const m = /^node:(?:internal\/)?([^/]+)/.exec(url);
    return `node ${m ? m[1].replace(/\.js$/, '') : url}`;
  }
  const src = /\/dist\/src\/(.+)\/[^/]+\.js$/.exec(url);
  if (src) return `volley ${src[1]}`;
  const top = /\/dist\/src\/([^/]+)\.js$/.exec(url);
  if (top) return `volley ${top[1]}`;
  if (/\/volley-[^/]+\/script\.mjs$/.test(url)) return 'user script (bundled)';
  return url.replace(/^file:\/\//, '');
}

/** Self time (µs) per node id of one profile, plus the profile's total. */
function selfTimes(p) {
  const self = new Map();
  const dt = p.timeDeltas;
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
  return self;
}

/**
 * Summary of one .cpuprofile: { totalUs, idleUs, busyUs, areas: [[name, µs]], functions: [[name, µs]] },
 * areas and functions sorted by self time, idle excluded from both.
 */
export function summarise(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const areas = new Map();
  const fns = new Map();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfTimes(p)) {
    totalUs += us;
    const cf = byId.get(id).callFrame;
    const area = areaOf(cf);
    if (area === '(idle)') {
      idleUs += us;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = cf.url ? `${cf.url.replace(/^.*\/(node_modules\/|dist\/src\/)/, '$1').replace(/^file:\/\/.*\/(volley-[^/]+\/)/, '$1')}:${cf.lineNumber + 1}` : '';
    const k = `${cf.functionName || '(anonymous)'} ${where}`.trim();
    fns.set(k, (fns.get(k) ?? 0) + us);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalUs, idleUs, busyUs: totalUs - idleUs, areas: sorted(areas), functions: sorted(fns) };
}

/** The .cpuprofile files in `dir`, in thread order (Node names them CPU.<date>.<time>.<pid>.<thread>.<seq>). */
export function profilesIn(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const thread = (f) => Number(f.split('.').at(-3));
  return files.sort((a, b) => thread(a) - thread(b)).map((f) => join(dir, f));
}

/** Text report of every thread's profile in `dir`: top `n` areas and functions by share of busy time. */
export function profileReport(dir, { n = 15, requests = null } = {}) {
  const out = [];
  for (const file of profilesIn(dir)) {
    const s = summarise(file);
    const name = Number(file.split('.').at(-3)) === 0 ? 'main thread' : `worker thread ${file.split('.').at(-3)}`;
    const perReq = requests ? `, ${((s.busyUs / requests) * 1000).toFixed(0)} ns busy per request` : '';
    out.push(`-- ${name}: ${(s.busyUs / 1e6).toFixed(2)} s busy of ${(s.totalUs / 1e6).toFixed(2)} s sampled${perReq}`);
    const share = (us) => `${((100 * us) / (s.busyUs || 1)).toFixed(1)}%`;
    out.push(table([['self time', 'area'], ...s.areas.slice(0, n).map(([k, us]) => [share(us), k])], new Set([0])));
    out.push('');
    out.push(table([['self time', 'function'], ...s.functions.slice(0, n).map(([k, us]) => [share(us), k])], new Set([0])));
    out.push('');
  }
  return out.join('\n');
}
