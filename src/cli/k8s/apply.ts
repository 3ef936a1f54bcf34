/**
 * `volley k8s --apply`: applies the run manifests with kubectl, waits until the run Job has
 * finished (complete or failed: a stopped runner's partial part still merges), applies the merge Job,
 * waits for it, prints its log (the merged summary) and returns its exit code: 0, 99 when a threshold
 * failed across the runners, 105 when a runner did not finish, 104 when a part is missing.
 * Needs kubectl on PATH with a context for the cluster.
 */
import { spawn } from 'node:child_process';
import { ExitCode, VolleyError } from '../../errors/index.js';
import type { Manifest } from './manifests.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function kubectl(args: readonly string[], stdin?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn('kubectl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new VolleyError('E_K8S_KUBECTL', 'volley k8s --apply needs kubectl, which is not on PATH', { hint: 'install kubectl and select the cluster\'s context, or write the manifests with -o DIR and apply them yourself (docs/distributed.md)', exitCode: ExitCode.InvalidConfig })
          : e,
      );
    });
    p.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    p.stdin.end(stdin ?? '');
  });
}

async function must(args: readonly string[], stdin?: string): Promise<string> {
  const r = await kubectl(args, stdin);
  if (r.code !== 0) throw new VolleyError('E_K8S_KUBECTL', `kubectl ${args.join(' ')} failed: ${r.stderr.trim() || `exit ${r.code}`}`, { hint: 'check the cluster context (kubectl config current-context) and your permissions on Jobs, ConfigMaps and PersistentVolumeClaims', exitCode: ExitCode.GenericError });
  return r.stdout;
}

/** Polls the Job until it has a Complete or Failed condition; returns that condition. */
async function waitFinished(job: Manifest, timeoutSeconds: number): Promise<'Complete' | 'Failed'> {
  const ns = job.metadata.namespace ? ['-n', job.metadata.namespace] : [];
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const out = await must(['get', 'job', job.metadata.name, ...ns, '-o', 'jsonpath={range .status.conditions[?(@.status=="True")]}{.type}{"\\n"}{end}']);
    const types = out.split('\n');
    if (types.includes('Complete') || types.includes('SuccessCriteriaMet')) return 'Complete';
    if (types.includes('Failed') || types.includes('FailureTarget')) return 'Failed';
    if (Date.now() > deadline) throw new VolleyError('E_K8S_TIMEOUT', `Job ${job.metadata.name} has not finished after ${timeoutSeconds} s`, { hint: `look at it with kubectl describe job ${job.metadata.name}; --timeout SECONDS waits longer`, exitCode: ExitCode.GenericTimeout });
    await new Promise((r) => setTimeout(r, 5000));
  }
}

export async function applyWithKubectl(m: { run: Manifest[]; merge: Manifest }, o: { toYaml: (d: readonly Manifest[]) => string; timeoutSeconds: number }): Promise<number> {
  const runJob = m.run.at(-1)!;
  const ns = runJob.metadata.namespace ? ['-n', runJob.metadata.namespace] : [];
  // A Job's pod template cannot be changed: the Jobs of an earlier run of the same name go first
  // (their parts stay on the claim, in their own folder).
  await must(['delete', 'job', runJob.metadata.name, m.merge.metadata.name, ...ns, '--ignore-not-found']);
  process.stderr.write(await must(['apply', '-f', '-'], o.toYaml(m.run)));
  const state = await waitFinished(runJob, o.timeoutSeconds);
  process.stderr.write(`volley: Job ${runJob.metadata.name}: ${state}; merging the runners' parts\n`);
  process.stderr.write(await must(['apply', '-f', '-'], o.toYaml([m.merge])));
  await waitFinished(m.merge, 660);
  const log = await kubectl(['logs', `job/${m.merge.metadata.name}`, ...ns]);
  process.stdout.write(log.stdout);
  process.stderr.write(log.stderr);
  const code = await must(['get', 'pods', ...ns, '-l', `job-name=${m.merge.metadata.name}`, '-o', 'jsonpath={.items[0].status.containerStatuses[0].state.terminated.exitCode}']);
  const n = Number(code.trim());
  return Number.isInteger(n) ? n : ExitCode.GenericError;
}
