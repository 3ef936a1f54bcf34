/**
 * The Kubernetes manifests of a distributed test (`volley k8s`), as plain objects:
 *
 *   ConfigMap  <name>-script   the bundled script (and its data files), mounted at /volley/script
 *   PVC        <name>-parts    where every runner writes its part, under a folder of its own for
 *                              each rendering (runId), so a stale part of an earlier run is never merged
 *   Job        <name>-run      Indexed: completions = parallelism = N; pod i runs segment i/N
 *                              (JOB_COMPLETION_INDEX + VOLLEY_SEGMENTS) and writes part-i.json
 *   Job        <name>-merge    `volley merge part-0.json … part-(N-1).json`: one summary, the
 *                              thresholds across all runners, the run's exit code as its own
 *
 * With `--aggregate`, also (applied with the run, before the runners):
 *
 *   Secret     <name>-aggregate  a random token the runners push with and the dashboard asks for
 *   Job        <name>-aggregate  `volley aggregate --runners N --dashboard`: abortOnFail across the
 *                                runners, one live dashboard; ends when the runners have finished
 *   Service    <name>-aggregate  ports 6565 (pushes) and 5665 (dashboard) of that pod
 *
 * The merge Job is applied once the run Job has finished (`volley k8s --apply` does it, or
 * `kubectl wait` in CI), rather than started with it and made to wait in an initContainer: it then
 * needs no in-cluster API access (no ServiceAccount, Role or kubectl in the image), it cannot merge
 * before every runner has written its part, and a runner that died without a part is reported by
 * the merge as a missing segment instead of leaving a waiting pod behind.
 *
 * Pods run `volley run` with --quiet and the part path only: options stay in the script, so every
 * runner and the merge see the same options (the merge refuses parts whose options differ).
 */
import { VERSION } from '../version.js';

/** Where the ConfigMap and the parts volume are mounted in the pods. */
export const SCRIPT_DIR = '/volley/script';
export const PARTS_DIR = '/volley/parts';
/** Name of the bundled script in the ConfigMap and in SCRIPT_DIR. */
export const SCRIPT_FILE = 'script.mjs';

/** A file of the ConfigMap: its path under SCRIPT_DIR and its content. */
export interface ScriptFile {
  path: string;
  content: Buffer;
}

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory?: string };
}

export interface K8sInput {
  /** DNS-1123 label prefix of every object (≤ 52 characters: Job names become pod labels). */
  name: string;
  namespace?: string | undefined;
  image: string;
  /** Number of runners: completions = parallelism of the Indexed Job. */
  parallelism: number;
  /** The bundled script first, then the data files, with paths relative to SCRIPT_DIR. */
  files: readonly ScriptFile[];
  resources: Resources;
  /** Environment of the runners: __ENV in the script. */
  env: Readonly<Record<string, string>>;
  /** Secrets whose keys become environment variables of the runners (envFrom). */
  envFromSecrets: readonly string[];
  /** Extra `volley run` arguments, e.g. `--out prometheus-rw=…`, `--start-at …`. */
  runArgs: readonly string[];
  /** An existing claim for the parts, else a PVC `<name>-parts` is part of the manifests. */
  partsClaim?: string | undefined;
  storageClass?: string | undefined;
  /** Size of the parts PVC (default 1Gi: a part is a few hundred KB). */
  storage?: string | undefined;
  /** This rendering's folder on the parts volume, e.g. `20261204-235300-1a2b`. */
  runId: string;
  /** Upper bound on the run Job's life, in seconds (activeDeadlineSeconds). */
  activeDeadlineSeconds: number;
  /** Run `volley aggregate` beside the runners, with this token (≥ 16 characters). */
  aggregate?: { token: string } | undefined;
}

/** Ports of the aggregate's Service. */
export const AGGREGATE_PORT = 6565;
export const AGGREGATE_DASHBOARD_PORT = 5665;

/** A manifest as written: `apiVersion`, `kind`, `metadata`, and the rest. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: unknown };

/** ConfigMap keys allow [-._a-zA-Z0-9]: a path's other characters become '_' (items map them back). */
export function configMapKey(path: string): string {
  return path.replace(/[^-._a-zA-Z0-9]/g, '_');
}

