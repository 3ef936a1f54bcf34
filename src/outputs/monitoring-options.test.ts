import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TREND_STATS, parseMonitoringArg, trendStatSuffix, type MonitoringArgSpec } from './monitoring-options.js';

const SPEC: MonitoringArgSpec = {
  output: 'prometheus-rw',
  targetLabel: 'remote-write URL',
  example: 'prometheus-rw=http://127.0.0.1:9090/api/v1/write',
  defaultTarget: 'http://localhost:9090/api/v1/write',
  defaults: { prefix: 'k6_', pushIntervalMs: 5000 },
  extraOptions: ['token'],
};

function problem(fn: () => unknown): { code: string; message: string; hint: string; exitCode: number } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; hint: string; exitCode: number };
  }
  assert.fail('expected an error');
}

describe('parseMonitoringArg', () => {
  it('reads the target and the defaults', () => {
    const o = parseMonitoringArg(SPEC, 'http://127.0.0.1:9090/api/v1/write', {});
    assert.equal(o.target, 'http://127.0.0.1:9090/api/v1/write');
    assert.equal(o.prefix, 'k6_');
    assert.equal(o.pushIntervalMs, 5000);
    assert.equal(o.timeoutMs, 5000);
    assert.equal(o.flushTimeoutMs, 5000);
    assert.equal(o.maxQueue, 120);
    assert.deepEqual(o.trendStats, DEFAULT_TREND_STATS);
    assert.equal(o.testid, undefined);
    assert.deepEqual(o.labels, {});
    assert.deepEqual(o.headers, {});
  });

  it('uses the default target when none is given, also with options only', () => {
    assert.equal(parseMonitoringArg(SPEC, '', {}).target, 'http://localhost:9090/api/v1/write');
    const o = parseMonitoringArg(SPEC, 'prefix=volley_', {});
    assert.equal(o.target, 'http://localhost:9090/api/v1/write');
    assert.equal(o.prefix, 'volley_');
  });

  it('reads options, labels, headers and a k6-style trendStats list', () => {
    const o = parseMonitoringArg(
      SPEC,
      'http://h:1/w?x=1,prefix=volley_,testid=run-7,pushInterval=2s,timeout=750ms,flushTimeout=0,maxQueue=3,trendStats=p(95),p(99),max,label.env=ci,header.X-Scope-OrgID=t1,token=abc',
      {},
    );
    assert.equal(o.target, 'http://h:1/w?x=1');
    assert.equal(o.prefix, 'volley_');
    assert.equal(o.testid, 'run-7');
    assert.equal(o.pushIntervalMs, 2000);
    assert.equal(o.timeoutMs, 750);
    assert.equal(o.flushTimeoutMs, 0);
    assert.equal(o.maxQueue, 3);
    assert.deepEqual(o.trendStats, ['p(95)', 'p(99)', 'max']);
    assert.deepEqual(o.labels, { env: 'ci' });
    assert.deepEqual(o.headers, { 'X-Scope-OrgID': 't1' });
    assert.equal(o.extra.get('token'), 'abc');
  });

  it('takes options from VOLLEY_<OUTPUT>_<OPTION> variables; the argument wins', () => {
    const env = { VOLLEY_PROMETHEUS_RW_PREFIX: 'env_', VOLLEY_PROMETHEUS_RW_PUSH_INTERVAL: '1s', VOLLEY_PROMETHEUS_RW_TOKEN: 't', VOLLEY_PROMETHEUS_RW_TREND_STATS: 'avg,p(90)' };
    const o = parseMonitoringArg(SPEC, 'http://h/w', env);
    assert.equal(o.prefix, 'env_');
    assert.equal(o.pushIntervalMs, 1000);
    assert.equal(o.extra.get('token'), 't');
    assert.deepEqual(o.trendStats, ['avg', 'p(90)']);
    assert.equal(parseMonitoringArg(SPEC, 'http://h/w,prefix=arg_', env).prefix, 'arg_');
  });

  it('an empty prefix is allowed', () => {
    assert.equal(parseMonitoringArg(SPEC, 'http://h/w,prefix=', {}).prefix, '');
  });

  it('reports every problem at once, with the closest option name and exit code 104', () => {
    const e = problem(() => parseMonitoringArg(SPEC, 'http://h/w,prefx=a,pushInterval=soon,maxQueue=0,trendStats=p(50),bare,prefix=1x', {}));
    assert.equal(e.code, 'E_OUTPUT');
    assert.equal(e.exitCode, 104);
    assert.match(e.message, /^--out prometheus-rw: /);
    assert.match(e.message, /unknown option "prefx" \(did you mean "prefix"\?\)/);
    assert.match(e.message, /pushInterval=soon is not a duration/);
    assert.match(e.message, /maxQueue=0 is not a whole number/);
    assert.match(e.message, /trendStats=p\(50\),bare: unknown stat "p\(50\)", "bare"/);
    assert.match(e.message, /prefix=1x must start with a letter/);
    assert.match(e.hint, /prometheus-rw=http:\/\/127\.0\.0\.1:9090/);
    assert.match(e.hint, /VOLLEY_PROMETHEUS_RW_PREFIX/);
  });

  it('an option without a value is an error (outside a trendStats list)', () => {
    assert.match(problem(() => parseMonitoringArg(SPEC, 'http://h/w,oops', {})).message, /option "oops" has no value/);
  });

  it('requires a target when the output has no default', () => {
    const { defaultTarget: _, ...noDefault } = SPEC;
    assert.match(problem(() => parseMonitoringArg(noDefault, '', {})).message, /a remote-write URL is required/);
  });

  it('excluded options are unknown', () => {
    const e = problem(() => parseMonitoringArg({ ...SPEC, excludeOptions: ['pushInterval'] }, 'x,pushInterval=1s', {}));
    assert.match(e.message, /unknown option "pushInterval"/);
  });
});

describe('trendStatSuffix', () => {
  it('names percentiles as k6 does', () => {
    assert.equal(trendStatSuffix('p(99)'), 'p99');
    assert.equal(trendStatSuffix('p(90)'), 'p90');
    assert.equal(trendStatSuffix('med'), 'med');
    assert.equal(trendStatSuffix('count'), 'count');
  });
});
