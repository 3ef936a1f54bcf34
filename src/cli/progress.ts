import { formatDuration } from '../config/duration.js';
import type { LiveSnapshot } from '../metrics/live.js';

/**
 * The live progress display. On a terminal it redraws a small block in place every second; in a
 * log (CI) it prints one plain line every `plainEveryMs`. Writes to stderr, so stdout carries only
 * the summary.
 */
export class ProgressDisplay {
  private drawn = 0;
  private lastPlain = -Infinity;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly opts: { tty: boolean; color: boolean; plainEveryMs?: number },
  ) {}

  update(s: LiveSnapshot): void {
    if (this.opts.tty) this.redraw(this.lines(s));
    else if (s.elapsedMs - this.lastPlain >= (this.opts.plainEveryMs ?? 10_000)) {
      this.lastPlain = s.elapsedMs;
      this.out.write(`${this.headline(s)}\n`);
    }
  }

  /** Prints a message above the live block (warnings, first script errors). */
  log(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
  }

  /** Removes the live block (before the summary). */
  clear(): void {
    if (this.drawn > 0) {
      this.out.write(`\x1b[${this.drawn}A\x1b[0J`);
      this.drawn = 0;
    }
  }

  private redraw(lines: string[]): void {
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A\x1b[0J` : '';
    this.out.write(up + lines.join('\n') + '\n');
    this.drawn = lines.length;
  }

  private headline(s: LiveSnapshot): string {
    const parts = [
      `running (${formatDuration(s.elapsedMs)}/${formatDuration(s.plannedMs)})`,
      `${s.vus}/${s.vusMax} VUs`,
      `${s.iterations} complete iterations`,
      `${s.rps === null ? '-' : s.rps.toFixed(1)} req/s`,
      `p95 ${s.p95 === null ? '-' : `${s.p95.toFixed(2)}ms`}`,
      `errors ${s.errorRate === null ? '-' : `${(s.errorRate * 100).toFixed(2)}%`}`,
    ];
    if (s.failedThresholds > 0) parts.push(`${s.failedThresholds} threshold(s) failing`);
    return parts.join(', ');
  }

  private lines(s: LiveSnapshot): string[] {
    const c = this.opts.color;
    const dim = (x: string): string => (c ? `\x1b[2m${x}\x1b[0m` : x);
    const red = (x: string): string => (c ? `\x1b[31m${x}\x1b[0m` : x);
    const out = [this.headline(s)];
    const width = Math.max(...s.scenarios.map((x) => x.name.length), 4);
    for (const sc of s.scenarios) {
      const barW = 30;
      const filled = Math.round(sc.progress * barW);
      const bar = `[${'='.repeat(filled)}${filled < barW ? '>' : ''}${' '.repeat(Math.max(0, barW - filled - 1))}]`;
      out.push(`${sc.name.padEnd(width)} ${sc.done ? '✓' : ' '} ${bar} ${dim(`${sc.active}/${sc.allocated} VUs  ${sc.iterations} iters  ${sc.executor}`)}`);
    }
    if (s.eventLoopDelayP99Ms > 50) out.push(red(`generator busy: event-loop delay p99 ${s.eventLoopDelayP99Ms.toFixed(0)} ms`));
    return out;
  }
}
