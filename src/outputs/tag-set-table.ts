import { redactTags } from '../util/redact.js';
import type { SampleBatch } from './types.js';

/**
 * The tag sets of every producer, by id, each with a value derived from it once (its JSON, its CSV
 * cells...), so that writing a row is an array lookup. Feed every batch to `absorb` in order, even
 * batches that are then dropped: later batches refer to their tag sets by id.
 */
export class TagSetTable<T> {
  private readonly tags = new Map<number, Array<Readonly<Record<string, string>> | undefined>>();
  private readonly derived = new Map<number, Array<T | undefined>>();
  private empty: T | undefined;

  private readonly derive: (tags: Readonly<Record<string, string>>) => T;

  /** `derive` sees the tags with credentials redacted (see util/redact.ts): once per tag set, not per row. */
  constructor(derive: (tags: Readonly<Record<string, string>>) => T) {
    this.derive = (t) => derive(redactTags(t));
  }

  /** Records the batch's new tag sets. */
  absorb(batch: SampleBatch): void {
    if (batch.tagSets.size === 0) return;
    const src = batch.source ?? 0;
    let tags = this.tags.get(src);
    let derived = this.derived.get(src);
    if (!tags || !derived) {
      tags = [];
      derived = [];
      this.tags.set(src, tags);
      this.derived.set(src, derived);
    }
    for (const [id, t] of batch.tagSets) {
      tags[id] = t;
      derived[id] = undefined;
    }
  }

  /** The derived value for row `row` of `batch` (unknown ids count as no tags). */
  get(batch: SampleBatch, row: number): T {
    const id = batch.tagSet[row]!;
    if (id < 0) return this.derive(batch.inlineTags?.[row] ?? {});
    const src = batch.source ?? 0;
    const derived = this.derived.get(src);
    const hit = derived?.[id];
    if (hit !== undefined) return hit;
    const t = this.tags.get(src)?.[id];
    if (t === undefined || derived === undefined) return (this.empty ??= this.derive({}));
    const v = this.derive(t);
    derived[id] = v;
    return v;
  }
}
