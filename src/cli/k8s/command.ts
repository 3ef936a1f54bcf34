/**
 * `volley k8s test.ts --parallelism 16 --image registry.example/volley:0.2 -o k8s/`: the manifests
 * that run a test as N segments on an existing Kubernetes cluster (./manifests.ts), written as YAML;
 * `--apply` also applies them with kubectl, waits for the runners, runs the merge and exits with its
 * code. The script is bundled once here (portable: `volley/*` imports stay bare, packages are bundled
 * in), then loaded as `volley run` would load it in a pod, so a script or option error shows here.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { maxVUs, testMaxDurationMs } from '../../config/describe.js';
import { ExitCode, isVolleyError, VolleyError } from '../../errors/index.js';
import { bundleScript } from '../../script/bundle.js';
import { prepareRun } from '../run/prepare.js';
import { withRunnerInstance } from '../run/segment.js';
import { parseStartAt } from '../run/start-at.js';
import { applyWithKubectl } from './apply.js';
import { configMapKey, partsDir, renderManifests, SCRIPT_FILE, type K8sInput, type Manifest, type ScriptFile } from './manifests.js';
import { runnerResources, type ResourceFlags } from './resources.js';

/** etcd's limit on one object: a ConfigMap larger than this is refused by the API server. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

export interface K8sFlags extends ResourceFlags {
  parallelism: number;
  image: string;
  output?: string | undefined;
  name?: string | undefined;
  namespace?: string | undefined;
  data?: string[] | undefined;
  env?: Record<string, string> | undefined;
  envFromSecret?: string[] | undefined;
  out?: string[] | undefined;
  startAt?: string | undefined;
  /** Run `volley aggregate` beside the runners (Secret, Service, Job). */
  aggregate?: boolean | undefined;
  partsClaim?: string | undefined;
  storageClass?: string | undefined;
  storage?: string | undefined;
  apply?: boolean | undefined;
  /** Seconds to wait for the runners with --apply (default: the Job's activeDeadlineSeconds). */
  timeout?: number | undefined;
}

const bad = (message: string, hint: string): VolleyError => new VolleyError('E_K8S_INPUT', message, { hint, exitCode: ExitCode.InvalidConfig });

export async function k8sCommand(script: string, f: K8sFlags): Promise<number> {
  const { manifests, input, warnings } = await buildManifests(script, f);
  for (const w of warnings) process.stderr.write(`volley: warning: ${w}\n`);
  const all = [...manifests.run, manifests.merge];
  if (f.output) {
    await mkdir(f.output, { recursive: true });
    await writeFile(join(f.output, 'run.yaml'), toYaml(manifests.run));
    await writeFile(join(f.output, 'merge.yaml'), toYaml([manifests.merge]));
    process.stderr.write(`volley: wrote ${join(f.output, 'run.yaml')} (${manifests.run.map((m) => `${m.kind} ${m.metadata.name}`).join(', ')}) and ${join(f.output, 'merge.yaml')} (Job ${manifests.merge.metadata.name}); parts and results go to ${partsDir(input)} on the claim\n`);
  } else if (!f.apply) process.stdout.write(toYaml(all));
  if (!f.apply) return 0;
  return applyWithKubectl(manifests, { toYaml, timeoutSeconds: f.timeout ?? ((manifests.run.at(-1)!.spec as { activeDeadlineSeconds: number }).activeDeadlineSeconds + 60) });
}

