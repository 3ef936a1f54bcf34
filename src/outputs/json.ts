import { METADATA_TAGS, k6ThresholdInfo } from './k6-metric-info.js';
import { FileOutput } from './file-output.js';
import { TagSetTable } from './tag-set-table.js';
import { Rfc3339Formatter } from './time-format.js';
import type { OutputContext, SampleBatch } from './types.js';

/**
 * `--out json=FILE`: every sample as a line of JSON (NDJSON), in k6's JSON output format, so tools
 * that read k6's output read ours. The first time a metric appears, a Metric line describes it:
 *
 * ```
 * {"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}
 * ```
 *
 * then each sample is a Point line (time in RFC 3339, UTC, microseconds):
 *
 * ```
 * {"type":"Point","data":{"time":"2025-01-15T09:30:01.123456Z","value":1,"tags":{"method":"GET","status":"200"}},"metric":"http_reqs"}
 * ```
 *
 * As in k6, the `vu` and `iter` tags go to `"metadata"` instead of `"tags"`. A file name ending in
 * `.gz` is gzip-compressed. A metric the context does not know gets `"type":null`.
 */
export class JsonOutput extends FileOutput {
  private readonly seen = new Set<string>();
  private readonly time = new Rfc3339Formatter();
  /** Per tag set: the JSON from `,"tags":` to the end of `data` (tags, optional metadata). */
  private readonly tags = new TagSetTable<string>(tagsPart);

  constructor(file: string, ctx: OutputContext) {
    super('json', file, ctx);
  }

  protected header(): string {
    return '';
  }

  protected absorb(batch: SampleBatch): void {
    this.tags.absorb(batch);
  }

  protected serialize(batch: SampleBatch): string {
    // Per-batch cache of each metric id's `,"metric":"name"}\n` tail (ids are per producer).
    const tails: Array<string | undefined> = [];
    let out = '';
    for (let i = 0; i < batch.length; i++) {
      const id = batch.metric[i]!;
      let tail = tails[id];
      if (tail === undefined) {
        const name = batch.metricNames[id] ?? `metric_${id}`;
        if (!this.seen.has(name)) {
          this.seen.add(name);
          out += this.metricLine(name);
        }
        tail = `,"metric":${JSON.stringify(name)}}\n`;
        tails[id] = tail;
      }
      const v = batch.value[i]!;
      out +=
        '{"type":"Point","data":{"time":"' +
        this.time.format(batch.time[i]!) +
        '","value":' +
        (Number.isFinite(v) ? String(v) : 'null') +
        this.tags.get(batch, i) +
        tail;
    }
    return out;
  }

  private metricLine(name: string): string {
    const info = this.ctx.metricTypes.get(name);
    const { thresholds, submetrics } = k6ThresholdInfo(this.ctx, name);
    const data = { name, type: info?.type ?? null, contains: info?.contains ?? 'default', thresholds, submetrics };
    return `{"type":"Metric","data":${JSON.stringify(data)},"metric":${JSON.stringify(name)}}\n`;
  }
}

/** `,"tags":{...}[,"metadata":{...}]}` for one tag set. */
function tagsPart(all: Readonly<Record<string, string>>): string {
  // Entries then fromEntries (not `obj[k] = v`), so that even a tag named "__proto__" is written.
  const tags: Array<[string, string]> = [];
  const meta: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(all)) (METADATA_TAGS.has(k) ? meta : tags).push([k, v]);
  const metaJson = meta.length > 0 ? `,"metadata":${JSON.stringify(Object.fromEntries(meta))}` : '';
  return `,"tags":${JSON.stringify(Object.fromEntries(tags))}${metaJson}}`;
}
