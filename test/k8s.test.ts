/**
 * `volley k8s` end to end. No cluster runs here, so the Indexed Job is simulated as the kubelet would
 * run it: the ConfigMap's files are written where its volume puts them, and each pod's exact command
 * from the rendered run Job is started with its container env plus JOB_COMPLETION_INDEX (and
 * $(VAR) expanded as Kubernetes does), against a loopback server; then the merge Job's exact command.
 * The merged counts must equal one `volley run` of the original script. The manifests validate
 * against the Kubernetes API schemas; a ConfigMap over 1 MiB and bad flags are refused (exit 104).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uncompressSync } from 'snappy';
import { parseAllDocuments } from 'yaml';
import { decodeWriteRequest } from '../src/outputs/prometheus/remote-write-proto.js';
import { ConfigMap, PersistentVolumeClaim } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ROOT, runVolley, startTestServer, type TestServer } from './helpers.js';
import type { SummaryData } from '../src/summary/types.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const SCRIPT = `
import http from 'volley/http';
import { check } from 'volley';
import { pick } from './lib/pick.ts';
const users = open('./data/users.csv').trim().split('\\n').slice(1);
export const options = {
  scenarios: {
    shared: { executor: 'shared-iterations', vus: 4, iterations: 41, exec: 'shared' },
    pervu: { executor: 'per-vu-iterations', vus: 3, iterations: 4, exec: 'pervu' },
  },
  thresholds: { checks: ['rate==1'], 'iterations{scenario:shared}': ['count==41'] },
};
async function get(name) {
  const r = await http.get(__ENV.BASE + '/ok?user=' + pick(users, __ITER), { tags: { name } });
  check(r, { ok: (x) => x.status === 200 });
}
export async function shared() { await get('shared'); }
export async function pervu() { await get('pervu'); }
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'volley-k8s-'));
  mkdirSync(join(dir, 'lib'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'test.ts'), SCRIPT);
  writeFileSync(join(dir, 'lib', 'pick.ts'), 'export const pick = (xs: string[], i: number): string => xs[i % xs.length]!;\n');
  writeFileSync(join(dir, 'data', 'users.csv'), 'id\nu1\nu2\nu3\n');
  return dir;
}

type Obj = { kind: string; metadata: { name: string }; data?: Record<string, string>; spec: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

function readYaml(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Obj);
}

/** The one run folder (`<date>-<time>-<hex>`) the pods wrote into on the simulated claim. */
function runFolder(partsDir: string): string {
  const dirs = readdirSync(partsDir);
  assert.equal(dirs.length, 1, dirs.join(' '));
  assert.match(dirs[0]!, /^\d{8}-\d{6}-[0-9a-f]{4}$/);
  return join(partsDir, dirs[0]!);
}

function validate(m: Obj): void {
  if (m.kind === 'Job') new Job(m as never).validate();
  else if (m.kind === 'ConfigMap') new ConfigMap(m as never).validate();
  else if (m.kind === 'PersistentVolumeClaim') new PersistentVolumeClaim(m as never).validate();
  else assert.fail(`unexpected kind ${m.kind}`);
}

/** Runs a container's command as its pod would: mounts mapped to local folders, $(VAR) expanded. */
function podRun(container: { command: string[]; env?: { name: string; value: string }[] }, mounts: Record<string, string>, extraEnv: Record<string, string>) {
  const env: Record<string, string> = { ...Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value])), ...extraEnv };
  const args = container.command.map((a) => {
    let s = a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n: string) => env[n] ?? m);
    for (const [from, to] of Object.entries(mounts)) s = s.split(from).join(to);
    return s;
  });
  assert.equal(args[0], 'volley', 'the image runs the volley CLI');
  return runVolley(args.slice(1), { env, cwd: tmpdir() });
}

