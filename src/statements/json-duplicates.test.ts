import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from './json-duplicates.js';

describe('repeated JSON member names', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"x":{"b":1,"c":{"d":[1,{"e":1,"e":2}]}}}', 'e'],
    ['{"\\u0061":1,"a":2}', 'a'],
  ])('finds the repeat in %s', (text, key) => {
    expect(firstDuplicateKey(text)).toBe(key);
  });

  it('does not confuse values, escaped quotes or sibling objects with repeats', () => {
    expect(
      firstDuplicateKey('{"a":"a","b":["a","a"],"c":{"a":1},"d":{"a":"\\"a\\""}}'),
    ).toBeUndefined();
  });

  test.prop([fc.json()])('finds none in what JSON.stringify writes', (text) => {
    expect(firstDuplicateKey(JSON.stringify(JSON.parse(text)))).toBeUndefined();
  });
});
