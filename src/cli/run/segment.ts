import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ResolvedOptions } from '../../config/types.js';
import { ExitCode, VolleyError } from '../../errors/index.js';
import { resolveSegment, WHOLE_TEST, type SegmentInterval } from '../../util/execution-segment.js';

/** The runner's segment from the resolved options (already validated by the config). */
export function runnerSegment(options: ResolvedOptions): SegmentInterval {
  if (options.executionSegment === undefined && options.executionSegmentSequence === undefined) return WHOLE_TEST;
  const r = resolveSegment(options.executionSegment, options.executionSegmentSequence);
  if (typeof r === 'string') throw new VolleyError('E_INVALID_OPTIONS', r, { exitCode: ExitCode.InvalidConfig });
  return r;
}

/**
 * A Kubernetes Indexed Job (or any launcher) that numbers its pods: JOB_COMPLETION_INDEX=i with
 * VOLLEY_SEGMENTS=N runs segment i/N:(i+1)/N of the sequence 0,1/N,...,1. An explicit
 * `--execution-segment` or VOLLEY_SEGMENT wins.
 */
export function jobIndexSegment(env: Record<string, string | undefined>): { executionSegment?: string; executionSegmentSequence?: string } {
  const idx = env.JOB_COMPLETION_INDEX;
  const n = env.VOLLEY_SEGMENTS;
  if (idx === undefined || n === undefined || env.VOLLEY_SEGMENT !== undefined) return {};
  const i = Number(idx);
  const count = Number(n);
  if (!Number.isInteger(i) || !Number.isInteger(count) || count < 1 || i < 0 || i >= count) {
    throw new VolleyError('E_INVALID_OPTIONS', `JOB_COMPLETION_INDEX=${idx} with VOLLEY_SEGMENTS=${n} is not a segment`, {
      hint: 'VOLLEY_SEGMENTS is the number of runners (the Job\'s completions); JOB_COMPLETION_INDEX goes from 0 to VOLLEY_SEGMENTS-1',
      exitCode: ExitCode.InvalidConfig,
    });
  }
  return {
    executionSegment: `${i}/${count}:${i + 1}/${count}`,
    executionSegmentSequence: Array.from({ length: count + 1 }, (_, k) => (k === 0 ? '0' : k === count ? '1' : `${k}/${count}`)).join(','),
  };
}

/**
 * sha256 of the bundled script without its source map (which names paths on this machine): the
 * runners of one distributed test must have run the same code, wherever it was checked out.
 */
export async function scriptHash(bundleUrl: string): Promise<string> {
  const code = await readFile(fileURLToPath(bundleUrl), 'utf8');
  return createHash('sha256').update(code.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '')).digest('hex');
}

/** The `--out` outputs that push series to a shared backend, where runners must not overwrite each other. */
const PUSHED_OUTPUT = /^(prometheus-rw|otlp|influxdb)(=|$)/;

/**
 * A runner of a segmented test pushes its live metrics with an `instance` label (`<host>:<segment>`)
 * unless the output sets one (`label.instance=…`): runners pushing the same series without it would
 * overwrite each other's samples in Prometheus or InfluxDB, and the sums across runners
 * (`sum(k6_http_reqs_total)`, native histograms) need one series per runner.
 */
export function withRunnerInstance(spec: string, instance: string): string {
  if (!PUSHED_OUTPUT.test(spec) || /[=,]label\.instance=/.test(spec)) return spec;
  const sep = spec.includes('=') ? ',' : '=,';
  return `${spec}${sep}label.instance=${instance}`;
}
