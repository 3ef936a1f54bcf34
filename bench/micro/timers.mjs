#!/usr/bin/env node
// A request timeout per request: setTimeout + clearTimeout (a Timeout object and two list
// operations each time) against writing a deadline number that one sweep timer checks.
// Usage: node bench/micro/timers.mjs
import { bench } from './bench-util.mjs';

function onTimeout() {}
const ex = { deadline: 0, timer: null };
bench('setTimeout(60 s) + clearTimeout per request', 2e6, () => {
  ex.timer = setTimeout(onTimeout, 60_000, ex);
  clearTimeout(ex.timer);
});
bench('deadline field (sweep timer checks it every 100 ms)', 2e6, () => {
  ex.deadline = performance.now() + 60_000;
  ex.deadline = 0;
});
