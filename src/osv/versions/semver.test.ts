import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { brokenLaw } from './ordering-laws.js';
import { compareVersions } from './ordering.js';
import { parseSemver, semverOrdering } from './semver.js';

const cmp = (a: string, b: string): number | undefined => {
  const c = compareVersions(semverOrdering, a, b);
  return c === undefined ? undefined : Math.sign(c);
};

describe('SemVer 2.0.0 ordering', () => {
  it('orders the §11 example list 1.0.0-alpha < … < 1.0.0', () => {
    const list = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let i = 0; i + 1 < list.length; i += 1) {
      expect(cmp(list[i]!, list[i + 1]!), `${list[i]!} < ${list[i + 1]!}`).toBe(-1);
    }
  });

  it('orders the §11.2 example 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1', () => {
    expect(cmp('1.0.0', '2.0.0')).toBe(-1);
    expect(cmp('2.0.0', '2.1.0')).toBe(-1);
    expect(cmp('2.1.0', '2.1.1')).toBe(-1);
  });

  it('ignores build metadata (§10)', () => {
    expect(cmp('1.0.0+20130313144700', '1.0.0+exp.sha.5114f85')).toBe(0);
    expect(cmp('1.0.0-beta+exp.sha.5114f85', '1.0.0-beta')).toBe(0);
  });

  it('compares numbers numerically, not as text', () => {
    expect(cmp('1.10.0', '1.9.0')).toBe(1);
  });

  describe('when a version is not SemVer 2.0.0', () => {
    it.each(['1.0', '01.0.0', '1.0.0-01', '1.0.0-', '1.0.0+', 'a.b.c', '1.0.0-alpha..1'])(
      'does not parse %j',
      (text) => {
        expect(parseSemver(text)).toBeUndefined();
      },
    );
  });

  const semverText = fc.stringMatching(
    /^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}(-[0-9a-z]{1,3}(\.[0-9a-z]{1,3}){0,2})?$/,
  );

  test.prop([fc.string({ maxLength: 40 })])('parse never throws on any string', (text) => {
    expect(() => parseSemver(text)).not.toThrow();
  });

  test.prop([semverText, semverText, semverText])('is a total preorder', (a, b, c) => {
    expect(brokenLaw(semverOrdering, a, b, c)).toBeUndefined();
  });
});
