import type { IpPrefix } from './ip.js';

/**
 * A set of IPv4 and IPv6 addresses built from prefixes, stored as sorted, merged, inclusive
 * intervals so that membership is a binary search with no allocation. Empty sets are common (a
 * name the operator bound to nothing) and answer false at once.
 */
export class AddressSet {
  /** IPv4 intervals: lo0, hi0, lo1, hi1 … */
  private readonly v4: Uint32Array;
  /** IPv6 intervals: 8 words each (lo 4, hi 4). */
  private readonly v6: Uint32Array;
  readonly size: number;

  constructor(prefixes: readonly IpPrefix[]) {
    const v4: [number, number][] = [];
    const v6: Uint32Array[] = [];
    for (const prefix of prefixes) {
      if (prefix.family === 4) {
        const lo = prefix.words[0] ?? 0;
        const span = prefix.length === 0 ? 0xffffffff : 2 ** (32 - prefix.length) - 1;
        v4.push([lo, lo + span]);
      } else {
        const interval = new Uint32Array(8);
        for (let w = 0; w < 4; w += 1) {
          const bits = Math.min(32, Math.max(0, prefix.length - 32 * w));
          const host = bits === 32 ? 0 : bits === 0 ? 0xffffffff : 0xffffffff >>> bits;
          interval[w] = prefix.words[w] ?? 0;
          interval[w + 4] = ((prefix.words[w] ?? 0) | host) >>> 0;
        }
        v6.push(interval);
      }
    }
    this.v4 = mergeV4(v4);
    this.v6 = mergeV6(v6);
    this.size = this.v4.length / 2 + this.v6.length / 8;
  }

  /** Is the IPv4 address (one word) in the set? */
  hasV4(address: number): boolean {
    const a = this.v4;
    let lo = 0;
    let hi = a.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const start = a[2 * mid] ?? 0;
      if (address < start) hi = mid - 1;
      else if (address > (a[2 * mid + 1] ?? 0)) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Is the IPv6 address (`words[0..3]`) in the set? */
  hasV6(words: Uint32Array): boolean {
    const a = this.v6;
    let lo = 0;
    let hi = a.length / 8 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(words, a, 8 * mid) < 0) hi = mid - 1;
      else if (compare(words, a, 8 * mid + 4) > 0) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Membership for a parsed address of either family. */
  has(family: 4 | 6, words: Uint32Array): boolean {
    return family === 4 ? this.hasV4(words[0] ?? 0) : this.hasV6(words);
  }
}

function compare(words: Uint32Array, table: Uint32Array, at: number): number {
  for (let w = 0; w < 4; w += 1) {
    const a = words[w] ?? 0;
    const b = table[at + w] ?? 0;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

function mergeV4(intervals: [number, number][]): Uint32Array {
  intervals.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of intervals) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] ?? 0) + 1) out[last] = Math.max(out[last] ?? 0, hi);
    else out.push(lo, hi);
  }
  return Uint32Array.from(out);
}

function mergeV6(intervals: Uint32Array[]): Uint32Array {
  intervals.sort((a, b) => compare(a, b, 0));
  const out: Uint32Array[] = [];
  for (const interval of intervals) {
    const last = out.at(-1);
    // Overlapping (or nested) intervals merge; adjacency is left alone, it only costs a slot.
    if (last !== undefined && compare(interval, last, 4) <= 0) {
      if (compare(interval.subarray(4), last, 4) > 0) last.set(interval.subarray(4), 4);
    } else {
      out.push(interval.slice());
    }
  }
  const flat = new Uint32Array(out.length * 8);
  out.forEach((interval, i) => {
    flat.set(interval, 8 * i);
  });
  return flat;
}
