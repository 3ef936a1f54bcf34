/**
 * Test support (not part of the API): a line-protocol parser written from InfluxDB's spec,
 * independently of the writer, for the receivers in the tests.
 */

export interface ParsedPoint {
  measurement: string;
  tags: Record<string, string>;
  /** Float fields only (what Volley writes); an integer (`1i`), string or boolean field throws. */
  fields: Record<string, number>;
  timeMs: number | undefined;
}

/** Parses a body of lines (blank lines and `#` comments skipped). Throws on malformed input. */
export function parseLineProtocol(body: string): ParsedPoint[] {
  const out: ParsedPoint[] = [];
  for (const line of body.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    out.push(parseLine(line));
  }
  return out;
}

function parseLine(line: string): ParsedPoint {
  let pos = 0;
  /** Reads up to an unescaped char in `stops`; `escapable`: chars a backslash escapes. */
  const read = (stops: string, escapable: string): string => {
    let s = '';
    while (pos < line.length) {
      const c = line[pos]!;
      if (c === '\\' && pos + 1 < line.length && escapable.includes(line[pos + 1]!)) {
        s += line[pos + 1];
        pos += 2;
        continue;
      }
      if (stops.includes(c)) break;
      s += c;
      pos++;
    }
    return s;
  };
  const measurement = read(', ', ', ');
  if (measurement === '') throw new Error(`no measurement: ${line}`);
  const tags: Record<string, string> = {};
  while (line[pos] === ',') {
    pos++;
    const k = read('=', ',= \\');
    if (line[pos] !== '=') throw new Error(`tag without '=': ${line}`);
    pos++;
    const v = read(', ', ',= \\');
    if (k === '' || v === '') throw new Error(`empty tag key or value: ${line}`);
    tags[k] = v;
  }
  if (line[pos] !== ' ') throw new Error(`expected a space before the fields: ${line}`);
  pos++;
  const fields: Record<string, number> = {};
  for (;;) {
    const k = read('=', ',= \\');
    if (line[pos] !== '=') throw new Error(`field without '=': ${line}`);
    pos++;
    const start = pos;
    while (pos < line.length && line[pos] !== ',' && line[pos] !== ' ') pos++;
    const raw = line.slice(start, pos);
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`not a float field value ${JSON.stringify(raw)}: ${line}`);
    fields[k] = Number(raw);
    if (line[pos] === ',') {
      pos++;
      continue;
    }
    break;
  }
  let timeMs: number | undefined;
  if (line[pos] === ' ') {
    const t = line.slice(pos + 1);
    if (!/^-?\d+$/.test(t)) throw new Error(`bad timestamp ${JSON.stringify(t)}: ${line}`);
    timeMs = Number(t);
  } else if (pos !== line.length) {
    throw new Error(`trailing text: ${line}`);
  }
  return { measurement, tags, fields, timeMs };
}
