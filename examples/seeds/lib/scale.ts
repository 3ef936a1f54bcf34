// Every seed example is scaled by one variable, SCALE: 1 runs the plan's real durations and sizes,
// the test suite runs 0.01 (minutes become about a second). Durations never drop below 1 s and
// counts never below 1, so a small scale still exercises every stage.
//   npx volley run examples/seeds/<file>.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1

/** The scale factor (SCALE, default 1). */
export const SCALE: number = (() => {
  const raw = __ENV.SCALE ?? '1';
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`SCALE must be a positive number, got '${raw}'`);
  return n;
})();

/** A plan's duration in seconds, scaled, as a k6 duration string (at least 1 s). */
export function dur(seconds: number): string {
  return `${Math.max(1, Math.round(seconds * SCALE))}s`;
}

/** A plan's count (VUs, rate, iterations), scaled, at least `min` (default 1). */
export function count(n: number, min = 1): number {
  return Math.max(min, Math.round(n * SCALE));
}

/** The base URL of the system under test (BASE_URL, default the local `volley target`). */
export const BASE: string = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
