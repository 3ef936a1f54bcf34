import { ExitCode, VolleyError, suggest } from '../errors/index.js';
import { METADATA_TAGS } from './k6-metric-info.js';
import { FileOutput } from './file-output.js';
import { TagSetTable } from './tag-set-table.js';
import { Rfc3339Formatter } from './time-format.js';
import type { OutputContext, SampleBatch } from './types.js';

/**
 * k6's CSV columns: the metric, time and value, then one column per default system tag (sorted),
 * then every other tag as `k=v&k2=v2` in `extra_tags` and the `vu`/`iter` ids in `metadata`.
 */
export const CSV_TAG_COLUMNS = [
  'check',
  'error',
  'error_code',
  'expected_response',
  'group',
  'method',
  'name',
  'proto',
  'scenario',
  'service',
  'status',
  'subproto',
  'tls_version',
  'url',
] as const;
export const CSV_HEADER = ['metric_name', 'timestamp', 'metric_value', ...CSV_TAG_COLUMNS, 'extra_tags', 'metadata'] as const;

/** k6's `timeFormat` values for the timestamp column. Default 'unix' (whole seconds). */
export const CSV_TIME_FORMATS = ['unix', 'unix_milli', 'unix_micro', 'unix_nano', 'rfc3339', 'rfc3339_nano'] as const;
export type CsvTimeFormat = (typeof CSV_TIME_FORMATS)[number];

/** Options of the CSV output, from `--out csv=FILE` or `--out csv=fileName=FILE,timeFormat=rfc3339`. */
export interface CsvConfig {
  fileName: string;
  timeFormat: CsvTimeFormat;
}

const COLUMN_SET: ReadonlySet<string> = new Set(CSV_TAG_COLUMNS);

/**
 * Parses the CSV output argument as k6 does: a file name, or `key=value` pairs separated by commas
 * (`fileName`, `timeFormat`; k6's `saveInterval` is accepted and ignored: Volley writes as batches
 * arrive). Throws a VolleyError (E_OUTPUT, 104) for unknown keys or time formats.
 */
export function parseCsvArg(arg: string): CsvConfig {
  const config: CsvConfig = { fileName: arg, timeFormat: 'unix' };
  if (!/^(fileName|timeFormat|saveInterval)=/.test(arg)) return config;
  config.fileName = '';
  for (const pair of arg.split(',')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (key === 'fileName') config.fileName = value;
    else if (key === 'timeFormat') {
      if (!(CSV_TIME_FORMATS as readonly string[]).includes(value)) {
        const close = suggest(value, CSV_TIME_FORMATS);
        throw new VolleyError('E_OUTPUT', `output csv: unknown timeFormat ${JSON.stringify(value)}${close ? `; did you mean ${JSON.stringify(close)}?` : ''}`, {
          hint: `timeFormat is one of ${CSV_TIME_FORMATS.join(', ')}`,
          exitCode: ExitCode.InvalidConfig,
        });
      }
      config.timeFormat = value as CsvTimeFormat;
    } else if (key === 'saveInterval') {
      // accepted for k6 compatibility
    } else {
      const close = suggest(key, ['fileName', 'timeFormat', 'saveInterval']);
      throw new VolleyError('E_OUTPUT', `output csv: unknown option ${JSON.stringify(key)}${close ? `; did you mean ${JSON.stringify(close)}?` : ''}`, {
        hint: 'write --out csv=FILE or --out csv=fileName=FILE,timeFormat=rfc3339',
        exitCode: ExitCode.InvalidConfig,
      });
    }
  }
  return config;
}

/**
 * `--out csv=FILE`: every sample as a CSV row in k6's CSV output format (same columns, same
 * quoting as Go's encoding/csv, value with 6 decimals). A file name ending in `.gz` is
 * gzip-compressed.
 */
export class CsvOutput extends FileOutput {
  private readonly timeFormat: CsvTimeFormat;
  private readonly rfc = new Rfc3339Formatter();
  /** Per tag set: the row from the first tag column to the end of the line. */
  private readonly cells = new TagSetTable<string>(tagCells);

  constructor(config: CsvConfig, ctx: OutputContext) {
    super('csv', config.fileName, ctx);
    this.timeFormat = config.timeFormat;
  }

  protected header(): string {
    return CSV_HEADER.join(',') + '\n';
  }

  protected absorb(batch: SampleBatch): void {
    this.cells.absorb(batch);
  }

  protected serialize(batch: SampleBatch): string {
    const names: Array<string | undefined> = [];
    let out = '';
    for (let i = 0; i < batch.length; i++) {
      const id = batch.metric[i]!;
      let name = names[id];
      if (name === undefined) {
        name = csvField(batch.metricNames[id] ?? `metric_${id}`) + ',';
        names[id] = name;
      }
      out += name + this.timestamp(batch.time[i]!) + ',' + formatValue(batch.value[i]!) + ',' + this.cells.get(batch, i);
    }
    return out;
  }

  private timestamp(ms: number): string {
    switch (this.timeFormat) {
      case 'unix':
        return String(Math.floor(ms / 1000));
      case 'unix_milli':
        return String(Math.floor(ms));
      case 'unix_micro':
        return String(Math.floor(ms * 1000));
      case 'unix_nano':
        // Epoch ns exceeds 2^53: print the exact microseconds and pad (sample times are µs-precise).
        return `${Math.floor(ms * 1000)}000`;
      case 'rfc3339':
        return this.rfc.formatSeconds(ms);
      case 'rfc3339_nano':
        return this.rfc.format(ms);
    }
  }
}

/** Go's `%f`: 6 decimals. */
function formatValue(v: number): string {
  if (Number.isFinite(v)) return v.toFixed(6);
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

/** The tag columns, extra_tags and metadata of one tag set, ending with a newline. */
function tagCells(tags: Readonly<Record<string, string>>): string {
  const cols = CSV_TAG_COLUMNS.map((c) => csvField(tags[c] ?? ''));
  const extra: string[] = [];
  const meta: string[] = [];
  for (const k of Object.keys(tags).sort()) {
    if (COLUMN_SET.has(k)) continue;
    (METADATA_TAGS.has(k) ? meta : extra).push(`${k}=${tags[k]}`);
  }
  return `${cols.join(',')},${csvField(extra.join('&'))},${csvField(meta.join('&'))}\n`;
}

/** Quotes a field when Go's encoding/csv would: it has a comma, quote, CR or LF, starts with a space, or is `\.`. */
export function csvField(s: string): string {
  if (s === '') return s;
  if (s === '\\.' || /[,"\r\n]/.test(s) || /^\s/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}
