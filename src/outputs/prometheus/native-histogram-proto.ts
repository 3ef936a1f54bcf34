/**
 * Native histogram series of a remote-write 1.0 `WriteRequest` (prometheus/prompb/types.proto):
 *
 *     message TimeSeries { repeated Label labels = 1; ...; repeated Histogram histograms = 4; }
 *     message Histogram  { uint64 count_int = 1; double sum = 3; sint32 schema = 4;
 *                          double zero_threshold = 5; uint64 zero_count_int = 6;
 *                          repeated BucketSpan positive_spans = 11; repeated sint64 positive_deltas = 12;
 *                          int64 timestamp = 15; }
 *     message BucketSpan { sint32 offset = 1; uint32 length = 2; }
 *
 * Spans list runs of consecutive buckets: the first offset is the first bucket's index, each next
 * one the gap since the previous run. Deltas are the bucket counts, each as the difference from the
 * previous one (the first from 0). A WriteRequest is a repeated field, so these series are appended
 * to the ones `encodeWriteRequest` writes. Histograms are few (one per trend series): this encoder
 * builds small buffers rather than sizing first.
 */
import type { PromHistogram } from './series.js';

/** Prometheus' default zero bucket half-width (2^-128): only exact zeros fall in it here. */
const ZERO_THRESHOLD = 2.938735877055719e-39;

class Writer {
  private readonly parts: Buffer[] = [];
  private cur = Buffer.allocUnsafe(256);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.cur.length) return;
    this.parts.push(this.cur.subarray(0, this.pos));
    this.cur = Buffer.allocUnsafe(Math.max(256, n));
    this.pos = 0;
  }
  varint(v: number): this {
    this.ensure(10);
    while (v >= 128) {
      this.cur[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.cur[this.pos++] = v;
    return this;
  }
  /** zigzag: 0, -1, 1, -2 … → 0, 1, 2, 3 … */
  svarint(v: number): this {
    return this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  double(v: number): this {
    this.ensure(8);
    this.cur.writeDoubleLE(v, this.pos);
    this.pos += 8;
    return this;
  }
  bytes(b: Buffer): this {
    this.varint(b.length);
    this.ensure(b.length);
    b.copy(this.cur, this.pos);
    this.pos += b.length;
    return this;
  }
  string(s: string): this {
    return this.bytes(Buffer.from(s, 'utf8'));
  }
  finish(): Buffer {
    return Buffer.concat([...this.parts, this.cur.subarray(0, this.pos)]);
  }
}

function histogramMessage(h: PromHistogram, timestampMs: number): Buffer {
  const w = new Writer();
  w.tag(1, 0).varint(h.count);
  w.tag(3, 1).double(h.sum);
  w.tag(4, 0).svarint(h.buckets.schema);
  w.tag(5, 1).double(ZERO_THRESHOLD);
  w.tag(6, 0).varint(h.buckets.zeroCount);
  const { indexes, counts } = h.buckets;
  let i = 0;
  let last = 0;
  while (i < indexes.length) {
    let j = i + 1;
    while (j < indexes.length && indexes[j] === indexes[j - 1]! + 1) j++;
    const span = new Writer().tag(1, 0).svarint(i === 0 ? indexes[0]! : indexes[i]! - last - 1).tag(2, 0).varint(j - i).finish();
    w.tag(11, 2).bytes(span);
    last = indexes[j - 1]!;
    i = j;
  }
  if (counts.length > 0) {
    const deltas = new Writer();
    let prev = 0;
    for (const c of counts) {
      deltas.svarint(c - prev);
      prev = c;
    }
    w.tag(12, 2).bytes(deltas.finish());
  }
  w.tag(15, 0).varint(timestampMs);
  return w.finish();
}

/** The TimeSeries (field 1 of WriteRequest) of each histogram, one sample each at `timestampMs`. */
export function encodeHistogramSeries(histograms: readonly PromHistogram[], timestampMs: number): Buffer {
  const ts = Math.max(0, Math.round(timestampMs));
  const w = new Writer();
  for (const h of histograms) {
    const series = new Writer();
    const labels: Array<[string, string]> = [['__name__', h.name], ...h.labels];
    labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [k, v] of labels) series.tag(1, 2).bytes(new Writer().tag(1, 2).string(k).tag(2, 2).string(v).finish());
    series.tag(4, 2).bytes(histogramMessage(h, ts));
    w.tag(1, 2).bytes(series.finish());
  }
  return w.finish();
}
