/**
 * A runner pod's resources. Memory is sized from the measured cost of a VU (bench/RESULTS.md,
 * "Memory per sleeping VU": 131 MB peak RSS for a runner, 7.1 KB per sleeping VU on top) times the
 * most VUs a runner holds, with 50 % headroom; real scripts hold more per VU (bodies, data), so
 * `--memory` overrides it. CPU: a request of one core and no CPU limit by default, because a CFS
 * quota throttles the event loop in bursts and the throttled milliseconds show up as latency of the
 * system under test.
 */
import { ExitCode, VolleyError } from '../../errors/index.js';
import type { Resources } from './manifests.js';

/** Peak RSS of a runner with a handful of VUs (bench/RESULTS.md), bytes. */
export const RUNNER_BASE_BYTES = 131e6;
/** Peak memory of one sleeping HTTP VU (bench/RESULTS.md), bytes. */
export const BYTES_PER_VU = 7.1e3;
export const HEADROOM = 1.5;
const MI = 1024 * 1024;

/** The memory request for a runner of `vus` VUs: (base + VUs × per VU) × headroom, rounded up to 64 MiB. */
export function memoryForVus(vus: number): string {
  const bytes = (RUNNER_BASE_BYTES + vus * BYTES_PER_VU) * HEADROOM;
  return `${Math.ceil(bytes / (64 * MI)) * 64}Mi`;
}

/** A Kubernetes quantity (`500m`, `1`, `1.5`, `512Mi`, `2G`, `1e3`). */
const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

export function checkQuantity(flag: string, v: string): string {
  if (!QUANTITY.test(v)) {
    throw new VolleyError('E_K8S_INPUT', `${flag} ${JSON.stringify(v)} is not a Kubernetes quantity`, { hint: `write e.g. ${flag.includes('cpu') ? '500m, 1 or 2' : '512Mi or 2Gi'}`, exitCode: ExitCode.InvalidConfig });
  }
  return v;
}

export interface ResourceFlags {
  cpu?: string | undefined;
  memory?: string | undefined;
  cpuLimit?: string | undefined;
  memoryLimit?: string | undefined;
}

/** Requests and limits for runners of at most `vusPerRunner` VUs; flags win. Memory limit: twice the request. */
export function runnerResources(vusPerRunner: number, f: ResourceFlags): Resources {
  const memory = f.memory !== undefined ? checkQuantity('--memory', f.memory) : memoryForVus(vusPerRunner);
  const memoryLimit = f.memoryLimit !== undefined ? checkQuantity('--memory-limit', f.memoryLimit) : doubled(memory);
  return {
    requests: { cpu: f.cpu !== undefined ? checkQuantity('--cpu', f.cpu) : '1', memory },
    limits: { ...(f.cpuLimit !== undefined ? { cpu: checkQuantity('--cpu-limit', f.cpuLimit) } : {}), memory: memoryLimit },
  };
}

function doubled(q: string): string {
  const m = /^(\d+)(Mi|Gi)$/.exec(q);
  return m ? `${Number(m[1]) * 2}${m[2]}` : q;
}
