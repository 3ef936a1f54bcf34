/**
 * A promise that `settle()` resolves, or a timer after `ms` at the latest (a VU's resources
 * waiting for their streams or sockets to report their end, without ever holding a worker up).
 * `onSettle` runs once, either way.
 */
export function settleWithin(ms: number, onSettle: () => void): { promise: Promise<void>; settle: () => void } {
  let settle!: () => void;
  const promise = new Promise<void>((resolve) => {
    const t = setTimeout(() => settle(), ms);
    let done = false;
    settle = () => {
      if (done) return;
      done = true;
      clearTimeout(t);
      onSettle();
      resolve();
    };
  });
  return { promise, settle };
}
