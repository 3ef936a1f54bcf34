import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InfluxDbOutput, OtlpOutput, RemoteWriteOutput, ScrapeOutput, registerMonitoringOutputs } from './monitoring.js';
import { createOutput, outputNames } from './registry.js';
import { context } from './testing/helpers.js';

describe('registerMonitoringOutputs', () => {
  it('makes --out prometheus, prometheus-rw, otlp and influxdb known to the registry', async () => {
    registerMonitoringOutputs();
    registerMonitoringOutputs(); // idempotent
    for (const n of ['prometheus', 'prometheus-rw', 'otlp', 'influxdb']) assert.ok(outputNames().includes(n), n);
    const ctx = context('/tmp');
    const outs = [
      createOutput('prometheus=127.0.0.1:0', ctx),
      createOutput('prometheus-rw=http://127.0.0.1:9/api/v1/write', ctx),
      createOutput('otlp=http://127.0.0.1:9/v1/metrics', ctx),
      createOutput('influxdb=http://127.0.0.1:9/k6', ctx),
    ];
    assert.ok(outs[0] instanceof ScrapeOutput);
    assert.ok(outs[1] instanceof RemoteWriteOutput);
    assert.ok(outs[2] instanceof OtlpOutput);
    assert.ok(outs[3] instanceof InfluxDbOutput);
    for (const o of outs) {
      assert.equal(o.wantsSamples, false, o.description);
      assert.equal(typeof o.addSnapshot, 'function');
    }
    assert.deepEqual(
      outs.map((o) => o.description.replace(/:\d+/g, ':N')),
      ['prometheus (http://127.0.0.1:N/metrics)', 'prometheus-rw (http://127.0.0.1:N/api/v1/write)', 'otlp (http://127.0.0.1:N/v1/metrics)', 'influxdb (http://127.0.0.1:N/write?db=k6&precision=ms)'],
    );
    // Never started: stop() is harmless.
    for (const o of outs) await o.stop();
  });

  it('a typo in the output name still gets the registry suggestion', () => {
    registerMonitoringOutputs();
    assert.throws(() => createOutput('promethus=:9464', context('/tmp')), { code: 'E_OUTPUT', message: /did you mean "prometheus"\?/ });
  });
});
