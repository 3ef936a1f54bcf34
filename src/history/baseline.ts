import { existsSync } from 'node:fs';
import { configError } from '../errors/index.js';
import type { Side } from './side.js';
import { readSummarySide, sideOfRun } from './side.js';
import type { RunStore } from './store.js';

/**
 * Resolves a run reference to a comparison side:
 * - `12` or `#12`: stored run 12;
 * - `latest`: the most recent stored run of `test` (older than `beforeId`), or of any test;
 * - a path to an existing file: a summary file (Volley's or k6's --summary-export);
 * - anything else: a branch, meaning its latest passing run of `test`.
 * An unknown run, branch or file is a VolleyError (exit 104) naming it.
 */
export async function resolveSide(ref: string, store: RunStore | undefined, ctx: { test?: string | undefined; beforeId?: number | undefined; what: string }): Promise<Side> {
  const id = /^#?(\d+)$/.exec(ref);
  if (id) {
    const run = await needStore(store, ref, ctx.what).get(Number(id[1]));
    if (!run) throw configError('E_RUN_NOT_FOUND', `${ctx.what} ${JSON.stringify(ref)}: no run with id ${id[1]} in ${store!.description}`, 'volley runs lists the stored runs and their ids');
    return sideOfRun(run);
  }
  if (existsSync(ref) || /\.json$/i.test(ref)) {
    if (!existsSync(ref)) throw configError('E_SUMMARY_FILE', `${ctx.what} ${JSON.stringify(ref)}: no such file`, 'give a summary file written by --summary-export, a run id, latest, or a branch');
    return readSummarySide(ref);
  }
  const s = needStore(store, ref, ctx.what);
  const [info] = ref === 'latest' ? await s.list({ test: ctx.test, beforeId: ctx.beforeId, limit: 1 }) : await s.list({ test: ctx.test, branch: ref, passed: true, beforeId: ctx.beforeId, limit: 1 });
  if (!info) {
    const of = ctx.test ? ` of ${JSON.stringify(ctx.test)}` : '';
    const msg = ref === 'latest' ? `${ctx.what} "latest": no earlier stored run${of} in ${s.description}` : `${ctx.what} ${JSON.stringify(ref)}: no passing run${of} on branch ${JSON.stringify(ref)} in ${s.description}, and no file by that name`;
    throw configError(ref === 'latest' ? 'E_RUN_NOT_FOUND' : 'E_BASELINE_NOT_FOUND', msg, 'save a run first (volley run --save), or give a run id, a branch with a passing saved run, or a summary file');
  }
  const run = await s.get(info.id);
  return sideOfRun(run!);
}

function needStore(store: RunStore | undefined, ref: string, what: string): RunStore {
  if (!store) throw configError('E_STORE_OPEN', `${what} ${JSON.stringify(ref)} needs the run store, which could not be opened`, 'check --store');
  return store;
}

/** Earlier passing runs of `test` (not `excludeId`), newest first: the run-to-run noise sample. */
export async function historySides(store: RunStore, test: string | undefined, excludeId: number | undefined, limit = 10): Promise<Side[]> {
  if (!test) return [];
  const infos = await store.list({ test, passed: true, limit: limit + 1 });
  const out: Side[] = [];
  for (const i of infos) {
    if (i.id === excludeId || out.length >= limit) continue;
    const r = await store.get(i.id);
    if (r) out.push(sideOfRun(r));
  }
  return out;
}
