import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { brokenLaw } from './ordering-laws.js';
import { compareVersions } from './ordering.js';
import { parsePep440, pep440Ordering } from './pep440.js';

const cmp = (a: string, b: string): number | undefined => {
  const c = compareVersions(pep440Ordering, a, b);
  return c === undefined ? undefined : Math.sign(c);
};

describe('PEP 440 ordering', () => {
  it('orders the example list from §Summary of permitted suffixes and relative ordering', () => {
    const list = [
      '1.dev0',
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0rc1.dev456',
      '1.0rc1',
      '1.0',
      '1.0+abc.5',
      '1.0+abc.7',
      '1.0+5',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.0.15',
      '1.1.dev1',
    ];
    for (let i = 0; i + 1 < list.length; i += 1) {
      expect(cmp(list[i]!, list[i + 1]!), `${list[i]!} < ${list[i + 1]!}`).toBe(-1);
    }
  });

  it('treats spellings §Normalization calls equal as equal', () => {
    expect(cmp('1.0', '1.0.0')).toBe(0);
    expect(cmp('1.0alpha1', '1.0a1')).toBe(0);
    expect(cmp('1.0-post1', '1.0.post1')).toBe(0);
    expect(cmp('1.0-1', '1.0.post1')).toBe(0);
    expect(cmp('1.0c1', '1.0rc1')).toBe(0);
    expect(cmp('V1.0', '1.0')).toBe(0);
  });

  it('lets the epoch outrank the release: 1!1.0 > 2.0', () => {
    expect(cmp('1!1.0', '2.0')).toBe(1);
  });

  it('does not parse what is not a version', () => {
    expect(parsePep440('1.0.x')).toBeUndefined();
    expect(parsePep440('')).toBeUndefined();
  });

  const pepText = fc.stringMatching(
    /^[0-9]{1,2}(\.[0-9]{1,2}){0,2}((a|b|rc)[0-9])?(\.post[0-9])?(\.dev[0-9])?(\+[a-z0-9]{1,3})?$/,
  );

  test.prop([fc.string({ maxLength: 40 })])('parse never throws on any string', (text) => {
    expect(() => parsePep440(text)).not.toThrow();
  });

  test.prop([pepText, pepText, pepText])('is a total preorder', (a, b, c) => {
    expect(brokenLaw(pep440Ordering, a, b, c)).toBeUndefined();
  });
});
