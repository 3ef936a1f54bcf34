/** Error budgets in words, as every reader prints them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TimeBudgetState } from '../metrics/thresholds/index.js';
import { intervalsText, seconds, sharedBudgetNote, timeBudgetNote } from './budget-text.js';

const base: TimeBudgetState = {
  unit: 'seconds', windowMs: 1000, windows: 20, breachedWindows: 6, budgetSeconds: 43_200, periodMs: 86_400_000,
  runSeconds: 20, allowed: 10, used: 6, remaining: 4, burnRate: 0.6, exhaustedInMs: 144_000_000, breaches: [{ startMs: 0, endMs: 6000 }],
};

test('a time budget in words: breached of allowed, windows, burn rate, how long the period lasts', () => {
  assert.equal(timeBudgetNote(base), 'budget: 6s breached of 10s allowed (60 %), 4s left; 6 of 20 windows of 1s breached (at 0s–6s), burn rate 0.60×; at this rate the 1d budget lasts 1d16h');
  assert.equal(timeBudgetNote({ ...base, windows: 0, breachedWindows: 0, used: 0, remaining: 10, burnRate: 0, exhaustedInMs: null, breaches: [] }), 'budget: 0s breached of 10s allowed (0 %), 10s left; no 1s window with samples yet, burn rate 0.00×; no burn of the 1d budget');
});

test('a member within its own share says when the shared budget failed it', () => {
  const shared = { unit: 'seconds' as const, thresholds: ['a: x', 'b: y'], budgetSeconds: 43_200, periodMs: 86_400_000, runSeconds: 20, allowed: 10, used: 12, remaining: -2, burnRate: 1.2, exhaustedInMs: 72_000_000, breaches: [{ startMs: 0, endMs: 12_000 }], sumOfMembers: 12, ok: false };
  assert.match(timeBudgetNote({ ...base, shared }), /; within its own share, but the budget it shares is spent: 12s breached of 10s$/);
  assert.equal(
    sharedBudgetNote(shared),
    '43,200s over 1d shared by 2 thresholds: 12s breached of 10s allowed (120 %), 2s over budget, counting each second in which at least one was breached (at 0s–12s); burn rate 1.20×; at this rate the 1d budget lasts 20h',
  );
});

test('seconds and stretches read naturally', () => {
  assert.deepEqual([0, 0.0447, 3.25, 12.6, 28_800].map(seconds), ['0s', '0.045s', '3.3s', '13s', '28,800s']);
  assert.equal(intervalsText([{ startMs: 0, endMs: 2000 }, { startMs: 60_000, endMs: 120_000 }, { startMs: 3_600_000, endMs: 3_660_000 }, { startMs: 7_200_000, endMs: 7_201_000 }]), 'at 0s–2s, 1m–2m, 1h–1h1m, 1 more');
  // The ledger keeps the first 20 stretches: a full list does not know how many came after.
  const twenty = Array.from({ length: 20 }, (_, i) => ({ startMs: i * 2000, endMs: i * 2000 + 1000 }));
  assert.match(intervalsText(twenty), /, at least 17 more$/);
});
