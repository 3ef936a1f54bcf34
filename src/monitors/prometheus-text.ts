/**
 * A reader of the Prometheus text exposition format (version 0.0.4), enough to pick series out of
 * a scrape: `# TYPE` lines, samples `name{label="v",…} value [timestamp]`, escapes in label
 * values, `NaN`/`+Inf`/`-Inf`. Histogram and summary series come out as their plain samples
 * (`_bucket`, `_sum`, `_count`, quantiles).
 */

export interface PromSample {
  name: string;
  /** The label part as written, '' without labels: `{route="GET /x",status="200"}`. */
  labels: string;
  value: number;
}

export interface PromScrape {
  samples: PromSample[];
  /** `# TYPE` of each metric family. */
  types: Map<string, string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;

/** Parses a scrape; lines that are not samples or TYPE comments are skipped. */
export function parsePrometheusText(text: string): PromScrape {
  const samples: PromSample[] = [];
  const types = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (m) types.set(m[1]!, m[2]!);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const v = m[3]!;
    const value = v === '+Inf' || v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v);
    if (Number.isNaN(value) && v !== 'NaN') continue;
    samples.push({ name: m[1]!, labels: m[2] ?? '', value });
  }
  return { samples, types };
}
