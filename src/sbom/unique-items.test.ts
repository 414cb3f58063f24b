import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { canonicalJson, firstDuplicate, withLinearUniqueItems } from './unique-items.js';

describe('finding the first duplicate item of an array', () => {
  it('finds equal objects whatever their key order', () => {
    expect(firstDuplicate([{ a: 1, b: [2] }, { c: 3 }, { b: [2], a: 1 }])).toEqual([0, 2]);
  });
  it('treats arrays in a different order as different', () => {
    expect(
      firstDuplicate([
        [1, 2],
        [2, 1],
      ]),
    ).toBeUndefined();
  });

  test.prop([fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 12 })])(
    'agrees with pairwise deep equality',
    (items) => {
      const pairwise = items.findIndex((x, j) =>
        items.slice(0, j).some((y) => canonicalJson(y) === canonicalJson(x)),
      );
      expect(firstDuplicate(items)?.[1] ?? -1).toBe(pairwise);
    },
  );
});

describe('a schema rewritten for the linear-time uniqueItems check', () => {
  it('renames uniqueItems: true at every depth and keeps everything else', () => {
    expect(
      withLinearUniqueItems({
        type: 'array',
        uniqueItems: true,
        items: { properties: { x: { uniqueItems: false } } },
      }),
    ).toEqual({
      type: 'array',
      'x-nospy-unique-items': true,
      items: { properties: { x: { uniqueItems: false } } },
    });
  });
});
