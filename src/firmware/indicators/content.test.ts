import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTENT_TOKENS, findTokens } from './content.js';

describe('the one-pass content scanner', () => {
  it('finds a token that straddles the 1 MiB chunk boundary exactly once', () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 0x20);
    const token = 'xmlset_roodkcableoj28840ybtide';
    for (const at of [
      1024 * 1024 - 10,
      2 * 1024 * 1024 - token.length,
      3 * 1024 * 1024 - token.length,
    ])
      data.write(token, at, 'latin1');
    expect(findTokens(data).get(token)).toEqual([
      1024 * 1024 - 10,
      2 * 1024 * 1024 - token.length,
      3 * 1024 * 1024 - token.length,
    ]);
  });

  it('reports byte offsets in binary data', () => {
    const data = Buffer.concat([Buffer.from([0xff, 0x00, 0xfe]), Buffer.from('BusyBox v1.2.3')]);
    expect(findTokens(data).get('BusyBox v')).toEqual([3]);
  });
});

describe('the one-pass content scanner, against a regular expression', () => {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const alternation = new RegExp(CONTENT_TOKENS.map(escape).join('|'), 'g');
  /** What a left-to-right alternation of the tokens finds over the whole file. */
  function reference(data: Buffer): Map<string, number[]> {
    const hits = new Map<string, number[]>();
    for (const match of data.toString('latin1').matchAll(alternation)) {
      const list = hits.get(match[0]) ?? [];
      if (list.length < 64) list.push(match.index);
      hits.set(match[0], list);
    }
    return hits;
  }
  // Files made of token pieces, whole tokens and random bytes: prefixes, overlaps and tokens
  // cut at the end of the file are where a byte-pair filter could go wrong.
  const piece = fc.oneof(
    fc.constantFrom(...CONTENT_TOKENS).map((t) => Buffer.from(t, 'latin1')),
    fc
      .tuple(fc.constantFrom(...CONTENT_TOKENS), fc.nat())
      .map(([t, n]) => Buffer.from(t.slice(0, 1 + (n % t.length)), 'latin1')),
    fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
  );

  it('finds the same tokens at the same offsets', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const data = Buffer.concat(pieces);
        expect(new Map(findTokens(data))).toEqual(reference(data));
      }),
      { numRuns: 500 },
    );
  });
});
