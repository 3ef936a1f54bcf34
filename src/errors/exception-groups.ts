import type { ScriptException } from './script-exception.js';

/**
 * Script exceptions grouped by kind: a normalised message (numbers, UUIDs, hex ids folded) and the
 * source location. `throw new Error('order ' + Math.random())` is one group, not one per
 * iteration: without grouping, 4 VUs throwing unique messages for 8 s kept 442,543 distinct
 * messages (with their stacks), 1.65 GB RSS and a 280 MB summary export (bench/RESULTS.md,
 * "Unique script errors"). Past `max` groups, further kinds only add to an "other" count.
 */
export interface ExceptionGroup extends ScriptException {
  /** The normalised message: the group's name. `message` is its first occurrence. */
  pattern: string;
  count: number;
  /** Messages of this group differed (so `pattern` describes them, not `message`). */
  varied?: boolean;
}

/** Groups a worker sends per metrics flush, and the whole test keeps (like the breakdown caps). */
export const MAX_GROUPS_PER_FLUSH = 100;
export const MAX_GROUPS = 200;

/** Longest message or stack kept per group (a script may throw a whole response body). */
export const MAX_MESSAGE_CHARS = 500;
const MAX_STACK_CHARS = 4000;

/** The `pattern` and `message` of the group that counts exceptions past the cap. */
export const OTHER_PATTERN = '(other kinds of script error)';

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX = /\b(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,})\b/gi;
const NUMBER = /\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi;

/** 'order 0.1234 for 5f0c…' → 'order <n> for <hex>': what varies between occurrences of one kind. */
export function normaliseMessage(message: string): string {
  const m = message.length > MAX_MESSAGE_CHARS ? message.slice(0, MAX_MESSAGE_CHARS) : message;
  return m.replace(UUID, '<uuid>').replace(HEX, '<hex>').replace(NUMBER, '<n>');
}

function clip(s: string | undefined, max: number): string | undefined {
  return s === undefined || s.length <= max ? s : `${s.slice(0, max)}…`;
}

/** Counts exceptions by group, keeping at most `max` groups plus the "other" one. */
export class ExceptionGroups {
  private readonly groups = new Map<string, ExceptionGroup>();
  private other: ExceptionGroup | undefined;

  constructor(readonly max: number) {}

  /**
   * Adds `count` occurrences. Returns the group when this call created it (the first of its kind:
   * worth showing), else undefined.
   */
  add(e: ScriptException & { pattern?: string; varied?: boolean }, count = 1): ExceptionGroup | undefined {
    const pattern = e.pattern ?? normaliseMessage(e.message);
    if (pattern === OTHER_PATTERN) {
      this.otherGroup().count += count;
      return undefined;
    }
    const key = `${pattern}\u0000${e.location ?? ''}`;
    const g = this.groups.get(key);
    if (g !== undefined) {
      g.count += count;
      if (g.varied !== true && (e.varied === true || clip(e.message, MAX_MESSAGE_CHARS) !== g.message)) g.varied = true;
      return undefined;
    }
    if (this.groups.size >= this.max) {
      this.otherGroup().count += count;
      return undefined;
    }
    const ng: ExceptionGroup = {
      code: e.code,
      pattern,
      message: clip(e.message, MAX_MESSAGE_CHARS)!,
      location: e.location,
      stack: clip(e.stack, MAX_STACK_CHARS),
      count,
    };
    if (e.varied === true) ng.varied = true;
    this.groups.set(key, ng);
    return ng;
  }

  /** Every group, the "other" one last (when anything overflowed). */
  list(): ExceptionGroup[] {
    const out = [...this.groups.values()];
    if (this.other !== undefined && this.other.count > 0) out.push(this.other);
    return out;
  }

  get size(): number {
    return this.groups.size;
  }

  clear(): void {
    this.groups.clear();
    this.other = undefined;
  }

  private otherGroup(): ExceptionGroup {
    return (this.other ??= { code: 'E_SCRIPT_EXCEPTION', pattern: OTHER_PATTERN, message: OTHER_PATTERN, location: undefined, stack: undefined, count: 0 });
  }
}

/**
 * Lets at most `perSecond` lines through each second; `flush()` (called once a second) returns how
 * many were held back since the last call, for one "N more suppressed" line.
 */
export class LineBudget {
  private windowStart = 0;
  private used = 0;
  private suppressed = 0;

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(): boolean {
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.used = 0;
    }
    if (this.used < this.perSecond) {
      this.used++;
      return true;
    }
    this.suppressed++;
    return false;
  }

  flush(): number {
    const n = this.suppressed;
    this.suppressed = 0;
    return n;
  }
}
