import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRunnerInstance } from './segment.js';

test('withRunnerInstance: pushed outputs get label.instance unless they set one; files and scrape untouched', () => {
  assert.equal(withRunnerInstance('prometheus-rw=http://p:9090/api/v1/write', 'h:0:1/2'), 'prometheus-rw=http://p:9090/api/v1/write,label.instance=h:0:1/2');
  assert.equal(withRunnerInstance('prometheus-rw', 'h:1/2:1'), 'prometheus-rw=,label.instance=h:1/2:1');
  assert.equal(withRunnerInstance('otlp=http://c:4318/v1/metrics,serviceName=x', 'i'), 'otlp=http://c:4318/v1/metrics,serviceName=x,label.instance=i');
  assert.equal(withRunnerInstance('influxdb=http://i:8086/db', 'i'), 'influxdb=http://i:8086/db,label.instance=i');
  assert.equal(withRunnerInstance('prometheus-rw=http://p/w,label.instance=pod-3', 'i'), 'prometheus-rw=http://p/w,label.instance=pod-3');
  assert.equal(withRunnerInstance('json=out.ndjson', 'i'), 'json=out.ndjson');
  assert.equal(withRunnerInstance('prometheus=:9464', 'i'), 'prometheus=:9464');
});
