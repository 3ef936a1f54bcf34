import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { aggregateArgs, configMapKey, mergeArgs, renderManifests, runnerArgs, type K8sInput, type Manifest } from './manifests.js';
import { checkQuantity, memoryForVus, runnerResources } from './resources.js';

const input = (over: Partial<K8sInput> = {}): K8sInput => ({
  name: 'checkout',
  namespace: 'load',
  image: 'registry.example/volley:0.1.0',
  parallelism: 4,
  files: [
    { path: 'script.mjs', content: Buffer.from('export default async function () {}\n') },
    { path: 'data/users.csv', content: Buffer.from('id\n1\n') },
    { path: 'blob.bin', content: Buffer.from([0, 1, 2, 255]) },
  ],
  resources: runnerResources(25_000, {}),
  env: { BASE_URL: 'http://svc:8080' },
  envFromSecrets: ['api-token'],
  runArgs: ['--out', 'prometheus-rw=http://prom:9090/api/v1/write'],
  activeDeadlineSeconds: 1200,
  runId: '20261204-235300-1a2b',
  ...over,
});

/** Validates a manifest against the Kubernetes API schema of its kind (kubernetes-models). */
function validate(m: Manifest): void {
  const model = m.kind === 'Job' ? new Job(m as never) : m.kind === 'ConfigMap' ? new ConfigMap(m as never) : m.kind === 'PersistentVolumeClaim' ? new PersistentVolumeClaim(m as never) : m.kind === 'Secret' ? new Secret(m as never) : m.kind === 'Service' ? new Service(m as never) : undefined;
  assert.ok(model, `no schema for ${m.kind}`);
  model.validate();
}

test('every manifest validates against the Kubernetes API schemas', () => {
  const { run, merge } = renderManifests(input());
  assert.deepEqual(run.map((m) => m.kind), ['ConfigMap', 'PersistentVolumeClaim', 'Job']);
  for (const m of [...run, merge]) validate(m);
  // With an existing claim, no PVC.
  const own = renderManifests(input({ partsClaim: 'shared-rwx', storageClass: 'nfs' }));
  assert.deepEqual(own.run.map((m) => m.kind), ['ConfigMap', 'Job']);
  for (const m of [...own.run, own.merge]) validate(m);
});

test('the schema check can fail: a wrong type or quantity is refused', () => {
  const { run } = renderManifests(input());
  const job = structuredClone(run[2]!) as { spec: { completions: unknown } } & Manifest;
  job.spec.completions = '4';
  assert.throws(() => validate(job), /completions must be integer/);
  const bad = renderManifests(input({ resources: { requests: { cpu: '1', memory: 'lots' }, limits: {} } }));
  assert.throws(() => validate(bad.run[2]!), /quantity/);
});

test('the run Job: Indexed, completions = parallelism = N, each pod its segment and part file', () => {
  const { run, merge } = renderManifests(input());
  const job = run[2] as unknown as { spec: Record<string, unknown> & { template: { spec: { containers: { command: string[]; env: { name: string; value: string }[]; envFrom: unknown[]; resources: unknown }[]; restartPolicy: string } } } };
  assert.equal(job.spec.completionMode, 'Indexed');
  assert.equal(job.spec.completions, 4);
  assert.equal(job.spec.parallelism, 4);
  assert.equal(job.spec.backoffLimitPerIndex, 0);
  assert.equal(job.spec.activeDeadlineSeconds, 1200);
  const c = job.spec.template.spec.containers[0]!;
  assert.deepEqual(c.command, runnerArgs(input()));
  assert.deepEqual(c.command.slice(0, 6), ['volley', 'run', '/volley/script/script.mjs', '--quiet', '--summary-export', '/volley/parts/20261204-235300-1a2b/part-$(JOB_COMPLETION_INDEX).json']);
  assert.ok(c.command.join(' ').includes('--out prometheus-rw=http://prom:9090/api/v1/write'));
  assert.deepEqual(c.env, [{ name: 'BASE_URL', value: 'http://svc:8080' }, { name: 'VOLLEY_SEGMENTS', value: '4' }]);
  assert.deepEqual(c.envFrom, [{ secretRef: { name: 'api-token' } }]);
  assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  // The merge names every part, so a missing one is reported.
  const mc = (merge as unknown as { spec: { template: { spec: { containers: { command: string[] }[] } } } }).spec.template.spec.containers[0]!;
  assert.deepEqual(mc.command, mergeArgs(input()));
  assert.deepEqual(mc.command.slice(2, 6), [0, 1, 2, 3].map((i) => `/volley/parts/20261204-235300-1a2b/part-${i}.json`));
  assert.equal(merge.metadata.namespace, 'load');
});