/** Text that a ConfigMap's `data` can hold as it is (UTF-8 without NUL); the rest goes to binaryData. */
function isText(b: Buffer): boolean {
  return !b.includes(0) && Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}

export function scriptConfigMap(input: K8sInput): Manifest {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const f of input.files) {
    if (isText(f.content)) data[configMapKey(f.path)] = f.content.toString('utf8');
    else binaryData[configMapKey(f.path)] = f.content.toString('base64');
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(input, `${input.name}-script`),
    data,
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
}

function meta(input: K8sInput, name: string): Manifest['metadata'] {
  return {
    name,
    ...(input.namespace ? { namespace: input.namespace } : {}),
    labels: { 'app.kubernetes.io/name': 'volley', 'app.kubernetes.io/instance': input.name, 'app.kubernetes.io/version': VERSION },
  };
}

const scriptVolume = (input: K8sInput): unknown => ({
  name: 'script',
  configMap: { name: `${input.name}-script`, items: input.files.map((f) => ({ key: configMapKey(f.path), path: f.path })) },
});
const partsVolume = (input: K8sInput): unknown => ({ name: 'parts', persistentVolumeClaim: { claimName: input.partsClaim ?? `${input.name}-parts` } });
const SCRIPT_MOUNT = { name: 'script', mountPath: SCRIPT_DIR, readOnly: true };
const PARTS_MOUNT = { name: 'parts', mountPath: PARTS_DIR };

function envList(input: K8sInput, extra: Record<string, string> = {}): { name: string; value: string }[] {
  return Object.entries({ ...input.env, ...extra }).map(([name, value]) => ({ name, value }));
}

/** Where this rendering's parts and merged files go on the parts volume. */
export function partsDir(input: K8sInput): string {
  return `${PARTS_DIR}/${input.runId}`;
}

/** The runner's command line (Kubernetes expands $(JOB_COMPLETION_INDEX), which the Job controller sets). */
export function runnerArgs(input: K8sInput): string[] {
  const aggregate = input.aggregate ? ['--aggregate', `http://${input.name}-aggregate:${AGGREGATE_PORT}`] : [];
  return ['volley', 'run', `${SCRIPT_DIR}/${SCRIPT_FILE}`, '--quiet', '--summary-export', `${partsDir(input)}/part-$(JOB_COMPLETION_INDEX).json`, ...aggregate, ...input.runArgs];
}

/** The aggregate's command line: every pod reachable on the cluster network, so the token is required. */
export function aggregateArgs(input: K8sInput): string[] {
  return ['volley', 'aggregate', '--listen', `0.0.0.0:${AGGREGATE_PORT}`, '--runners', String(input.parallelism), '--dashboard', '--dashboard-host', '0.0.0.0', '--dashboard-port', String(AGGREGATE_DASHBOARD_PORT)];
}

/** The token from the aggregate's Secret, as the environment variables that carry it. */
function tokenEnv(input: K8sInput, names: readonly string[]): unknown[] {
  return names.map((name) => ({ name, valueFrom: { secretKeyRef: { name: `${input.name}-aggregate`, key: 'token' } } }));
}

/** The merge's command line: every part by name, so a missing one is reported by the merge. */
export function mergeArgs(input: K8sInput): string[] {
  const dir = partsDir(input);
  const parts = Array.from({ length: input.parallelism }, (_, i) => `${dir}/part-${i}.json`);
  return ['volley', 'merge', ...parts, '-o', `${dir}/merged.json`, '--report', `${dir}/report.html`, '--junit', `${dir}/junit.xml`, '--markdown', `${dir}/summary.md`];
}

