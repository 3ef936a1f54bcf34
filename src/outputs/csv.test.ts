import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { CSV_HEADER, CsvOutput, csvField, parseCsvArg } from './csv.js';
import { batches, context, tempDir } from './testing/helpers.js';

/** A minimal RFC 4180 reader (quoted fields with "" escapes), to check what we wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

describe('CsvOutput (k6 CSV format)', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes k6's header and one row per sample", async () => {
    const out = new CsvOutput(parseCsvArg('samples.csv'), context(dir));
    await out.start();
    const [a, b] = batches();
    out.addSamples(a);
    out.addSamples(b);
    await out.stop();
    const text = await readFile(join(dir, 'samples.csv'), 'utf8');
    const rows = parseCsv(text);
    assert.equal(
      text.split('\n')[0],
      'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata',
    );
    assert.equal(rows.length, 1 + 7);
    assert.ok(rows.every((r) => r.length === CSV_HEADER.length));
    const col = (r: string[], name: string) => r[CSV_HEADER.indexOf(name as (typeof CSV_HEADER)[number])];
    const [, vus, reqs, dur, check, reqs2, dur2, inline] = rows as [string[], string[], string[], string[], string[], string[], string[], string[]];
    assert.deepEqual(vus.slice(0, 3), ['vus', '1736933400', '5.000000']);
    assert.equal(col(reqs, 'method'), 'GET');
    assert.equal(col(reqs, 'status'), '200');
    assert.equal(col(reqs, 'name'), 'http://127.0.0.1/api/query');
    assert.equal(col(reqs, 'expected_response'), 'true');
    assert.equal(col(reqs, 'extra_tags'), 'route=/api/query');
    assert.equal(col(reqs, 'metadata'), 'iter=7&vu=3');
    assert.equal(col(dur, 'metric_value'), '12.345678');
    assert.equal(col(check, 'check'), 'status is 200, "really"');
    assert.equal(col(check, 'group'), '::browse');
    assert.equal(col(reqs2, 'timestamp'), '1736933401');
    assert.equal(col(dur2, 'metric_value'), '1500.000000');
    assert.equal(col(inline, 'check'), 'inline');
    assert.equal(col(inline, 'extra_tags'), 'custom=x y');
    // the raw line quotes the field with a comma and quotes, as Go's encoding/csv
    assert.ok(text.includes(',"status is 200, ""really""",'));
  });

  it('supports k6 options (fileName, timeFormat) and gzip', async () => {
    const out = new CsvOutput(parseCsvArg(`fileName=${join(dir, 'samples.csv.gz')},timeFormat=rfc3339_nano`), context(dir));
    await out.start();
    out.addSamples(batches()[0]);
    await out.stop();
    const rows = parseCsv(gunzipSync(await readFile(join(dir, 'samples.csv.gz'))).toString('utf8'));
    assert.equal(rows.length, 5);
    assert.deepEqual(rows.slice(1).map((r) => r[1]), ['2025-01-15T09:30:00Z', '2025-01-15T09:30:00.0015Z', '2025-01-15T09:30:00.0015Z', '2025-01-15T09:30:00.00225Z']);
  });

  it('formats every timeFormat', async () => {
    const expect: Record<string, string> = {
      unix: '1736933400',
      unix_milli: '1736933400001',
      unix_micro: '1736933400001500',
      unix_nano: '1736933400001500000',
      rfc3339: '2025-01-15T09:30:00Z',
      rfc3339_nano: '2025-01-15T09:30:00.0015Z',
    };
    for (const [fmt, want] of Object.entries(expect)) {
      const file = join(dir, `t-${fmt}.csv`);
      const out = new CsvOutput(parseCsvArg(`fileName=${file},timeFormat=${fmt}`), context(dir));
      await out.start();
      const b = batches()[0];
      out.addSamples({ ...b, length: 2 });
      await out.stop();
      const rows = parseCsv(await readFile(file, 'utf8'));
      assert.equal(rows[2]![1], want, fmt);
    }
  });

  it('rejects unknown options and time formats with suggestions', () => {
    assert.throws(() => parseCsvArg('fileName=x.csv,timeFormat=rfc3399'), (e: any) => e.code === 'E_OUTPUT' && /did you mean "rfc3339"/.test(e.message));
    assert.throws(() => parseCsvArg('fileName=x.csv,timeformat=unix'), (e: any) => e.code === 'E_OUTPUT' && /did you mean "timeFormat"/.test(e.message));
    assert.deepEqual(parseCsvArg('x.csv'), { fileName: 'x.csv', timeFormat: 'unix' });
  });

  it("quotes like Go's encoding/csv", () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField(''), '');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField(' leading'), '" leading"');
    assert.equal(csvField('\\.'), '"\\."');
  });
});
