import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SnapshotFixture, standardLoad } from '../testing/monitoring-fixture.js';
import { DEFAULT_TREND_STATS } from '../monitoring-options.js';
import { seriesViews } from '../monitoring-views.js';
import { escapeLabelValue, formatValue, renderExposition } from './exposition.js';
import { decodeWriteRequest, encodeWriteRequest } from './remote-write-proto.js';
import { promSeries, sanitizeLabelName, sanitizeName, type PromSeries } from './series.js';

function seriesOf(f: SnapshotFixture, naming: Partial<Parameters<typeof promSeries>[2]> = {}): PromSeries[] {
  const snap = f.snapshot(Date.now());
  return promSeries(snap, seriesViews(snap), { prefix: 'k6_', trendStats: DEFAULT_TREND_STATS, labels: {}, ...naming });
}

function value(series: PromSeries[], name: string, labels: Record<string, string> = {}): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  return series.find((s) => s.name === name && JSON.stringify(s.labels) === want)?.value;
}

/** A small parser of the text format, independent of the renderer: name{labels} value lines. */
function parseExposition(text: string): { types: Map<string, string>; samples: Array<{ name: string; labels: Record<string, string>; value: number }> } {
  const types = new Map<string, string>();
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const t = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
    if (t) {
      assert.ok(!types.has(t[1]!), `TYPE ${t[1]} twice`);
      types.set(t[1]!, t[2]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `bad line: ${line}`);
    const labels: Record<string, string> = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    const body = m[2] ?? '';
    let lm: RegExpExecArray | null;
    let pos = 0;
    while ((lm = re.exec(body)) !== null) {
      labels[lm[1]!] = lm[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      pos = re.lastIndex;
    }
    assert.equal(pos, body.length, `unparsed labels in: ${line}`);
    assert.ok(types.has(m[1]!), `sample before its TYPE: ${line}`);
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { types, samples };
}

describe('promSeries (k6 remote-write names)', () => {
  it('maps counters, gauges, rates and trends as k6 does, trends in seconds', () => {
    const f = new SnapshotFixture();
    standardLoad(f);
    const s = seriesOf(f);
    assert.equal(value(s, 'k6_http_reqs_total'), 15);
    assert.equal(value(s, 'k6_iterations_total'), 4);
    assert.equal(value(s, 'k6_data_received_total'), 5000);
    assert.equal(value(s, 'k6_vus'), 7);
    assert.equal(value(s, 'k6_checks_rate'), 0.75);
    assert.equal(value(s, 'k6_http_req_failed_rate'), 1 / 15);
    assert.equal(value(s, 'k6_http_req_duration_min'), 0.01);
    assert.equal(value(s, 'k6_http_req_duration_max'), 0.2);
    assert.ok(Math.abs(value(s, 'k6_http_req_duration_avg')! - 1550 / 15 / 1000) < 1e-12);
    // _count stays a count.
    assert.equal(value(s, 'k6_http_req_duration_count'), 15);
    for (const stat of ['p99', 'p95', 'p90', 'med']) assert.ok(value(s, `k6_http_req_duration_${stat}`) !== undefined, stat);
    assert.equal(s.find((x) => x.name === 'k6_http_reqs_total')!.type, 'counter');
    assert.equal(s.find((x) => x.name === 'k6_http_req_duration_p95')!.type, 'gauge');
  });

  it('gives breakdowns and sub-metrics their own names, with their tags as labels', () => {
    const f = new SnapshotFixture();
    standardLoad(f);
    const s = seriesOf(f);
    assert.equal(value(s, 'k6_by_route_http_reqs_total', { name: 'http://127.0.0.1/a', method: 'GET' }), 10);
    assert.equal(value(s, 'k6_by_route_http_req_failed_rate', { name: 'http://127.0.0.1/b', method: 'POST' }), 0.2);
    assert.equal(value(s, 'k6_by_scenario_iterations_total', { scenario: 'buy' }), 2);
    assert.equal(value(s, 'k6_by_check_checks_rate', { group: '::browse', check: 'status is 200' }), 2 / 3);
    assert.equal(value(s, 'k6_by_check_checks_rate', { check: 'fast' }), 1);
    assert.equal(value(s, 'k6_by_error_http_req_failed_rate', { status: '500', error_code: '1500' }), 1);
    assert.equal(value(s, 'k6_submetric_http_req_duration_count', { expected_response: 'true' }), 14);
    // Totals never carry breakdown labels: sum() over a k6 name is the total.
    for (const x of s) if (!x.name.includes('_by_') && !x.name.includes('_submetric_')) assert.deepEqual(x.labels, [], x.name);
  });

  it('adds testid and static labels; prefix and trend stats are configurable', () => {
    const f = new SnapshotFixture();
    standardLoad(f);
    const s = seriesOf(f, { prefix: 'volley_', trendStats: ['p(95)', 'sum'], testid: 'run-1', labels: { env: 'ci', 'bad-name': 'x' } });
    assert.equal(value(s, 'volley_http_reqs_total', { testid: 'run-1', env: 'ci', bad_name: 'x' }), 15);
    assert.equal(value(s, 'volley_http_req_duration_sum', { testid: 'run-1', env: 'ci', bad_name: 'x' }), 1.55);
    assert.deepEqual(
      s.filter((x) => x.name.startsWith('volley_http_req_duration_')).map((x) => x.name),
      ['volley_http_req_duration_p95', 'volley_http_req_duration_sum'],
    );
    // Labels sorted by name.
    const labels = s[0]!.labels.map(([k]) => k);
    assert.deepEqual(labels, [...labels].sort());
  });

  it('sanitizes names into the Prometheus alphabet', () => {
    assert.equal(sanitizeName('a.b-c'), 'a_b_c');
    assert.equal(sanitizeName('9lives'), '_9lives');
    assert.equal(sanitizeLabelName('__name__'), 'tag__name__');
    assert.equal(sanitizeLabelName('ok_label'), 'ok_label');
  });
});

describe('renderExposition', () => {
  it('renders a parseable exposition with TYPE once per family and the same values', () => {
    const f = new SnapshotFixture();
    standardLoad(f);
    f.check('::g "quoted"', 'multi\nline \\ check', true);
    const s = seriesOf(f, { testid: 'x' });
    const text = renderExposition(s);
    const parsed = parseExposition(text);
    assert.equal(parsed.samples.length, s.length);
    assert.equal(parsed.types.get('k6_http_reqs_total'), 'counter');
    assert.equal(parsed.types.get('k6_vus'), 'gauge');
    const odd = parsed.samples.find((x) => x.labels.check === 'multi\nline \\ check');
    assert.ok(odd, 'escaped label value round-trips');
    assert.equal(odd.labels.group, '::g "quoted"');
    for (const x of s) {
      const p = parsed.samples.find((y) => y.name === x.name && JSON.stringify(Object.entries(y.labels).sort()) === JSON.stringify([...x.labels].sort()));
      assert.ok(p, `${x.name} missing`);
      assert.equal(p.value, x.value);
    }
  });

  it('formats special values as Go does', () => {
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(formatValue(Infinity), '+Inf');
    assert.equal(formatValue(-Infinity), '-Inf');
    assert.equal(formatValue(0.1), '0.1');
    assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  });
});

describe('encodeWriteRequest', () => {
  it('round-trips through the decoder with labels sorted and __name__ included', () => {
    const buf = encodeWriteRequest(
      [
        { name: 'k6_vus', labels: [['testid', 't']], value: 7, type: 'gauge', help: '' },
        { name: 'k6_x', labels: [['Z', 'upper'], ['a', 'ü€']], value: -0.5, type: 'gauge', help: '' },
      ],
      1736933400123,
    );
    const d = decodeWriteRequest(buf);
    assert.deepEqual(d, [
      { labels: { __name__: 'k6_vus', testid: 't' }, samples: [{ value: 7, timestampMs: 1736933400123 }] },
      { labels: { Z: 'upper', __name__: 'k6_x', a: 'ü€' }, samples: [{ value: -0.5, timestampMs: 1736933400123 }] },
    ]);
  });

  it('property: any series round-trip (values, labels, timestamps)', () => {
    const label = fc.tuple(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/), fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }));
    const series = fc.record({
      name: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,40}$/),
      labels: fc.uniqueArray(label, { selector: ([k]) => k, maxLength: 6 }).map((ls) => ls.filter(([k]) => k !== '__name__' && k !== '__proto__')),
      value: fc.double({ noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(series, { maxLength: 20 }), fc.integer({ min: 0, max: 2 ** 50 }), (list, ts) => {
        const full = list.map((s) => ({ ...s, type: 'gauge' as const, help: '' }));
        const d = decodeWriteRequest(encodeWriteRequest(full, ts));
        assert.equal(d.length, list.length);
        d.forEach((got, i) => {
          assert.deepEqual(got.labels, { __name__: list[i]!.name, ...Object.fromEntries(list[i]!.labels) });
          const names = Object.keys(got.labels);
          assert.deepEqual(names, [...names].sort(), 'labels sorted');
          assert.ok(Object.is(got.samples[0]!.value, list[i]!.value));
          assert.equal(got.samples[0]!.timestampMs, ts);
        });
      }),
      { numRuns: 200 },
    );
  });
});
