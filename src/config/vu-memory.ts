import { ExitCode, VolleyError } from '../errors/index.js';
import { maxVUs } from './describe.js';
import type { ScenarioConfig } from './types.js';

/**
 * Memory of the lightest VU: ~7 KB of heap per sleeping HTTP VU at 10,000 VUs (bench/RESULTS.md,
 * "Memory per sleeping VU"), rounded up. Real scripts need more: this bound only stops the impossible.
 */
export const MIN_BYTES_PER_VU = 8 * 1024;
/** Share of the machine's memory the VUs may take by that estimate. */
export const VU_MEMORY_SHARE = 0.5;

/**
 * Refuses VU counts that cannot fit in `totalMemBytes` (e.g. `vus: 1e9`, which would eat memory
 * until the machine dies), naming the option and value of the biggest scenario. Exit 104.
 */
export function checkVuMemory(scenarios: readonly ScenarioConfig[], totalMemBytes: number): void {
  const total = scenarios.reduce((a, sc) => a + maxVUs(sc), 0);
  const need = total * MIN_BYTES_PER_VU;
  const allowed = totalMemBytes * VU_MEMORY_SHARE;
  if (need <= allowed || scenarios.length === 0) return;
  const big = scenarios.reduce((a, sc) => (maxVUs(sc) > maxVUs(a) ? sc : a));
  const field = big.executor === 'ramping-vus' ? 'stages[].target' : big.executor.endsWith('arrival-rate') ? 'maxVUs' : 'vus';
  const option = big.name === 'default' ? (big.executor === 'ramping-vus' ? 'stages' : 'vus') : `scenarios.${big.name}.${field}`;
  throw new VolleyError(
    'E_TOO_MANY_VUS',
    `${option}: ${maxVUs(big)} VUs cannot fit in memory: ${fmt(total)} VUs need at least ${bytes(need)} (${MIN_BYTES_PER_VU / 1024} KiB per VU, the lightest measured), and this machine has ${bytes(totalMemBytes)} (VUs may take half)`,
    { hint: `lower ${option}, or spread the test over several machines; --no-vu-memory-check (noVUMemoryCheck) starts it anyway`, exitCode: ExitCode.InvalidConfig },
  );
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(n < 10 ? 1 : 0)} ${units[i]}`;
}
