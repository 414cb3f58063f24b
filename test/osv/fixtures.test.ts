import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildAdvisoryIndex } from '../../src/osv/advisory-index.js';
import { loadOsvSources } from '../../src/osv/load.js';
import { matchPackage, queryOfEcosystem, queryOfPurlText } from '../../src/osv/match.js';

const osvDir = fileURLToPath(new URL('../fixtures/osv/', import.meta.url));
const loaded = loadOsvSources([osvDir]);
const index = buildAdvisoryIndex(loaded.records);

function byPurl(purl: string) {
  const { query } = queryOfPurlText(purl);
  if (query === undefined) throw new Error(`no query for ${purl}`);
  return matchPackage(index, query);
}
const ids = (findings: ReturnType<typeof byPurl>, status: string) =>
  findings
    .filter((f) => f.status === status)
    .map((f) => f.advisory.id)
    .sort();

describe('the published OSV fixtures', () => {
  it('all load as OSV records, JSON and YAML alike, with no warning', () => {
    expect(loaded.warnings).toEqual([]);
    expect(loaded.records.map((r) => r.id).sort()).toEqual([
      'OSV-2018-153',
      'OSV-2022-6',
      'OSV-2024-635',
      'UBUNTU-CVE-2020-25681',
      'UBUNTU-CVE-2021-36369',
      'UBUNTU-CVE-2022-28391',
      'USN-5179-1',
    ]);
  });

  describe('Ubuntu busybox on focal (USN-5179-1: fixed in 1:1.30.1-4ubuntu6.4)', () => {
    it('affects 1:1.30.1-4ubuntu6.3 and names the range and the fixed version', () => {
      const findings = byPurl('pkg:deb/ubuntu/busybox@1:1.30.1-4ubuntu6.3?distro=focal');
      const usn = findings.find((f) => f.advisory.id === 'USN-5179-1');
      expect(usn).toMatchObject({
        status: 'affected',
        ecosystem: 'Ubuntu:20.04:LTS',
        fixed: ['1:1.30.1-4ubuntu6.4'],
        ranges: [{ type: 'ECOSYSTEM', introduced: ['0'], fixed: ['1:1.30.1-4ubuntu6.4'] }],
      });
      expect(usn?.advisory.summary).toBe('busybox vulnerabilities');
      expect(usn?.advisory.related).toContain('UBUNTU-CVE-2021-42374');
    });

    it('does not affect the fixed version 1:1.30.1-4ubuntu6.4 (dpkg ordering), though the unfixed CVE still does', () => {
      const findings = byPurl('pkg:deb/ubuntu/busybox@1:1.30.1-4ubuntu6.4?distro=focal');
      expect(ids(findings, 'affected')).toEqual(['UBUNTU-CVE-2022-28391']);
    });

    it('carries the CVSS vector and the CVE alias of UBUNTU-CVE-2022-28391', () => {
      const [finding] = byPurl('pkg:deb/ubuntu/busybox@1:1.30.1-4ubuntu6.4?distro=focal');
      expect(finding?.advisory.related).toEqual(['CVE-2022-28391']);
      expect(finding?.advisory.severity).toEqual([
        {
          type: 'CVSS_V3',
          score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H',
          baseScore: 8.8,
          rating: 'High',
        },
      ]);
    });
  });

  describe('dnsmasq (UBUNTU-CVE-2020-25681, per-release fixes)', () => {
    it('affects the bionic version below the bionic fix, and not the fixed one', () => {
      expect(
        ids(byPurl('pkg:deb/ubuntu/dnsmasq@2.79-1ubuntu0.1?distro=bionic'), 'affected'),
      ).toEqual(['UBUNTU-CVE-2020-25681']);
      expect(byPurl('pkg:deb/ubuntu/dnsmasq@2.79-1ubuntu0.2?distro=bionic')).toEqual([]);
    });

    it('judges by the release the purl names: a focal version is not tested against the bionic fix', () => {
      // 2.80-1.1ubuntu1.2 is focal's fix; it is above bionic's fix too, but only focal applies.
      expect(
        byPurl('pkg:deb/ubuntu/dnsmasq@2.80-1.1ubuntu1.1?distro=focal').map((f) => f.ecosystem),
      ).toEqual(['Ubuntu:20.04:LTS']);
    });
  });

  describe('when the package is Debian’s, not Ubuntu’s', () => {
    it('applies no Ubuntu advisory, even one that affects every Ubuntu version', () => {
      expect(byPurl('pkg:deb/debian/dropbear@2019.78-2?distro=debian-11')).toEqual([]);
      expect(byPurl('pkg:deb/debian/busybox@1:1.30.1-4ubuntu6.3')).toEqual([]);
      expect(matchPackage(index, queryOfEcosystem('Debian:11', 'busybox', '1:1.30.1-4'))).toEqual(
        [],
      );
    });
  });

  describe('when the purl names Ubuntu’s ESM stream', () => {
    it('applies the Pro advisory entries, and not the plain release’s', () => {
      const findings = byPurl('pkg:deb/ubuntu/dropbear@2017.75-3build1?distro=esm-apps/bionic');
      expect(findings.map((f) => [f.advisory.id, f.ecosystem])).toEqual([
        ['UBUNTU-CVE-2021-36369', 'Ubuntu:Pro:18.04:LTS'],
      ]);
    });
  });

  describe('OSS-Fuzz records with GIT ranges', () => {
    it('match a version listed in versions[] (dnsmasq v2.86 in OSV-2022-6)', () => {
      const findings = byPurl('pkg:generic/dnsmasq@v2.86');
      expect(findings).toMatchObject([{ status: 'affected', advisory: { id: 'OSV-2022-6' } }]);
    });

    it('never match by version otherwise: an unlisted version is unassessed', () => {
      const findings = byPurl('pkg:generic/dnsmasq@2.85');
      expect(findings).toMatchObject([
        {
          status: 'unassessed',
          advisory: { id: 'OSV-2022-6' },
          reason: expect.stringContaining('commit analysis'),
        },
      ]);
    });

    it('leave every version unassessed when versions[] is empty (OSV-2024-635)', () => {
      const findings = byPurl('pkg:generic/openssl@3.3.0');
      expect(findings).toMatchObject([{ status: 'unassessed', advisory: { id: 'OSV-2024-635' } }]);
    });

    it('apply by ecosystem and name too (OSV-2018-153 has no purl)', () => {
      const findings = matchPackage(
        index,
        queryOfEcosystem('OSS-Fuzz', 'openssl', 'OpenSSL_1_1_1-pre2'),
      );
      expect(ids(findings, 'affected')).toEqual(['OSV-2018-153']);
    });
  });
});