export function runJob(input: K8sInput): Manifest {
  const labels = (): Record<string, string> => ({ ...meta(input, '').labels!, 'app.kubernetes.io/component': 'runner' });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...meta(input, `${input.name}-run`), labels: labels() },
    spec: {
      completionMode: 'Indexed',
      completions: input.parallelism,
      parallelism: input.parallelism,
      // A runner is not retried, and one that fails does not stop the others (backoffLimit: 0 would
      // end the whole Job): a second attempt would run its segment at another time than the others. A
      // stopped runner still writes its partial part, and the merge says the run is incomplete.
      // Kubernetes ≥ 1.29 (beta, on by default; GA in 1.33).
      backoffLimitPerIndex: 0,
      maxFailedIndexes: input.parallelism,
      activeDeadlineSeconds: input.activeDeadlineSeconds,
      template: {
        metadata: { labels: labels() },
        spec: {
          restartPolicy: 'Never',
          // Time for a runner to write its partial part after SIGTERM (it stops at once and writes).
          terminationGracePeriodSeconds: 60,
          containers: [
            {
              name: 'volley',
              image: input.image,
              command: runnerArgs(input),
              env: [...envList(input, { VOLLEY_SEGMENTS: String(input.parallelism) }), ...(input.aggregate ? tokenEnv(input, ['VOLLEY_AGGREGATE_TOKEN']) : [])],
              ...(input.envFromSecrets.length > 0 ? { envFrom: input.envFromSecrets.map((name) => ({ secretRef: { name } })) } : {}),
              resources: input.resources,
              volumeMounts: [SCRIPT_MOUNT, PARTS_MOUNT],
            },
          ],
          volumes: [scriptVolume(input), partsVolume(input)],
        },
      },
    },
  };
}

export function mergeJob(input: K8sInput): Manifest {
  const labels = (): Record<string, string> => ({ ...meta(input, '').labels!, 'app.kubernetes.io/component': 'merge' });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...meta(input, `${input.name}-merge`), labels: labels() },
    spec: {
      // Its exit code is the verdict (99: thresholds failed): a retry would give the same one.
      backoffLimit: 0,
      activeDeadlineSeconds: 600,
      template: {
        metadata: { labels: labels() },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'merge',
              image: input.image,
              command: mergeArgs(input),
              resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '1Gi' } },
              volumeMounts: [PARTS_MOUNT],
            },
          ],
          volumes: [partsVolume(input)],
        },
      },
    },
  };
}

export function partsClaim(input: K8sInput): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(input, `${input.name}-parts`),
    spec: {
      // Runners on several nodes write to it at once.
      accessModes: ['ReadWriteMany'],
      ...(input.storageClass ? { storageClassName: input.storageClass } : {}),
      resources: { requests: { storage: input.storage ?? '1Gi' } },
    },
  };
}

export function aggregateSecret(input: K8sInput): Manifest {
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(input, `${input.name}-aggregate`), type: 'Opaque', stringData: { token: input.aggregate!.token } };
}

const aggregateLabels = (input: K8sInput): Record<string, string> => ({ ...meta(input, '').labels!, 'app.kubernetes.io/component': 'aggregate' });

export function aggregateJob(input: K8sInput): Manifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...meta(input, `${input.name}-aggregate`), labels: aggregateLabels(input) },
    spec: {
      // Its exit code is the live verdict (99: a threshold failed across the runners).
      backoffLimit: 0,
      activeDeadlineSeconds: input.activeDeadlineSeconds + 120,
      template: {
        metadata: { labels: aggregateLabels(input) },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'aggregate',
              image: input.image,
              command: aggregateArgs(input),
              env: tokenEnv(input, ['VOLLEY_AGGREGATE_TOKEN', 'VOLLEY_DASHBOARD_TOKEN']),
              ports: [
                { name: 'push', containerPort: AGGREGATE_PORT },
                { name: 'dashboard', containerPort: AGGREGATE_DASHBOARD_PORT },
              ],
              resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '1Gi' } },
            },
          ],
        },
      },
    },
  };
}

export function aggregateService(input: K8sInput): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(input, `${input.name}-aggregate`),
    spec: {
      selector: { 'app.kubernetes.io/instance': input.name, 'app.kubernetes.io/component': 'aggregate' },
      ports: [
        { name: 'push', port: AGGREGATE_PORT, targetPort: 'push' },
        { name: 'dashboard', port: AGGREGATE_DASHBOARD_PORT, targetPort: 'dashboard' },
      ],
    },
  };
}

/** The objects to apply before the run (ConfigMap, PVC, the aggregate's, run Job) and the merge Job, applied after it. */
export function renderManifests(input: K8sInput): { run: Manifest[]; merge: Manifest } {
  const aggregate = input.aggregate ? [aggregateSecret(input), aggregateService(input), aggregateJob(input)] : [];
  const run = [scriptConfigMap(input), ...(input.partsClaim ? [] : [partsClaim(input)]), ...aggregate, runJob(input)];
  return { run, merge: mergeJob(input) };
}