/** Manifests as one YAML stream (documents separated by `---`). */
export function toYaml(docs: readonly Manifest[]): string {
  return docs.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** Bundles the script, loads it as a pod would, and renders the manifests. */
export async function buildManifests(script: string, f: K8sFlags): Promise<{ manifests: ReturnType<typeof renderManifests>; input: K8sInput; warnings: string[] }> {
  if (!Number.isInteger(f.parallelism) || f.parallelism < 1) throw bad(`--parallelism must be an integer ≥ 1, got ${f.parallelism}`, 'the number of runner pods, e.g. --parallelism 4');
  if (!f.image) throw bad('--image is required', 'the image with Volley installed (docker/Dockerfile builds it), e.g. --image registry.example/volley:0.1.0');
  const name = f.name ?? dnsName(basename(script).replace(/\.[^.]+$/, ''));
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 52) throw bad(`--name ${JSON.stringify(name)} is not a DNS-1123 label of at most 52 characters`, 'use lower-case letters, digits and "-", e.g. --name checkout-load');
  const scriptDir = dirname(resolve(script));

  const bundle = await bundleScript(script, { portable: true });
  try {
    const dir = dirname(fileURLToPath(bundle.url));
    const code = await readFile(fileURLToPath(bundle.url));
    const files: ScriptFile[] = [{ path: SCRIPT_FILE, content: code }];
    for (const d of f.data ?? []) {
      const abs = resolve(d);
      const rel = relative(scriptDir, abs);
      if (rel.startsWith('..') || isAbsolute(rel)) throw bad(`--data ${d} is not under the script's folder ${scriptDir}`, 'data files are mounted beside the script, at the same relative path: keep them in the script\'s folder (or a subfolder)');
      let content: Buffer;
      try {
        content = await readFile(abs);
      } catch (e) {
        throw bad(`--data ${d}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'give a file the script opens, relative to the current folder');
      }
      files.push({ path: rel.split('\\').join('/'), content });
      // The pod's layout here too: the script is loaded below as the pod will load it.
      await mkdir(dirname(join(dir, rel)), { recursive: true });
      await copyFile(abs, join(dir, rel));
    }
    checkConfigMapSize(script, files);

    // Load the bundle as `volley run` will in the pod: script errors, bad options and unknown
    // threshold metrics stop here, not in N pods.
    let prepared: Awaited<ReturnType<typeof prepareRun>>;
    try {
      prepared = await prepareRun(join(dir, SCRIPT_FILE), { env: { ...(f.env ?? {}) } });
    } catch (e) {
      // A file the script opens was not given: say how to put it in the ConfigMap.
      if (isVolleyError(e) && /open\(/.test(e.message)) throw new VolleyError(e.code, e.message, { hint: `put the files the script opens in the ConfigMap with --data FILE (the pods see ${scriptDir} as /volley/script)`, exitCode: e.exitCode });
      throw e;
    }
    await prepared.bundle.dispose();
    const { options } = prepared;
    const warnings = [...prepared.warnings];
    const totalVus = options.scenarios.reduce((n, s) => n + maxVUs(s), 0);
    const vusPerRunner = Math.ceil(totalVus / f.parallelism);
    for (const s of options.scenarios) {
      if (maxVUs(s) < f.parallelism) warnings.push(`scenario ${s.name} has ${maxVUs(s)} VUs for ${f.parallelism} runners: some runners get none of it`);
    }

    const runArgs: string[] = [];
    // Live outputs: each runner its own `instance` label (Kubernetes expands $(JOB_COMPLETION_INDEX)),
    // so Prometheus keeps the runners' series apart and sums them (docs/monitoring.md).
    for (const o of f.out ?? []) runArgs.push('--out', withRunnerInstance(o, `${name}-$(JOB_COMPLETION_INDEX)`));
    let startWaitS = 0;
    if (f.startAt !== undefined) {
      const at = parseStartAt(f.startAt);
      startWaitS = Math.ceil((at - Date.now()) / 1000);
      runArgs.push('--start-at', new Date(at).toISOString());
      if (f.startAt.trim().startsWith('+')) warnings.push(`--start-at ${f.startAt} is ${new Date(at).toISOString()}: apply the manifests before then (runners refuse a start time already past)`);
    }
    const testS = Math.ceil((testMaxDurationMs(options.scenarios) + options.setupTimeoutMs + options.teardownTimeoutMs) / 1000);
    const input: K8sInput = {
      name,
      namespace: f.namespace,
      image: f.image,
      parallelism: f.parallelism,
      files,
      resources: runnerResources(vusPerRunner, f),
      env: f.env ?? {},
      envFromSecrets: f.envFromSecret ?? [],
      runArgs,
      runId: `${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(2).toString('hex')}`,
      partsClaim: f.partsClaim,
      storageClass: f.storageClass,
      storage: f.storage,
      // Pulling the image, the start wait, the test with its graceful stops, setup and teardown, and slack.
      activeDeadlineSeconds: startWaitS + testS + 600,
      ...(f.aggregate ? { aggregate: { token: randomBytes(16).toString('hex') } } : {}),
    };
    const manifests = renderManifests(input);
    return { manifests, input, warnings };
  } finally {
    await bundle.dispose();
  }
}

/**
 * "The data stored in a ConfigMap cannot exceed 1 MiB" (Kubernetes docs): the bytes of its data and
 * binaryData values (binaryData counts raw, not as base64) and their keys.
 */
function checkConfigMapSize(script: string, files: readonly ScriptFile[]): void {
  const size = files.reduce((n, x) => n + x.content.length + configMapKey(x.path).length, 0);
  if (size <= CONFIGMAP_MAX_BYTES) return;
  throw new VolleyError(
    'E_K8S_CONFIGMAP_TOO_LARGE',
    `the ConfigMap of ${script} would hold ${(size / 1024 / 1024).toFixed(2)} MiB (the bundled script: ${(files[0]!.content.length / 1024).toFixed(0)} KiB, data files: ${files.length - 1}); Kubernetes stores at most 1 MiB in a ConfigMap`,
    { hint: 'bundled packages count: keep large data files and dependencies in the image (FROM your Volley image, COPY them) or on a volume, and open them by absolute path', exitCode: ExitCode.InvalidConfig },
  );
}

/** A DNS-1123 label from a file name: lower case, [a-z0-9-], at most 40 characters. */
export function dnsName(s: string): string {
  const n = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return n.length > 0 ? n : 'volley';
}
