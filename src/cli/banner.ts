import { formatDuration } from '../config/duration.js';
import { describeScenario, maxVUs, testMaxDurationMs } from '../config/describe.js';
import type { ResolvedOptions } from '../config/types.js';

/**
 * The execution plan printed before a run, in k6's words:
 *
 *   execution: local (2 workers)
 *      script: examples/demo.ts
 *   scenarios: 2 scenarios, 60 max VUs, 50s max duration (incl. graceful stop):
 *              * browse: Up to 10 looping VUs for 20s over 3 stages (gracefulRampDown: 2s, gracefulStop: 30s)
 */
export function renderBanner(script: string, options: ResolvedOptions, workers: number, outputs: string[]): string {
  const sc = options.scenarios;
  const vus = sc.reduce((a, s) => a + maxVUs(s), 0);
  const lines = [
    `  execution: local (${workers} worker${workers === 1 ? '' : 's'})`,
    `     script: ${script}`,
    `     output: ${outputs.length > 0 ? outputs.join(', ') : '-'}`,
    '',
    `  scenarios: ${sc.length} scenario${sc.length === 1 ? '' : 's'}, ${vus} max VUs, ${formatDuration(testMaxDurationMs(sc))} max duration (incl. graceful stop):`,
    ...sc.map((s) => `           * ${s.name}: ${describeScenario(s)}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
