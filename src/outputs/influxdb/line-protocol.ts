/**
 * InfluxDB line protocol (v1 and v2 share it):
 *
 *     measurement,tag1=v1,tag2=v2 field1=1.5,field2=3 1736933400000
 *
 * Escaping: in the measurement, commas and spaces; in tag keys, tag values and field keys, commas,
 * equals signs, spaces and backslashes. Line feeds are not allowed anywhere, so they are written as
 * the two characters `\n`. Empty tag values are not allowed: such tags are left out. Field values
 * here are always floats (no `i` suffix), so a field keeps one type across points; NaN and ±Inf
 * cannot be written and are left out (a point with no field left is skipped).
 */

/** Escapes a measurement name. */
export function escapeMeasurement(s: string): string {
  return s.replace(/[, ]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

/** Escapes a tag key, tag value or field key. */
export function escapeKey(s: string): string {
  return s.replace(/[\\,= ]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

/**
 * One line (without the trailing line feed), or '' when no field is writable.
 * `tags` are written sorted by key (InfluxDB's recommendation); `timeMs`: epoch ms (precision=ms).
 */
export function formatLine(measurement: string, tags: Readonly<Record<string, string>>, fields: Readonly<Record<string, number>>, timeMs: number): string {
  let fieldText = '';
  for (const [k, v] of Object.entries(fields)) {
    if (!Number.isFinite(v)) continue;
    fieldText += `${fieldText === '' ? '' : ','}${escapeKey(k)}=${String(v)}`;
  }
  if (fieldText === '') return '';
  let line = escapeMeasurement(measurement);
  for (const k of Object.keys(tags).sort()) {
    const v = tags[k]!;
    if (v === '' || k === '') continue;
    line += `,${escapeKey(k)}=${escapeKey(v)}`;
  }
  return `${line} ${fieldText} ${Math.round(timeMs)}`;
}
