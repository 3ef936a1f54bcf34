/**
 * A growable FIFO ring buffer: O(1) push/shift without the O(n) `Array.prototype.shift`, and no
 * allocation in steady state (the backing array only grows, by doubling).
 *
 *   head → [ a b c . . . ] ← tail (head + length, modulo capacity)
 */
export class Ring<T> {
  private buf: (T | undefined)[] = new Array(16);
  private head = 0;
  length = 0;

  push(v: T): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = v;
    this.length++;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return v;
  }

  /** Capacity stays a power of two so that `& (capacity - 1)` is the modulo. */
  private grow(): void {
    const old = this.buf;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.length; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.buf = next;
    this.head = 0;
  }
}
