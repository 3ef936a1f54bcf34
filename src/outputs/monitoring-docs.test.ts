/** docs/monitoring.md stays true to the option parser: every documented option is accepted, every accepted option documented. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { INFLUXDB_ARG } from './influxdb/influxdb-output.js';
import { parseMonitoringArg, type MonitoringArgSpec } from './monitoring-options.js';
import { OTLP_ARG } from './otlp/otlp-output.js';
import { REMOTE_WRITE_ARG } from './prometheus/remote-write-output.js';
import { SCRAPE_ARG } from './prometheus/scrape-output.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'monitoring.md'), 'utf8');
const SPECS: MonitoringArgSpec[] = [SCRAPE_ARG, REMOTE_WRITE_ARG, OTLP_ARG, INFLUXDB_ARG];

/** First-column option names of the "## Options" table. */
function documentedOptions(): string[] {
  const section = DOC.slice(DOC.indexOf('## Options'), DOC.indexOf('## Metric names'));
  return [...section.matchAll(/^\| `([a-zA-Z][a-zA-Z0-9]*)` \|/gm)].map((m) => m[1]!);
}

const SAMPLE_VALUE: Record<string, string> = { pushInterval: '2s', timeout: '1s', flushTimeout: '1s', maxQueue: '5', trendStats: 'p(95)', prefix: 'x_', testid: 't', serviceName: 's', token: 't' };

describe('docs/monitoring.md', () => {
  it('documents each option that some output accepts, and each documented option is accepted by some output', () => {
    const documented = documentedOptions();
    assert.ok(documented.length >= 9, `parsed ${documented.join(',')}`);
    for (const name of documented) {
      const accepted = SPECS.some((spec) => {
        try {
          parseMonitoringArg(spec, `${spec.defaultTarget},${name}=${SAMPLE_VALUE[name] ?? 'v'}`, {});
          return true;
        } catch {
          return false;
        }
      });
      assert.ok(accepted, `documented option ${name} is accepted by no output`);
    }
    for (const spec of SPECS) {
      for (const name of spec.extraOptions ?? []) assert.ok(documented.includes(name), `${spec.output}: ${name} undocumented`);
    }
    for (const common of ['prefix', 'testid', 'trendStats', 'pushInterval', 'timeout', 'flushTimeout', 'maxQueue']) assert.ok(documented.includes(common), common);
  });

  it('names each output with its syntax and default target', () => {
    for (const spec of SPECS) {
      assert.ok(DOC.includes(`--out ${spec.output}=`), spec.output);
      assert.ok(DOC.includes(spec.defaultTarget!), `${spec.output} default ${spec.defaultTarget}`);
    }
  });
});