test('volley k8s: manifests validate; the Indexed Job run locally, pod by pod, and its merge equal one run', { timeout: 180_000 }, async () => {
  const dir = project();
  const out = join(dir, 'k8s');
  // A remote-write receiver: each pod pushes live metrics with its own instance label.
  const instances = new Set<string>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      for (const s of decodeWriteRequest(uncompressSync(Buffer.concat(chunks)) as Buffer)) if (s.labels.instance) instances.add(s.labels.instance);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  after(() => receiver.close());
  const rw = `prometheus-rw=http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/write,pushInterval=500ms`;
  const r = await runVolley(['k8s', join(dir, 'test.ts'), '-p', '3', '--image', 'registry.example/volley:0.1.0', '-o', out, '--data', join(dir, 'data', 'users.csv'), '-e', `BASE=${server.url}`, '--memory', '256Mi', '--out', rw], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const run = readYaml(join(out, 'run.yaml'));
  const [merge] = readYaml(join(out, 'merge.yaml'));
  assert.deepEqual(run.map((m) => m.kind), ['ConfigMap', 'PersistentVolumeClaim', 'Job']);
  for (const m of [...run, merge!]) validate(m);
  const [cm, , job] = run as [Obj, Obj, Obj];
  assert.equal(job.spec.completionMode, 'Indexed');
  assert.equal(job.spec.completions, 3);
  assert.equal(job.spec.parallelism, 3);
  const pod = job.spec.template.spec;
  assert.equal(pod.containers[0].resources.requests.memory, '256Mi');

  // The ConfigMap volume, as the kubelet writes it: each item's key at its path.
  const scriptDir = join(dir, 'mnt-script');
  const partsDir = join(dir, 'mnt-parts');
  mkdirSync(partsDir);
  const vol = pod.volumes.find((v: { name: string }) => v.name === 'script');
  for (const item of vol.configMap.items as { key: string; path: string }[]) {
    mkdirSync(dirname(join(scriptDir, item.path)), { recursive: true });
    writeFileSync(join(scriptDir, item.path), cm.data![item.key]!);
  }
  const mounts = Object.fromEntries(pod.containers[0].volumeMounts.map((m: { name: string; mountPath: string }) => [m.mountPath, m.name === 'script' ? scriptDir : partsDir]));

  const before = server.total();
  const pods = await Promise.all([0, 1, 2].map((i) => podRun(pod.containers[0], mounts, { JOB_COMPLETION_INDEX: String(i) })));
  for (const p of pods) assert.equal(p.code, 0, p.stderr);
  const podReqs = server.total() - before;
  const m = await podRun(merge!.spec.template.spec.containers[0], { '/volley/parts': partsDir }, {});
  assert.equal(m.code, 0, m.stderr + m.stdout);
  // This rendering's folder on the claim: a part left by an earlier run is never merged.
  const runDir = runFolder(partsDir);
  const merged = JSON.parse(readFileSync(join(runDir, 'merged.json'), 'utf8')) as SummaryData;
  for (const f of ['report.html', 'junit.xml', 'summary.md']) assert.ok(readFileSync(join(runDir, f), 'utf8').length > 100, f);
  assert.deepEqual(merged.volley.merged!.map((x) => x.segment).sort(), ['0:1/3', '1/3:2/3', '2/3:1']);
  assert.deepEqual([...instances].sort(), ['test-0', 'test-1', 'test-2'], 'each runner pushed with its instance label');

  // One process of the original script: the same iterations and requests.
  const single = await runVolley(['run', join(dir, 'test.ts'), '-e', `BASE=${server.url}`, '--quiet', '--no-summary', '--summary-export', join(dir, 'single.json')]);
  assert.equal(single.code, 0, single.stderr);
  const one = JSON.parse(readFileSync(join(dir, 'single.json'), 'utf8')) as SummaryData;
  for (const name of ['shared', 'pervu']) {
    const a = merged.volley.scenarios.find((s) => s.name === name)!;
    const b = one.volley.scenarios.find((s) => s.name === name)!;
    assert.equal(a.iterations, b.iterations, `${name} iterations`);
  }
  assert.equal(merged.metrics.iterations!.values.count, 41 + 12);
  assert.equal(merged.metrics.iterations!.values.count, one.metrics.iterations!.values.count);
  assert.equal(merged.metrics.http_reqs!.values.count, podReqs);
  assert.equal(merged.metrics.http_reqs!.values.count, one.metrics.http_reqs!.values.count);
  assert.deepEqual(merged.volley.thresholds.map((t) => [t.metric, t.ok]), one.volley.thresholds.map((t) => [t.metric, t.ok]));
});

test('volley k8s refuses a ConfigMap over 1 MiB, bad flags, a data file not given and a broken script before writing anything (exit 104/107)', { timeout: 60_000 }, async () => {
  const dir = project();
  writeFileSync(join(dir, 'data', 'big.bin'), Buffer.alloc(1_200_000, 7));
  const big = await runVolley(['k8s', join(dir, 'test.ts'), '-p', '2', '--image', 'v:1', '--data', join(dir, 'data', 'big.bin'), '-e', 'BASE=http://127.0.0.1:1'], { cwd: dir });
  assert.equal(big.code, 104, big.stderr);
  assert.match(big.stderr, /ConfigMap of .*test\.ts would hold 1\.\d\d MiB .*at most 1 MiB in a ConfigMap/);
  assert.doesNotMatch(big.stderr, /\n\s+at /, 'no stack trace');

  const outside = await runVolley(['k8s', join(dir, 'test.ts'), '-p', '2', '--image', 'v:1', '--data', join(tmpdir(), 'x.csv')], { cwd: dir });
  assert.equal(outside.code, 104);
  assert.match(outside.stderr, /not under the script's folder/);

  const noData = await runVolley(['k8s', join(dir, 'test.ts'), '-p', '2', '--image', 'v:1'], { cwd: dir });
  assert.equal(noData.code, 107, noData.stderr);
  assert.match(noData.stderr, /users\.csv[\s\S]*--data FILE/);

  const data = ['--data', join(dir, 'data', 'users.csv')];
  const mem = await runVolley(['k8s', join(dir, 'test.ts'), '-p', '2', '--image', 'v:1', ...data, '--memory', '1 GB'], { cwd: dir });
  assert.equal(mem.code, 104);
  assert.match(mem.stderr, /--memory "1 GB" is not a Kubernetes quantity/);

  writeFileSync(join(dir, 'broken.ts'), 'export const options = { vus: "many" };\nexport default function () {}\n');
  const broken = await runVolley(['k8s', join(dir, 'broken.ts'), '-p', '2', '--image', 'v:1', '-o', join(dir, 'out')], { cwd: dir });
  assert.equal(broken.code, 104, broken.stderr);
  assert.match(broken.stderr, /vus/);

  const noKubectl = await runVolley(['k8s', join(dir, 'test.ts'), '-p', '2', '--image', 'v:1', ...data, '--apply'], { cwd: dir, env: { PATH: '/nonexistent' } });
  assert.equal(noKubectl.code, 104);
  assert.match(noKubectl.stderr, /needs kubectl, which is not on PATH/);
});

test('docker/Dockerfile: node:20-slim with the packed Volley installed globally, as the pods run `volley`', () => {
  const text = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8');
  const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(froms, ['node:20-slim', 'node:20-slim']);
  assert.match(text, /npm pack/);
  assert.match(text, /npm install -g \/tmp\/volley\.tgz/);
  // The package ships what a pod runs: the CLI entry and the compiled sources.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
  assert.equal(pkg.bin.volley, 'bin/volley.js');
  assert.ok(pkg.files.includes('bin') && pkg.files.includes('dist/src'));
});

test('seed 003 acceptance (100K users, p99 < 100 ms under 10K RPS) as the generated Indexed Job of 2 pods, merged: the verdict across runners', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-k8s-seed-'));
  const out = join(dir, 'k8s');
  const seed = join(ROOT, 'examples', 'seeds', '003-acceptance-distributed.ts');
  const r = await runVolley(['k8s', seed, '-p', '2', '--image', 'registry.example/volley:0.1.0', '-o', out, '-e', `BASE_URL=${server.url}`, '-e', 'SCALE=0.0002', '--start-at', '+8s']);
  assert.equal(r.code, 0, r.stderr);
  const run = readYaml(join(out, 'run.yaml'));
  const [merge] = readYaml(join(out, 'merge.yaml'));
  for (const m of [...run, merge!]) validate(m);
  const [cm, , job] = run as [Obj, Obj, Obj];
  const pod = job.spec.template.spec;
  assert.ok(pod.containers[0].command.includes('--start-at'));
  const scriptDir = join(dir, 'mnt-script');
  const partsDir = join(dir, 'mnt-parts');
  mkdirSync(scriptDir);
  mkdirSync(partsDir);
  writeFileSync(join(scriptDir, 'script.mjs'), cm.data!['script.mjs']!);
  const mounts = { '/volley/script': scriptDir, '/volley/parts': partsDir };
  const pods = await Promise.all([0, 1].map((i) => podRun(pod.containers[0], mounts, { JOB_COMPLETION_INDEX: String(i) })));
  for (const p of pods) assert.equal(p.code, 0, p.stderr);
  const m = await podRun(merge!.spec.template.spec.containers[0], mounts, {});
  const merged = JSON.parse(readFileSync(join(runFolder(partsDir), 'merged.json'), 'utf8')) as SummaryData;
  // 20 VUs in all (10 per runner), the thresholds judged on the merged histograms: the merge's exit is the verdict.
  const p99 = merged.metrics['http_req_duration{scenario:assignment_rps}']!.values['p(99)'];
  t.diagnostic(`merged: ${merged.metrics.http_reqs!.values.count} requests, assignment p99 ${p99} ms, skews ${merged.volley.merged!.map((x) => x.startSkewMs?.toFixed(1)).join('/')} ms, exit ${m.code}`);
  assert.equal(merged.volley.scenarios.find((s) => s.name === 'users')!.vusMax, 20);
  assert.equal(merged.volley.merged!.length, 2);
  assert.ok(merged.volley.merged!.every((x) => x.startSkewMs !== undefined), 'each runner measured its start skew');
  assert.equal(m.code, merged.volley.thresholds.every((t) => t.ok) ? 0 : 99, m.stderr);
  assert.ok(merged.volley.thresholds.filter((t) => t.metric !== 'http_req_duration{scenario:assignment_rps}').every((t) => t.ok), JSON.stringify(merged.volley.thresholds));
});
