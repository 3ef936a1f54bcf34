import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVolleyError } from '../errors/index.js';
import { CsvOutput } from './csv.js';
import { JsonOutput } from './json.js';
import { createOutput, outputNames } from './registry.js';
import { context } from './testing/helpers.js';

describe('createOutput', () => {
  const ctx = context('/tmp/volley-registry-test');

  it('creates json and csv outputs from --out specs (nothing opened yet)', () => {
    const j = createOutput('json=samples.ndjson', ctx);
    assert.ok(j instanceof JsonOutput);
    assert.equal(j.description, 'json (samples.ndjson)');
    assert.equal((j as JsonOutput).path, '/tmp/volley-registry-test/samples.ndjson');
    assert.ok(createOutput('csv=out/samples.csv.gz', ctx) instanceof CsvOutput);
    assert.ok(createOutput('csv=fileName=/abs/s.csv,timeFormat=rfc3339', ctx) instanceof CsvOutput);
    assert.deepEqual(outputNames().slice(0, 2), ['json', 'csv']);
  });

  it('rejects unknown outputs with a suggestion, and missing files', () => {
    const err = (spec: string) => {
      try {
        createOutput(spec, ctx);
      } catch (e) {
        assert.ok(isVolleyError(e));
        assert.equal(e.code, 'E_OUTPUT');
        assert.equal(e.exitCode, 104);
        return e.message;
      }
      assert.fail(`accepted ${spec}`);
    };
    assert.match(err('jsn=x.ndjson'), /unknown output "jsn".*did you mean "json"\?/);
    assert.match(err('influxdb=http://x'), /unknown output "influxdb" in --out influxdb=http:\/\/x$/);
    assert.match(err('json'), /output json needs a file name/);
    assert.match(err('json='), /output json needs a file name/);
    assert.match(err('csv=timeFormat=unix'), /output csv needs a file name/);
  });
});
