import { setFlagsFromString } from 'node:v8';

/** From this many VUs (summed over scenarios) on, worker heaps are sized for memory, not speed. */
export const MANY_VUS = 1000;

let applied = false;

/**
 * Runs V8 with `--optimize-for-size` when a test holds many VUs. Must be called before the worker
 * threads (and their heaps) are created. Measured 2026-11-25 on the 2-core box (bench/RESULTS.md):
 * 10,000 sleeping VUs with keep-alive connections need 7 KB of RSS per VU with the flag and 22 KB
 * without; but on a 64-VU throughput test it raises GC from 2.6% to 11.3% of the worker's time
 * (~1 µs per request). Memory is the limit of large tests and CPU of small ones, hence the switch.
 */
export function chooseHeapMode(totalMaxVus: number): 'size' | 'speed' {
  if (totalMaxVus < MANY_VUS) return 'speed';
  if (!applied) {
    setFlagsFromString('--optimize-for-size');
    applied = true;
  }
  return 'size';
}
