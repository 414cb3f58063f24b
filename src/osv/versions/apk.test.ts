import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { apkOrdering, parseApkVersion } from './apk.js';
import { brokenLaw } from './ordering-laws.js';
import { compareVersions } from './ordering.js';

const cmp = (a: string, b: string): number | undefined => {
  const c = compareVersions(apkOrdering, a, b);
  return c === undefined ? undefined : Math.sign(c);
};

describe('apk (Alpine) version ordering', () => {
  it('orders pre-release suffixes before the release and _p after it', () => {
    const list = [
      '1.0_alpha',
      '1.0_beta2',
      '1.0_pre1',
      '1.0_rc1',
      '1.0',
      '1.0-r1',
      '1.0_p1',
      '1.0a',
      '1.0.1',
    ];
    for (let i = 0; i + 1 < list.length; i += 1) {
      expect(cmp(list[i]!, list[i + 1]!), `${list[i]!} < ${list[i + 1]!}`).toBe(-1);
    }
  });

  it('orders package revisions numerically: 1.36.1-r5 < 1.36.1-r15', () => {
    expect(cmp('1.36.1-r5', '1.36.1-r15')).toBe(-1);
  });

  it('does not parse an unknown suffix', () => {
    expect(parseApkVersion('1.0_foo')).toBeUndefined();
  });

  const apkText = fc.stringMatching(
    /^[0-9]{1,2}(\.[0-9]{1,2}){0,2}[a-c]?(_(alpha|rc|p)[0-9]?)?(-r[0-9]{1,2})?$/,
  );

  test.prop([fc.string({ maxLength: 40 })])('parse never throws on any string', (text) => {
    expect(() => parseApkVersion(text)).not.toThrow();
  });

  test.prop([apkText, apkText, apkText])('is a total preorder', (a, b, c) => {
    expect(brokenLaw(apkOrdering, a, b, c)).toBeUndefined();
  });
});
