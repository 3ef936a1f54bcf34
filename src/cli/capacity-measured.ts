import { existsSync } from 'node:fs';
import { configError } from '../errors/index.js';
import { openStore, storeSpec } from '../history/open.js';

/**
 * `volley capacity --measured 42`: a run id (digits, and no file of that name) is read from the run
 * history (docs/history.md); anything else is left to capacity/measured.ts as a file.
 */
export async function storedMeasurement(measured: string | undefined, store: string | undefined): Promise<{ name: string; data: object } | undefined> {
  if (measured === undefined || !/^\d+$/.test(measured) || existsSync(measured)) return undefined;
  const s = await openStore(storeSpec(store));
  try {
    const run = await s.get(Number(measured));
    if (!run) throw configError('E_CAPACITY_MEASURED', `--measured ${measured}: no run ${measured} in ${s.description}`, 'list the stored runs with volley history list');
    return { name: `run ${measured} (${run.summary.volley?.script ?? 'stored run'})`, data: run.summary };
  } finally {
    await s.close();
  }
}
