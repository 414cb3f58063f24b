/**
 * Inputs for fuzzing: a real seed changed by a few edits (bit flips, interesting values, inserted,
 * removed, duplicated and truncated ranges, a splice with another seed), or now and then bytes
 * from nowhere. fast-check draws the edits, so a run is reproducible from its seed.
 */
import fc from 'fast-check';

type Edit =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly value: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'remove'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly op: 'overwrite'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'splice'; readonly at: number; readonly other: number };

/** Values that sit on parsers' boundaries: lengths, counts, signs. */
const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x40, 0x0a, 0x22, 0x5b, 0x7b, 0x2a, 0x26];

/** Big-endian numbers on binary formats' boundaries: NaN, infinities, negatives, all ones. */
const INTERESTING_WORDS = [
  [0x7f, 0xf8, 0, 0, 0, 0, 0, 0], // f64 NaN
  [0x7f, 0xf0, 0, 0, 0, 0, 0, 0], // f64 +Infinity
  [0xbf, 0xf0, 0, 0, 0, 0, 0, 0], // f64 -1
  [0x80, 0, 0, 0, 0, 0, 0, 0], // f64 -0, i64 minimum
  [0xff, 0xff, 0xff, 0xff], // u32 maximum, i32 -1
  [0x7f, 0xff, 0xff, 0xff], // i32 maximum
  [0xff, 0xff], // u16 maximum
].map((word) => Uint8Array.from(word));

const edit: fc.Arbitrary<Edit> = fc.oneof(
  // Length-preserving, anywhere in the input (unbiased: small offsets are mostly headers), so a
  // field deep in a strict binary format changes while the rest still parses.
  fc.record({
    op: fc.constant('overwrite' as const),
    at: fc.noBias(fc.nat()),
    bytes: fc.oneof(
      fc.constantFrom(...INTERESTING_WORDS),
      fc.uint8Array({ minLength: 1, maxLength: 8 }),
    ),
  }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({
    op: fc.constant('set' as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(...INTERESTING), fc.nat(255)),
  }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    op: fc.constant('remove' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 64 }),
  }),
  fc.record({
    op: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 256 }),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('splice' as const), at: fc.nat(), other: fc.nat() }),
);

function apply(bytes: Buffer, e: Edit, seeds: readonly Buffer[]): Buffer {
  const n = bytes.length;
  const at = n === 0 ? 0 : e.at % (n + 1);
  switch (e.op) {
    case 'flip': {
      if (n === 0) return bytes;
      const out = Buffer.from(bytes);
      const i = e.at % n;
      out[i] = (out[i] ?? 0) ^ (1 << e.bit);
      return out;
    }
    case 'set': {
      if (n === 0) return bytes;
      const out = Buffer.from(bytes);
      out[e.at % n] = e.value;
      return out;
    }
    case 'overwrite': {
      if (n === 0) return bytes;
      const out = Buffer.from(bytes);
      out.set(e.bytes.subarray(0, n - (e.at % n)), e.at % n);
      return out;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), e.bytes, bytes.subarray(at)]);
    case 'remove':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + e.length)]);
    case 'duplicate':
      return Buffer.concat([
        bytes.subarray(0, at),
        bytes.subarray(at, at + e.length),
        bytes.subarray(at),
      ]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'splice': {
      const other = seeds[e.other % seeds.length] ?? bytes;
      return Buffer.concat([bytes.subarray(0, at), other.subarray(e.at % (other.length + 1))]);
    }
  }
}

/** Inputs drawn from `seeds`: mostly mutants, a few raw byte strings. */
export function mutants(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  const mutated = fc
    .record({ seed: fc.nat(), edits: fc.array(edit, { minLength: 1, maxLength: 6 }) })
    .map(({ seed, edits }) => {
      let bytes = seeds[seed % seeds.length] ?? Buffer.alloc(0);
      for (const e of edits) bytes = apply(bytes, e, seeds);
      return bytes;
    });
  const raw = fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a));
  return fc.oneof({ arbitrary: mutated, weight: 9 }, { arbitrary: raw, weight: 1 });
}
