import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareVersions } from './ordering.js';
import { brokenLaw } from './ordering-laws.js';
import { dpkgOrdering, parseDebianVersion, verrevcmp } from './dpkg.js';

const cmp = (a: string, b: string): number => {
  const c = compareVersions(dpkgOrdering, a, b);
  if (c === undefined) throw new Error(`${a} or ${b} does not parse`);
  return Math.sign(c);
};

describe('dpkg version ordering', () => {
  describe('deb-version(7) examples', () => {
    it('sorts ~~, ~~a, ~, the empty part, a in that order', () => {
      const parts = ['~~', '~~a', '~', '', 'a'];
      for (let i = 0; i + 1 < parts.length; i += 1) {
        expect(Math.sign(verrevcmp(parts[i]!, parts[i + 1]!))).toBe(-1);
      }
    });

    it('puts a pre-release marked with ~ before the release: 1.0~rc1 < 1.0', () => {
      expect(cmp('1.0~rc1', '1.0')).toBe(-1);
    });

    it('lets the epoch outrank everything: 1:0.9 > 2.0', () => {
      expect(cmp('1:0.9', '2.0')).toBe(1);
    });

    it('orders a derivative revision after its base: 1.0-1 < 1.0-1ubuntu1', () => {
      expect(cmp('1.0-1', '1.0-1ubuntu1')).toBe(-1);
    });

    it('treats an absent epoch as 0, and an absent revision like revision 0', () => {
      expect(cmp('0:1.0', '1.0')).toBe(0);
      expect(cmp('1.0', '1.0-0')).toBe(0);
    });

    it('compares digit runs numerically, so leading zeros do not count', () => {
      expect(cmp('1.002', '1.2')).toBe(0);
      expect(cmp('1.10', '1.9')).toBe(1);
    });

    it('sorts letters before non-letters: 1.0a < 1.0+ and 1.0a < 1.0.', () => {
      expect(cmp('1.0a', '1.0+')).toBe(-1);
      expect(cmp('1.0a', '1.0.')).toBe(-1);
    });
  });

  // dpkg lib/dpkg/t/t-version.c, test_version_compare (the pairs whose order it asserts).
  describe.each([
    ['1.0', '1.0', 0],
    ['1:1.0', '2:1.0', -1],
    ['0:1.0', '0:1.1', -1],
    ['1.0-1', '1.0-2', -1],
    ['1.0', '1.0-0', 0],
    ['0:1.0-1', '0:1.0-1', 0],
    ['1.0~beta', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0~~a', '1.0~', -1],
    ['1.0', '1.0a', -1],
    ['1.0.1', '1.0a', 1],
    ['2.0', '10.0', -1],
    ['1:1.27.2-2ubuntu3.4', '1:1.27.2-2ubuntu3.3', 1],
    ['1:1.30.1-4ubuntu6.3', '1:1.30.1-4ubuntu6.4', -1],
    ['2.86-1.1ubuntu0.1', '2.86-1.1', 1],
    ['7.74.0-1.3+deb11u7', '7.74.0-1.3+deb11u10', -1],
  ] as const)('%s vs %s', (a, b, expected) => {
    it(`compares as ${expected}`, () => {
      expect(cmp(a, b)).toBe(expected);
      expect(cmp(b, a)).toBe(expected === 0 ? 0 : -expected);
    });
  });

  describe('when a version breaks deb-version(7) syntax', () => {
    it.each(['', 'a:1.0', '1:', '1.0-', '1.0 beta', ':1.0', '1.0-a:b', '1.0_1'])(
      'does not parse %j',
      (text) => {
        expect(parseDebianVersion(text)).toBeUndefined();
      },
    );
  });

  const versionText = fc.stringMatching(
    /^([0-9]{1,2}:)?[0-9][0-9a-z.+~]{0,6}(-[0-9a-z.+~]{1,5})?$/,
  );

  test.prop([fc.string({ maxLength: 40 })])('parse never throws on any string', (text) => {
    expect(() => parseDebianVersion(text)).not.toThrow();
  });

  test.prop([versionText, versionText, versionText])(
    'is a total preorder on valid versions',
    (a, b, c) => {
      expect(brokenLaw(dpkgOrdering, a, b, c)).toBeUndefined();
    },
  );
});

/**
 * dpkg's verrevcmp written as plainly as version.c states it, slicing each digit run into a
 * number string: the reference the in-place comparison must agree with on every input.
 */
function plainVerrevcmp(a: string, b: string): number {
  const order = (c: string | undefined): number => {
    if (c === undefined || (c >= '0' && c <= '9')) return 0;
    if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
    return c === '~' ? -1 : c.charCodeAt(0) + 256;
  };
  const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !digit(a[i])) || (j < b.length && !digit(b[j]))) {
      const d = order(a[i]) - order(b[j]);
      if (d !== 0) return d;
      i += 1;
      j += 1;
    }
    const startA = i;
    const startB = j;
    while (digit(a[i])) i += 1;
    while (digit(b[j])) j += 1;
    const x = BigInt(`0${a.slice(startA, i)}`);
    const y = BigInt(`0${b.slice(startB, j)}`);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

describe('the in-place comparison', () => {
  const part = fc.stringMatching(/^[0-9a-zA-Z.+~]{0,12}$/);
  test.prop([part, part])('agrees with the plain reading of dpkg version.c', (a, b) => {
    expect(Math.sign(verrevcmp(a, b))).toBe(Math.sign(plainVerrevcmp(a, b)));
  });
  test.prop([fc.stringMatching(/^[0-9]{0,30}$/), fc.stringMatching(/^[0-9]{0,30}$/)])(
    'compares digit runs past 2^53 by value, leading zeros aside',
    (a, b) => {
      expect(Math.sign(verrevcmp(`0${a}`, b))).toBe(Math.sign(plainVerrevcmp(a, b)));
    },
  );
});
