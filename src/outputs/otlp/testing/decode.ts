/**
 * Test support (not part of the API): decodes an OTLP ExportMetricsServiceRequest in protobuf into
 * the shape of its JSON encoding (the fields the tests read), written from the .proto files of
 * opentelemetry-proto, independently of the SDK's serializer:
 *
 *     ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
 *     ResourceMetrics  { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; }
 *     Resource         { repeated KeyValue attributes = 1; }
 *     ScopeMetrics     { InstrumentationScope scope = 1; repeated Metric metrics = 2; }
 *     Metric           { string name = 1; string description = 2; string unit = 3; Gauge gauge = 5; Sum sum = 7; }
 *     Gauge            { repeated NumberDataPoint data_points = 1; }
 *     Sum              { repeated NumberDataPoint data_points = 1; AggregationTemporality aggregation_temporality = 2; bool is_monotonic = 3; }
 *     NumberDataPoint  { fixed64 time_unix_nano = 3; double as_double = 4; sfixed64 as_int = 6; repeated KeyValue attributes = 7; }
 *     KeyValue         { string key = 1; AnyValue value = 2; }
 *     AnyValue         { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; }
 */

export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpPoint {
  attributes?: OtlpKeyValue[];
  asDouble?: number;
  asInt?: string | number;
  timeUnixNano?: string;
}
export interface OtlpMetric {
  name: string;
  unit?: string;
  description?: string;
  sum?: { dataPoints: OtlpPoint[]; aggregationTemporality: number; isMonotonic?: boolean };
  gauge?: { dataPoints: OtlpPoint[] };
}
export interface OtlpRequest {
  resourceMetrics: Array<{ resource: { attributes: OtlpKeyValue[] }; scopeMetrics: Array<{ scope: { name: string }; metrics: OtlpMetric[] }> }>;
}

type Field = { n: number; wire: number; bytes: Uint8Array; varint: bigint };

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const n = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ n, wire, bytes: new Uint8Array(), varint: varint() });
    else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      out.push({ n, wire, bytes: buf.subarray(pos, pos + len), varint: 0n });
      pos += len;
    } else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new Error('truncated field');
      out.push({ n, wire, bytes: buf.subarray(pos, pos + len), varint: 0n });
      pos += len;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
const f64 = (b: Uint8Array): number => Buffer.from(b).readDoubleLE(0);

function keyValue(b: Uint8Array): OtlpKeyValue {
  const kv: OtlpKeyValue = { key: '', value: {} };
  for (const f of fields(b)) {
    if (f.n === 1) kv.key = text(f.bytes);
    else if (f.n === 2) {
      for (const v of fields(f.bytes)) {
        if (v.n === 1) kv.value.stringValue = text(v.bytes);
        else if (v.n === 2) kv.value.boolValue = v.varint !== 0n;
        else if (v.n === 3) kv.value.intValue = String(BigInt.asIntN(64, v.varint));
        else if (v.n === 4) kv.value.doubleValue = f64(v.bytes);
      }
    }
  }
  return kv;
}

function point(b: Uint8Array): OtlpPoint {
  const p: OtlpPoint = { attributes: [] };
  for (const f of fields(b)) {
    if (f.n === 3) p.timeUnixNano = Buffer.from(f.bytes).readBigUInt64LE(0).toString();
    else if (f.n === 4) p.asDouble = f64(f.bytes);
    else if (f.n === 6) p.asInt = Buffer.from(f.bytes).readBigInt64LE(0).toString();
    else if (f.n === 7) p.attributes!.push(keyValue(f.bytes));
  }
  return p;
}

function metric(b: Uint8Array): OtlpMetric {
  const m: OtlpMetric = { name: '' };
  for (const f of fields(b)) {
    if (f.n === 1) m.name = text(f.bytes);
    else if (f.n === 2) m.description = text(f.bytes);
    else if (f.n === 3) m.unit = text(f.bytes);
    else if (f.n === 5) m.gauge = { dataPoints: fields(f.bytes).filter((x) => x.n === 1).map((x) => point(x.bytes)) };
    else if (f.n === 7) {
      const sum: NonNullable<OtlpMetric['sum']> = { dataPoints: [], aggregationTemporality: 0 };
      for (const x of fields(f.bytes)) {
        if (x.n === 1) sum.dataPoints.push(point(x.bytes));
        else if (x.n === 2) sum.aggregationTemporality = Number(x.varint);
        else if (x.n === 3) sum.isMonotonic = x.varint !== 0n;
      }
      m.sum = sum;
    }
  }
  return m;
}

/** Decodes a protobuf ExportMetricsServiceRequest. */
export function decodeOtlpMetricsRequest(buf: Uint8Array): OtlpRequest {
  const req: OtlpRequest = { resourceMetrics: [] };
  for (const rmf of fields(buf)) {
    if (rmf.n !== 1) continue;
    const rm: OtlpRequest['resourceMetrics'][number] = { resource: { attributes: [] }, scopeMetrics: [] };
    for (const f of fields(rmf.bytes)) {
      if (f.n === 1) rm.resource.attributes = fields(f.bytes).filter((x) => x.n === 1).map((x) => keyValue(x.bytes));
      else if (f.n === 2) {
        const sm = { scope: { name: '' }, metrics: [] as OtlpMetric[] };
        for (const g of fields(f.bytes)) {
          if (g.n === 1) sm.scope.name = text(fields(g.bytes).find((x) => x.n === 1)?.bytes ?? new Uint8Array());
          else if (g.n === 2) sm.metrics.push(metric(g.bytes));
        }
        rm.scopeMetrics.push(sm);
      }
    }
    req.resourceMetrics.push(rm);
  }
  return req;
}
