/**
 * Error budgets in words, for the text summary, the HTML report and the Markdown/JUnit summaries:
 *
 * - events: `budget: 3 of 10.2 bad events used (29 %), 7.2 left, burn rate 0.29×; at this rate the 30d budget lasts 103d`
 * - seconds: `budget: 120s breached of 96s allowed (125 %), 24s over budget; 2 of 30 windows of 1m breached (at 12m–14m), burn rate 1.25×; at this rate the 30d budget lasts 24d`
 * - shared: `28800s over 30d shared by 2 thresholds: 180s with at least one breached (…)`
 *
 * Pure: snapshot data in, text out.
 */
import type { BreachInterval, BudgetState, SharedBudgetState, TimeBudgetState } from '../metrics/thresholds/index.js';
import { MAX_BREACHES } from '../metrics/thresholds/time-budget.js';

/** The note after an event budget's value. */
export function eventBudgetNote(b: BudgetState): string {
  const n = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  const left = b.remaining >= 0 ? `${n(b.remaining)} left` : `${n(-b.remaining)} over budget`;
  let s = `budget: ${n(b.used)} of ${n(b.allowed)} bad events used (${b.allowed > 0 ? Math.round((b.used / b.allowed) * 100) : b.used > 0 ? '∞' : 0} %), ${left}, burn rate ${b.burnRate.toFixed(2)}×`;
  if (b.periodMs !== undefined) s += periodNote(b.periodMs, b.exhaustedInMs ?? null);
  return s;
}

/** The note after a time budget's worst-window value. */
export function timeBudgetNote(b: TimeBudgetState): string {
  const len = shortDuration(b.windowMs);
  let s = `budget: ${usedOfAllowed(b)}; `;
  if (b.wholeRun) s += 'no per-second data: the whole run judged as one window';
  else if (b.windows === 0) s += `no ${len} window with samples yet`;
  else s += `${b.breachedWindows} of ${b.windows} window${b.windows === 1 ? '' : 's'} of ${len} breached${(b.breaches ?? []).length > 0 ? ` (${intervalsText(b.breaches)})` : ''}`;
  s += `, burn rate ${b.burnRate.toFixed(2)}×${periodNote(b.periodMs, b.exhaustedInMs)}`;
  if (b.belowOneWindow) s += `; the run allows less than one ${len} window of breach`;
  const shared = b.shared;
  if (shared && !shared.ok && b.used > 0 && b.remaining >= 0) s += `; within its own share, but the budget it shares is spent: ${seconds(shared.used)} breached of ${seconds(shared.allowed)}`;
  return s;
}

/** One line for a shared time budget: the union of its thresholds against the same allowance. */
export function sharedBudgetNote(u: SharedBudgetState): string {
  const members = `${u.thresholds.length} thresholds`;
  const overlap = u.sumOfMembers > u.used ? `, ${seconds(u.sumOfMembers)} summed over them` : '';
  const when = (u.breaches ?? []).length > 0 ? ` (${intervalsText(u.breaches)})` : '';
  return (
    `${seconds(u.budgetSeconds)} over ${shortDuration(u.periodMs)} shared by ${members}: ${usedOfAllowed(u)}, ` +
    `counting each second in which at least one was breached${overlap}${when}; burn rate ${u.burnRate.toFixed(2)}×${periodNote(u.periodMs, u.exhaustedInMs)}`
  );
}

/** `120s of 96s breached (125 %), 24s over budget`. */
function usedOfAllowed(b: { used: number; allowed: number; remaining: number }): string {
  const pct = b.allowed > 0 ? `${Math.round((b.used / b.allowed) * 100).toLocaleString('en-US')} %` : b.used > 0 ? '∞' : '0 %';
  const left = b.remaining >= 0 ? `${seconds(b.remaining)} left` : `${seconds(-b.remaining)} over budget`;
  return `${seconds(b.used)} breached of ${seconds(b.allowed)} allowed (${pct}), ${left}`;
}

function periodNote(periodMs: number, exhaustedInMs: number | null | undefined): string {
  const p = shortDuration(periodMs);
  return exhaustedInMs === null || exhaustedInMs === undefined ? `; no burn of the ${p} budget` : `; at this rate the ${p} budget lasts ${shortDuration(exhaustedInMs)}`;
}

/** Seconds: `0.044s`, `3.5s`, `120s`, `28,800s`. */
export function seconds(x: number): string {
  if (x === 0) return '0s';
  if (Math.abs(x) >= 10) return `${Math.round(x).toLocaleString('en-US')}s`;
  if (Math.abs(x) >= 1) return `${Number(x.toFixed(1))}s`;
  return `${Number(x.toPrecision(2))}s`;
}

/** `2s–5s, 12m–14m` (the first three stretches, then how many more: 'at least N' when the list was cut). */
export function intervalsText(list: readonly BreachInterval[]): string {
  const shown = list.slice(0, 3).map((b) => `${shortDuration(b.startMs) || '0s'}–${shortDuration(b.endMs)}`);
  // The list keeps the first MAX_BREACHES stretches: a full list may have had more.
  if (list.length > 3) shown.push(`${list.length >= MAX_BREACHES ? 'at least ' : ''}${list.length - 3} more`);
  return `at ${shown.join(', ')}`;
}

/** 300000 → '5m', 5400000 → '1h30m', 0 → '0s', 1.5 → '1.5ms'. */
export function shortDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join('');
}
