import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatPurl, parsePurl } from './purl.js';

describe('reading a package URL (purl-spec)', () => {
  // purl-spec test-suite-data.json cases (canonical forms).
  describe.each([
    [
      'pkg:maven/org.apache.commons/io@1.3.4',
      { type: 'maven', namespace: 'org.apache.commons', name: 'io', version: '1.3.4' },
    ],
    [
      'pkg:npm/%40angular/animation@12.3.1',
      { type: 'npm', namespace: '@angular', name: 'animation', version: '12.3.1' },
    ],
    [
      'pkg:pypi/Django_package@1.11.1',
      { type: 'pypi', namespace: undefined, name: 'django-package', version: '1.11.1' },
    ],
    [
      'pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie',
      {
        type: 'deb',
        namespace: 'debian',
        name: 'curl',
        version: '7.50.3-1',
        qualifiers: { arch: 'i386', distro: 'jessie' },
      },
    ],
    [
      'pkg:docker/customer/dockerimage@sha256%3A244fd47e07d10?repository_url=gcr.io',
      {
        type: 'docker',
        name: 'dockerimage',
        version: 'sha256:244fd47e07d10',
        qualifiers: { repository_url: 'gcr.io' },
      },
    ],
    [
      'pkg:GitHub/Package-URL/purl-spec@244fd47e07d10#everybody/loves/dogs',
      {
        type: 'github',
        namespace: 'package-url',
        name: 'purl-spec',
        subpath: 'everybody/loves/dogs',
      },
    ],
    ['pkg://npm/foo@1.0.0', { type: 'npm', name: 'foo', version: '1.0.0' }],
    [
      'pkg:deb/ubuntu/busybox@1:1.30.1-4ubuntu6.4?arch=source&distro=focal',
      {
        name: 'busybox',
        version: '1:1.30.1-4ubuntu6.4',
        qualifiers: { arch: 'source', distro: 'focal' },
      },
    ],
  ] as const)('%s', (text, expected) => {
    it('reads every part and normalises per type, with no problem', () => {
      const { purl, problems } = parsePurl(text);
      expect(problems).toEqual([]);
      expect(purl).toMatchObject(expected);
    });
  });

  describe('when a purl carries two question marks (as Ubuntu OSV data does)', () => {
    it('recovers both qualifiers and reports the deviation', () => {
      const { purl, problems } = parsePurl('pkg:deb/ubuntu/busybox?arch=src?distro=focal');
      expect(purl).toMatchObject({ name: 'busybox', qualifiers: { arch: 'src', distro: 'focal' } });
      expect(problems).toEqual(["purl has more than one '?'; read the extra '?' as '&'"]);
    });
  });

  describe('when a purl is malformed beyond recovery', () => {
    it.each([
      ['npm/foo@1.0', "does not start with 'pkg:'"],
      ['pkg:', 'no type or no name'],
      ['pkg:npm', 'no type or no name'],
      ['pkg:npm/', 'no type or no name'],
      ['pkg:n&m/foo', "type 'n&m' is not valid"],
      ['pkg:1npm/foo', "type '1npm' is not valid"],
      ['', "does not start with 'pkg:'"],
    ])('returns no purl for %j, naming the problem', (text, problem) => {
      const { purl, problems } = parsePurl(text);
      expect(purl).toBeUndefined();
      expect(problems.join('; ')).toContain(problem);
    });
  });

  describe('when a part has a broken percent-encoding or a duplicate qualifier', () => {
    it('keeps the part as written and reports each problem', () => {
      const { purl, problems } = parsePurl('pkg:npm/foo@1.0%zz?arch=x&arch=y&__proto__=z');
      expect(purl?.version).toBe('1.0%zz');
      expect(purl?.qualifiers.arch).toBe('x');
      expect(Object.hasOwn(purl!.qualifiers, '__proto__')).toBe(true);
      expect(problems).toEqual([
        "qualifier 'arch' is given twice; the first is kept",
        "version '1.0%zz' has an invalid percent-encoding; kept as written",
      ]);
    });
  });

  test.prop([fc.string({ maxLength: 200 })])('never throws, whatever the input', (text) => {
    expect(() => parsePurl(text)).not.toThrow();
  });

  test.prop([fc.string({ maxLength: 60 }).map((s) => `pkg:${s}`)])(
    'never throws on pkg: prefixed junk',
    (text) => {
      expect(() => parsePurl(text)).not.toThrow();
    },
  );

  const segment = fc.stringMatching(/^[A-Za-z0-9._@ %/-]{1,12}$/);
  test.prop([segment, segment, fc.option(segment)])(
    'formats and re-parses to the same purl',
    (ns, name, version) => {
      const purl = {
        type: 'generic',
        namespace: ns.replace(/^\/+|\/+$/g, '') || undefined,
        name,
        version: version ?? undefined,
        qualifiers: {},
        subpath: undefined,
      };
      const first = parsePurl(formatPurl({ ...purl, namespace: undefined })).purl;
      if (first === undefined) return;
      expect(parsePurl(formatPurl(first)).purl).toEqual(first);
    },
  );
});
