import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDurationMs } from './duration.js';
import { checkTrendStat, parseBoolean, parseDuration, parseInteger, parseTimeUnit } from './values.js';
import { mulberry32 } from '../util/prng.js';

const rng = mulberry32;

const ms = (v: unknown, bare: 'ms' | 'reject' = 'ms') => {
  const r = parseDuration(v, bare);
  return r.ok ? r.value : r.message;
};

describe('parseDuration (option values)', () => {
  it('reads k6 duration strings', () => {
    assert.equal(ms('30s'), 30_000);
    assert.equal(ms('1m30s'), 90_000);
    assert.equal(ms('500ms'), 500);
    assert.equal(ms('1.5h'), 5_400_000);
    assert.equal(ms('.5s'), 500);
    assert.equal(ms('1h2m3s4ms'), 3_723_004);
    assert.equal(ms('1d'), 86_400_000);
    assert.equal(ms('2d3h'), 183_600_000);
    assert.equal(ms('250us'), 0.25);
    assert.equal(ms('250µs'), 0.25);
    assert.equal(ms('1500ns'), 0.0015);
    assert.equal(ms(' 30s '), 30_000);
    assert.equal(ms('+5s'), 5000);
    assert.equal(ms('0s'), 0);
    assert.equal(ms('1.1s'), 1100, 'no float noise (1.1 * 1000 = 1100.0000000000002)');
  });
  it('numbers and unit-less strings are milliseconds (k6 script/env semantics)', () => {
    assert.equal(ms(1500), 1500);
    assert.equal(ms(1000.5), 1000.5);
    assert.equal(ms('10000'), 10_000);
    assert.equal(ms('0'), 0);
  });
  it('refuses unit-less strings where k6 does (the command line)', () => {
    assert.equal(ms('30', 'reject'), '"30" has no unit (use e.g. "30s", "1m30s", "500ms")');
    assert.equal(ms('30s', 'reject'), 30_000);
    assert.equal(ms(30, 'reject'), 30, 'a number is still milliseconds');
  });
  it('refuses what is not a duration, with the spec wording', () => {
    for (const bad of ['10x', '', ' ', 's', '1s2', '1e3s', '1 s', 'ten seconds', '1.2.3s', '30S', '1ss']) {
      assert.equal(ms(bad), `${JSON.stringify(bad)} is not a duration (use e.g. "30s", "1m30s", "500ms")`, bad);
    }
    assert.equal(ms(NaN), 'NaN is not a duration (use e.g. "30s", "1m30s", "500ms")');
    assert.equal(ms(Infinity), 'Infinity is not a duration (use e.g. "30s", "1m30s", "500ms")');
    assert.equal(ms(true), 'must be a duration such as "30s" (got true)');
    assert.equal(ms({}), 'must be a duration such as "30s" (got an object)');
  });
  it('refuses negative durations', () => {
    assert.equal(ms('-5s'), 'must not be negative (got "-5s")');
    assert.equal(ms('-1m30s'), 'must not be negative (got "-1m30s")');
    assert.equal(ms(-1), 'must not be negative (got -1)');
    assert.equal(ms('-100'), 'must not be negative (got "-100")');
  });
});

describe('parseDurationMs / formatDuration round trip (property)', () => {
  it('format then parse returns the value, to the precision formatDuration prints', () => {
    const next = rng(0x5eed);
    for (let i = 0; i < 5000; i++) {
      // Integers up to ~11.5 days, biased towards small values (several magnitudes).
      const magnitude = 10 ** Math.floor(next() * 9);
      const v = Math.floor(next() * magnitude);
      const text = formatDuration(v);
      const back = parseDurationMs(text);
      assert.notEqual(back, undefined, `${v} → ${text} does not parse`);
      // < 1s: whole ms; ≥ 1s: seconds with one decimal, so within 50ms.
      const tolerance = v < 1000 ? 0 : 50 + 1e-6;
      assert.ok(Math.abs(back! - v) <= tolerance, `${v} → ${text} → ${back}`);
      assert.equal(parseDuration(text, 'reject').ok, true, text);
    }
  });
  it('values on the printed grid round-trip exactly (after option rounding)', () => {
    const next = rng(42);
    for (let i = 0; i < 2000; i++) {
      const v = next() < 0.5 ? Math.floor(next() * 1000) : 1000 + Math.floor(next() * 1e7) * 100;
      const r = parseDuration(formatDuration(v), 'reject');
      assert.ok(r.ok);
      assert.equal(r.value, v, formatDuration(v));
    }
  });
  it('parse then format is stable for k6-style strings', () => {
    for (const s of ['30s', '1m30s', '1h0m0s', '250ms', '10m0s', '1.5s', '2h30m15s']) assert.equal(formatDuration(parseDurationMs(s)!), s);
  });
});

describe('other value parsers', () => {
  it('parseInteger', () => {
    assert.deepEqual(parseInteger(5, 1), { ok: true, value: 5 });
    assert.deepEqual(parseInteger(0, 1), { ok: false, message: 'must be a positive integer (got 0)' });
    assert.deepEqual(parseInteger(-1, 0), { ok: false, message: 'must be a non-negative integer (got -1)' });
    assert.deepEqual(parseInteger(3, 5), { ok: false, message: 'must be an integer ≥ 5 (got 3)' });
    assert.deepEqual(parseInteger('12', 0, { fromString: true }), { ok: true, value: 12 });
    assert.deepEqual(parseInteger('1.5', 0, { fromString: true }), { ok: false, message: 'must be a non-negative integer (got "1.5")' });
    assert.deepEqual(parseInteger('12', 0), { ok: false, message: 'must be a non-negative integer (got "12")' }, 'script values must be numbers');
    assert.equal(parseInteger(2 ** 60, 0).ok, false);
  });
  it('parseBoolean accepts Go spellings from the environment only', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.deepEqual(parseBoolean(t, true), { ok: true, value: true });
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.deepEqual(parseBoolean(f, true), { ok: true, value: false });
    assert.equal(parseBoolean('yes', true).ok, false);
    assert.equal(parseBoolean('true').ok, false);
    assert.deepEqual(parseBoolean(false), { ok: true, value: false });
  });
  it('checkTrendStat', () => {
    for (const s of ['avg', 'min', 'med', 'max', 'count', 'p(0)', 'p(90)', 'p(99.9)', 'p(100)']) assert.equal(checkTrendStat(s), undefined, s);
    assert.equal(checkTrendStat('p(101)'), '"p(101)": the percentile must be a number from 0 to 100');
    assert.equal(checkTrendStat('p()'), '"p()": the percentile must be a number from 0 to 100');
    assert.equal(checkTrendStat('p95'), '"p95" is not a trend stat; did you mean "p(95)"?');
    assert.equal(checkTrendStat('mean'), '"mean" is not a trend stat (use avg, min, med, max, count or p(N) with N from 0 to 100)');
  });
  it('parseTimeUnit', () => {
    assert.deepEqual(parseTimeUnit('us'), { ok: true, value: 'us' });
    assert.deepEqual(parseTimeUnit(''), { ok: true, value: undefined });
    assert.equal(parseTimeUnit('m').ok, false);
  });
});
