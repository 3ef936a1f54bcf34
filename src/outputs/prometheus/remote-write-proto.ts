/**
 * The Prometheus remote-write 1.0 `WriteRequest`, encoded by hand (it is four tiny messages, and
 * this avoids a protobuf runtime and code generation):
 *
 *     message WriteRequest { repeated TimeSeries timeseries = 1; }
 *     message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *     message Label        { string name = 1; string value = 2; }
 *     message Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: epoch ms
 *
 * Sizes are computed first and the message written into one buffer of the exact length (no
 * intermediate buffers per series). The spec requires labels sorted by name, `__name__` included,
 * and no empty values; `encodeWriteRequest` sorts by UTF-16 code units, which matches byte order for
 * the ASCII label names Prometheus allows.
 */
import type { PromSeries } from './series.js';

/** Wire types: LEN (2) for strings and sub-messages, I64 (1) for doubles, VARINT (0) for int64. */
const TAG_TIMESERIES = (1 << 3) | 2;
const TAG_LABEL = (1 << 3) | 2;
const TAG_SAMPLE = (2 << 3) | 2;
const TAG_LABEL_NAME = (1 << 3) | 2;
const TAG_LABEL_VALUE = (2 << 3) | 2;
const TAG_SAMPLE_VALUE = (1 << 3) | 1;
const TAG_SAMPLE_TIMESTAMP = (2 << 3) | 0;

/** Bytes of a varint for a non-negative integer up to 2^53. */
function varintLen(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeVarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/**
 * Encodes one sample per series at `timestampMs` (epoch ms, an integer ≥ 0). The labels of each
 * series are `__name__` plus `series.labels` (already free of empty values).
 */
export function encodeWriteRequest(series: readonly PromSeries[], timestampMs: number): Buffer {
  const ts = Math.max(0, Math.round(timestampMs));
  const sampleLen = 1 + 8 + 1 + varintLen(ts);
  // Pass 1: sizes. Per series: sorted labels as byte lengths, and the series' own length.
  const labelSets: Array<Array<[string, string, number, number]>> = new Array(series.length);
  const seriesLens = new Array<number>(series.length);
  let total = 0;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    const labels: Array<[string, string, number, number]> = [['__name__', s.name, 8, Buffer.byteLength(s.name)]];
    for (const [k, v] of s.labels) labels.push([k, v, Buffer.byteLength(k), Buffer.byteLength(v)]);
    labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let len = 0;
    for (const [, , kn, vn] of labels) {
      const l = 1 + varintLen(kn) + kn + 1 + varintLen(vn) + vn;
      len += 1 + varintLen(l) + l;
    }
    len += 1 + varintLen(sampleLen) + sampleLen;
    labelSets[i] = labels;
    seriesLens[i] = len;
    total += 1 + varintLen(len) + len;
  }
  // Pass 2: write.
  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let i = 0; i < series.length; i++) {
    buf[pos++] = TAG_TIMESERIES;
    pos = writeVarint(buf, pos, seriesLens[i]!);
    for (const [k, v, kn, vn] of labelSets[i]!) {
      buf[pos++] = TAG_LABEL;
      pos = writeVarint(buf, pos, 1 + varintLen(kn) + kn + 1 + varintLen(vn) + vn);
      buf[pos++] = TAG_LABEL_NAME;
      pos = writeVarint(buf, pos, kn);
      pos += buf.write(k, pos, 'utf8');
      buf[pos++] = TAG_LABEL_VALUE;
      pos = writeVarint(buf, pos, vn);
      pos += buf.write(v, pos, 'utf8');
    }
    buf[pos++] = TAG_SAMPLE;
    pos = writeVarint(buf, pos, sampleLen);
    buf[pos++] = TAG_SAMPLE_VALUE;
    buf.writeDoubleLE(series[i]!.value, pos);
    pos += 8;
    buf[pos++] = TAG_SAMPLE_TIMESTAMP;
    pos = writeVarint(buf, pos, ts);
  }
  if (pos !== total) throw new Error(`remote-write encoding: wrote ${pos} bytes, expected ${total}`);
  return buf;
}

/** A decoded WriteRequest series (for tests and debugging). */
export interface DecodedSeries {
  labels: Record<string, string>;
  samples: Array<{ value: number; timestampMs: number }>;
}

/**
 * Decodes a WriteRequest (uncompressed). Unknown fields are skipped, as protobuf requires. Used by
 * the tests' receiver; small and strict (throws on truncated input).
 */
export function decodeWriteRequest(buf: Uint8Array): DecodedSeries[] {
  const out: DecodedSeries[] = [];
  forEachField(buf, 0, buf.length, (field, wire, start, end) => {
    if (field !== 1 || wire !== 2) return;
    const s: DecodedSeries = { labels: {}, samples: [] };
    forEachField(buf, start, end, (f, w, a, b) => {
      if (f === 1 && w === 2) {
        let name = '';
        let value = '';
        forEachField(buf, a, b, (lf, lw, x, y) => {
          const text = Buffer.from(buf.buffer, buf.byteOffset + x, y - x).toString('utf8');
          if (lf === 1 && lw === 2) name = text;
          else if (lf === 2 && lw === 2) value = text;
        });
        s.labels[name] = value;
      } else if (f === 2 && w === 2) {
        const sample = { value: 0, timestampMs: 0 };
        forEachField(buf, a, b, (sf, sw, x, _y, varint) => {
          if (sf === 1 && sw === 1) sample.value = Buffer.from(buf.buffer, buf.byteOffset + x, 8).readDoubleLE(0);
          else if (sf === 2 && sw === 0) sample.timestampMs = varint;
        });
        s.samples.push(sample);
      }
    });
    out.push(s);
  });
  return out;
}

/** Calls `fn(field, wireType, start, end, varintValue)` for each field in `buf[from, to)`. */
function forEachField(buf: Uint8Array, from: number, to: number, fn: (field: number, wire: number, start: number, end: number, varint: number) => void): void {
  let pos = from;
  const readVarint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (pos >= to) throw new Error('truncated varint');
      const b = buf[pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (pos < to) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const v = readVarint();
      fn(field, wire, pos, pos, v);
    } else if (wire === 1) {
      if (pos + 8 > to) throw new Error('truncated fixed64');
      fn(field, wire, pos, pos + 8, 0);
      pos += 8;
    } else if (wire === 2) {
      const len = readVarint();
      if (pos + len > to) throw new Error('truncated length-delimited field');
      fn(field, wire, pos, pos + len, 0);
      pos += len;
    } else if (wire === 5) {
      if (pos + 4 > to) throw new Error('truncated fixed32');
      fn(field, wire, pos, pos + 4, 0);
      pos += 4;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
}
