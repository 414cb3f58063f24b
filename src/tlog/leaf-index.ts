/**
 * Leaf hash → log index, in memory, for de-duplicating appends without a database lookup per
 * entry. Leaf hashes are SHA-256 outputs, so their first 8 bytes are already uniformly
 * distributed: the table keeps only those 8 bytes and the index (12 bytes a slot, linear
 * probing, at most 3/4 full), not the 32-byte hash. A lookup therefore yields *candidates*; the
 * owner confirms a candidate against the full hash it stores (a tile row), which only happens for
 * a real duplicate or a 2^-64 prefix collision.
 */

/** Indexes are stored as index + 1 in a Uint32Array, 0 meaning an empty slot. */
export const MAX_INDEXED_LEAVES = 0xffff_fffe;

const MIN_SLOTS = 1 << 6;

export class LeafIndex {
  /** Bytes 0–3 and 4–7 of each slot's leaf hash (big-endian words), two words a slot. */
  #prefixes: Uint32Array;
  /** index + 1 of each slot's leaf, 0 for an empty slot. */
  #indexes: Uint32Array;
  #mask: number;
  #count = 0;

  /** `expected`: how many leaves will be added, to size the table once. */
  constructor(expected = 0) {
    let slots = MIN_SLOTS;
    while (slots * 3 < expected * 4) slots *= 2;
    this.#prefixes = new Uint32Array(2 * slots);
    this.#indexes = new Uint32Array(slots);
    this.#mask = slots - 1;
  }

  /** How many leaves are indexed. */
  get size(): number {
    return this.#count;
  }

  /**
   * Indexes the leaf hash at `offset` in `bytes` (a tile row holds many) as `index`. Adding the
   * same hash twice keeps both (the caller adds each log index once; a log never holds one hash
   * at two indexes).
   */
  add(bytes: Uint8Array, index: number, offset = 0): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= MAX_INDEXED_LEAVES) {
      throw new RangeError(
        `a leaf index is an integer in [0, ${MAX_INDEXED_LEAVES}); this one is ${index}`,
      );
    }
    if ((this.#count + 1) * 4 > (this.#mask + 1) * 3) this.#grow();
    this.#put(wordAt(bytes, offset), wordAt(bytes, offset + 4), index + 1);
    this.#count += 1;
  }

  /**
   * The first index, among the leaves whose hash starts with the same 8 bytes as `hash`, that
   * `confirm` accepts (the caller compares the full hash it keeps); undefined if none does.
   */
  find(hash: Uint8Array, confirm: (index: number) => boolean): number | undefined {
    const high = wordAt(hash, 0);
    const low = wordAt(hash, 4);
    const prefixes = this.#prefixes;
    const indexes = this.#indexes;
    const mask = this.#mask;
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const stored = indexes[slot] ?? 0;
      if (stored === 0) return undefined;
      if (prefixes[2 * slot] === high && prefixes[2 * slot + 1] === low && confirm(stored - 1)) {
        return stored - 1;
      }
    }
  }

  #put(high: number, low: number, stored: number): void {
    const mask = this.#mask;
    let slot = high & mask;
    while ((this.#indexes[slot] ?? 0) !== 0) slot = (slot + 1) & mask;
    this.#prefixes[2 * slot] = high;
    this.#prefixes[2 * slot + 1] = low;
    this.#indexes[slot] = stored;
  }

  #grow(): void {
    const prefixes = this.#prefixes;
    const indexes = this.#indexes;
    const slots = 2 * (this.#mask + 1);
    this.#prefixes = new Uint32Array(2 * slots);
    this.#indexes = new Uint32Array(slots);
    this.#mask = slots - 1;
    for (let slot = 0; slot < indexes.length; slot += 1) {
      const stored = indexes[slot] ?? 0;
      if (stored !== 0) this.#put(prefixes[2 * slot] ?? 0, prefixes[2 * slot + 1] ?? 0, stored);
    }
  }
}

function wordAt(hash: Uint8Array, offset: number): number {
  return (
    (((hash[offset] ?? 0) << 24) |
      ((hash[offset + 1] ?? 0) << 16) |
      ((hash[offset + 2] ?? 0) << 8) |
      (hash[offset + 3] ?? 0)) >>>
    0
  );
}