test('the ConfigMap: text in data, binary in binaryData, paths mapped back by items', () => {
  const { run } = renderManifests(input());
  const cm = run[0] as unknown as { data: Record<string, string>; binaryData: Record<string, string> };
  assert.equal(configMapKey('data/users.csv'), 'data_users.csv');
  assert.equal(cm.data['data_users.csv'], 'id\n1\n');
  assert.equal(cm.binaryData['blob.bin'], Buffer.from([0, 1, 2, 255]).toString('base64'));
  const job = run[2] as unknown as { spec: { template: { spec: { volumes: { configMap?: { items: { key: string; path: string }[] } }[] } } } };
  assert.deepEqual(job.spec.template.spec.volumes[0]!.configMap!.items.map((i) => i.path), ['script.mjs', 'data/users.csv', 'blob.bin']);
});

test('resources: memory from the measured per-VU cost with 50 % headroom; flags win; bad quantities refused', () => {
  // (131 MB + 25,000 × 7.1 KB) × 1.5 = 462.75 MB = 441.3 MiB → 448Mi.
  assert.equal(memoryForVus(25_000), '448Mi');
  assert.equal(memoryForVus(0), '192Mi');
  assert.deepEqual(runnerResources(25_000, {}), { requests: { cpu: '1', memory: '448Mi' }, limits: { memory: '896Mi' } });
  assert.deepEqual(runnerResources(10, { cpu: '2', memory: '1Gi', cpuLimit: '2' }), { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
  assert.throws(() => checkQuantity('--memory', '1 GB'), (e: { code?: string; exitCode?: number }) => e.code === 'E_K8S_INPUT' && e.exitCode === 104);
  assert.equal(checkQuantity('--cpu', '500m'), '500m');
});

test('--aggregate: a Secret with the token, a Service and a Job running volley aggregate; runners push to it with the token', () => {
  const { run } = renderManifests(input({ aggregate: { token: 'f'.repeat(32) } }));
  assert.deepEqual(run.map((m) => `${m.kind} ${m.metadata.name}`), ['ConfigMap checkout-script', 'PersistentVolumeClaim checkout-parts', 'Secret checkout-aggregate', 'Service checkout-aggregate', 'Job checkout-aggregate', 'Job checkout-run']);
  for (const m of run) validate(m);
  const args = runnerArgs(input({ aggregate: { token: 'x'.repeat(16) } }));
  assert.deepEqual(args.slice(args.indexOf('--aggregate'), args.indexOf('--aggregate') + 2), ['--aggregate', 'http://checkout-aggregate:6565']);
  assert.deepEqual(aggregateArgs(input()).slice(0, 6), ['volley', 'aggregate', '--listen', '0.0.0.0:6565', '--runners', '4']);
  const pod = (m: Manifest) => (m as unknown as { spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: { env: { name: string; valueFrom?: unknown }[] }[] } } } }).spec.template;
  const runnerEnv = pod(run[5]!).spec.containers[0]!.env.find((e) => e.name === 'VOLLEY_AGGREGATE_TOKEN');
  assert.deepEqual(runnerEnv?.valueFrom, { secretKeyRef: { name: 'checkout-aggregate', key: 'token' } });
  assert.deepEqual(pod(run[4]!).spec.containers[0]!.env.map((e) => e.name), ['VOLLEY_AGGREGATE_TOKEN', 'VOLLEY_DASHBOARD_TOKEN']);
  // The Service selects the aggregate's pod, not the runners'.
  const selector = (run[3] as unknown as { spec: { selector: Record<string, string> } }).spec.selector;
  for (const [k, v] of Object.entries(selector)) assert.equal(pod(run[4]!).metadata.labels[k], v);
  assert.notEqual(pod(run[5]!).metadata.labels['app.kubernetes.io/component'], selector['app.kubernetes.io/component']);
  // Without the flag, none of it.
  assert.ok(!runnerArgs(input()).includes('--aggregate'));
});
