/** Tags on a sample: string keys to string values (k6 semantics). */
export type Tags = Readonly<Record<string, string>>;

/**
 * An interned, immutable set of tags. Samples carry a TagSet rather than a tags object, so that the
 * sinks a (metric, tags) pair feeds are resolved once and cached here (`sinks[metric.id]`), and
 * recording a sample is an array walk with no allocation.
 */
export class TagSet {
  /** Per metric id: the sinks this tag set feeds, filled lazily by the metric store. Internal. */
  readonly sinks: (unknown[] | undefined)[] = [];
  /**
   * `with1` results from this set: name → value → TagSet, made on first use. Internal. A hit is
   * two Map lookups on strings whose hashes V8 has cached, where the key path concatenates the
   * whole base key and hashes the result (check() calls with1 per check: ≈ 0.19 µs → 0.011 µs per
   * call in bench/micro/tag-memo.mjs).
   */
  kids: Map<string, Map<string, TagSet>> | undefined = undefined;
  /** Per sample-group id: the sinks of the group's metrics for this set, resolved at once by the metric store. Internal. */
  readonly groups: unknown[] = [];
  constructor(
    /** Dense id within its cache (for compact sample batches between threads). */
    readonly id: number,
    /** Canonical-enough identity string; two keys may name equal tags (harmless: sinks are keyed by value). */
    readonly key: string,
    readonly tags: Tags,
  ) {}

  get(name: string): string | undefined {
    return this.tags[name];
  }
}

/** Distinct tag sets in one thread past which the run warns that a tag's cardinality exploded (k6 warns at 100,000 series). */
export const CARDINALITY_WARN_TAG_SETS = 10_000;

/** Most distinct tag sets kept interned per thread; past it, tag sets are built per use (correct, just slower). */
export const MAX_INTERNED_TAG_SETS = 50_000;

/**
 * Interns TagSets. `with(base, extra)` is the hot-path call: its key is the base key plus the extra
 * pairs in insertion order, so callers should add tags in a fixed order.
 */
export class TagSetCache {
  private readonly map = new Map<string, TagSet>();
  private readonly byId: TagSet[] = [];
  readonly empty: TagSet;

  constructor() {
    this.empty = this.intern('', {});
  }

  /** A tag set from a plain object (keys sorted: use off the hot path). */
  of(tags: Record<string, string | undefined> | undefined): TagSet {
    if (!tags) return this.empty;
    return this.with(this.empty, sortedDefined(tags));
  }

  /** `base` plus `extra` (extra wins on conflicts). Undefined values are skipped. */
  with(base: TagSet, extra: Record<string, string | number | boolean | undefined> | undefined): TagSet {
    if (!extra) return base;
    let key = base.key;
    for (const k in extra) {
      const v = extra[k];
      if (v !== undefined) key += `\u0001${k}\u0002${v}`;
    }
    if (key === base.key) return base;
    const hit = this.map.get(key);
    if (hit) return hit;
    const tags: Record<string, string> = { ...base.tags };
    for (const k in extra) {
      const v = extra[k];
      if (v !== undefined) tags[k] = String(v);
    }
    return this.intern(key, tags);
  }

  /** `base` plus one pair. */
  with1(base: TagSet, k: string, v: string): TagSet {
    const byName = base.kids?.get(k);
    const memo = byName?.get(v);
    if (memo !== undefined) return memo;
    const key = `${base.key}\u0001${k}\u0002${v}`;
    const ts = this.map.get(key) ?? this.intern(key, { ...base.tags, [k]: v });
    // Only interned sets are remembered (bounded by MAX_INTERNED_TAG_SETS, like the map).
    if (ts.id >= 0 && base.id >= 0) {
      if (byName !== undefined) byName.set(v, ts);
      else (base.kids ??= new Map()).set(k, new Map([[v, ts]]));
    }
    return ts;
  }

  /** The tag set with this id (ids are only meaningful within this cache). */
  byIndex(id: number): TagSet | undefined {
    return this.byId[id];
  }

  get size(): number {
    return this.map.size;
  }

  /** The tag with the most distinct values among the interned sets, and how many (a scan: call rarely). */
  mostVaried(): { tag: string; values: number } | undefined {
    const seen = new Map<string, Set<string>>();
    for (const ts of this.byId) {
      for (const k in ts.tags) {
        let s = seen.get(k);
        if (s === undefined) seen.set(k, (s = new Set()));
        s.add(ts.tags[k]!);
      }
    }
    let best: { tag: string; values: number } | undefined;
    // On a tie, `url` (the name of an unnamed request is its URL: the URL is the cause).
    for (const [tag, s] of seen) if (best === undefined || s.size > best.values || (s.size === best.values && tag === 'url')) best = { tag, values: s.size };
    return best;
  }

  private intern(key: string, tags: Record<string, string>): TagSet {
    const ts = new TagSet(this.byId.length, key, Object.freeze(tags));
    if (this.map.size < MAX_INTERNED_TAG_SETS) {
      this.map.set(key, ts);
      this.byId.push(ts);
    } else {
      // Not interned: id -1 tells sample batching to send the tags inline.
      return new TagSet(-1, key, ts.tags);
    }
    return ts;
  }
}

function sortedDefined(tags: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(tags).sort()) {
    const v = tags[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
