import type { ScenarioConfig } from '../config/types.js';
import type { Headline } from '../metrics/catalog.js';
import { breakdownValues, type Aggregator } from '../metrics/aggregator.js';
import type { ScenarioStatus } from '../metrics/live.js';

/** Error code of a request cut by the end of the test (protocols/http/error-codes.ts RequestInterrupted). */
const INTERRUPTED_CODE = '1070';

/**
 * What the end of a run must say in words, because numbers alone read as success: dropped
 * iterations, scenarios where nothing completed, and a target that never answered. The request
 * counts come from the protocols' headline metrics (throughput and errors), broken down by `error`.
 */
export function runFindings(agg: Aggregator, scenarios: readonly ScenarioConfig[], status: (name: string) => ScenarioStatus, headline: Headline): string[] {
  const out: string[] = [];
  for (const sc of scenarios) {
    const dropped = agg.find('dropped_iterations', 'scenario', sc.name)?.sink.get('count') ?? 0;
    if (dropped > 0 && (sc.executor === 'constant-arrival-rate' || sc.executor === 'ramping-arrival-rate')) {
      out.push(`scenario "${sc.name}" dropped ${fmt(dropped)} iterations: all ${fmt(sc.maxVUs)} VUs were busy (raise maxVUs or lower the rate)`);
    }
    const completed = agg.find('iterations', 'scenario', sc.name)?.sink.get('count') ?? 0;
    const interrupted = status(sc.name).interrupted ?? 0;
    if (completed === 0 && interrupted > 0) {
      out.push(`scenario "${sc.name}": no iteration completed; ${fmt(interrupted)} ${interrupted === 1 ? 'was' : 'were'} interrupted at the end (gracefulStop ${sc.gracefulStopMs / 1000}s): the target did not answer in time, or the iterations are longer than the scenario`);
    }
  }
  const total = headline.throughput ? (agg.find(headline.throughput)?.sink.get('count') ?? 0) : 0;
  if (total > 0 && headline.errors) {
    let noResponse = 0;
    let cut = 0;
    for (const a of agg.list('error', headline.errors)) {
      const [st = '', code = ''] = breakdownValues(a.key);
      if (st !== '0') continue;
      const n = a.sink.get('passes') ?? 0;
      noResponse += n;
      if (code === INTERRUPTED_CODE) cut += n;
    }
    if (noResponse >= total) {
      const why = cut === total ? 'every request was still waiting when the test ended (a hung target?)' : cut > 0 ? `${fmt(cut)} were still waiting when the test ended, the others failed to connect or were cut` : 'they failed to connect or were cut (is the target up, and the URL right?)';
      out.push(`no HTTP request completed: none of the ${fmt(total)} requests got a response; ${why}`);
    }
  }
  return out;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
