/** ANSI styling and width helpers for terminal reports. */

/** SGR codes used by the reports. */
const CODES = {
  bold: '1',
  faint: '2',
  red: '31',
  green: '32',
  yellow: '33',
  cyan: '36',
  white: '37',
} as const;
export type StyleName = keyof typeof CODES;

/** Applies styles when colours are on; otherwise returns the text unchanged. */
export interface Styler {
  readonly color: boolean;
  (text: string, ...styles: StyleName[]): string;
}

/** A styler: with `color` false it never emits an escape code. */
export function makeStyler(color: boolean): Styler {
  const f = ((text: string, ...styles: StyleName[]): string => {
    if (!color || styles.length === 0 || text === '') return text;
    return `\x1b[${styles.map((s) => CODES[s]).join(';')}m${text}\x1b[0m`;
  }) as Styler;
  Object.defineProperty(f, 'color', { value: color });
  return f;
}

// Matches CSI sequences (colours) so they do not count towards the width.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Removes ANSI escape sequences. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/**
 * The width of a string on a terminal: code points, without ANSI codes and combining marks.
 * (East Asian wide characters count as one; the summary's own symbols are all narrow.)
 */
export function visibleWidth(s: string): number {
  let w = 0;
  for (const ch of stripAnsi(s).normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x300 && cp <= 0x36f) continue; // combining marks
    w++;
  }
  return w;
}

/** Pads with spaces to `width` visible columns (never truncates). */
export function padEnd(s: string, width: number): string {
  const w = visibleWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/** Left-pads with spaces to `width` visible columns (never truncates). */
export function padStart(s: string, width: number): string {
  const w = visibleWidth(s);
  return w >= width ? s : ' '.repeat(width - w) + s;
}

/**
 * Shortens plain (unstyled) text to at most `width` columns with an ellipsis. `middle` keeps the
 * start and the end (good for URLs); otherwise the end is cut.
 */
export function truncate(s: string, width: number, middle = false): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width <= 1) return '…'.slice(0, Math.max(0, width));
  if (!middle) return chars.slice(0, width - 1).join('') + '…';
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return chars.slice(0, head).join('') + '…' + (tail > 0 ? chars.slice(chars.length - tail).join('') : '');
}
