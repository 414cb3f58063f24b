import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const sbom = (p: string) => join(fixtures, 'sbom', p);
const osv = (p = '') => join(fixtures, 'osv', p);
const cwd = mkdtempSync(join(tmpdir(), 'nospy-sbom-cli-'));
const run = (...argv: string[]) => runCli(argv, { cwd });

interface Finding {
  status: string;
  component: { ref: string };
  advisory: { id: string };
}
interface Report {
  format: string;
  components: unknown[];
  vulnerabilities: Finding[] | undefined;
  findings: Finding[];
  osv: { notLookedUp: unknown[] };
}
const parse = (text: string) => JSON.parse(text) as Report;

describe('nospy sbom check', () => {
  describe('with a firmware SBOM and OSV data', () => {
    it('exits 1 and lists the vulnerable components with advisory, range and fixed version', async () => {
      const result = await run(
        'sbom',
        'check',
        sbom('firmware/router-1.5.cdx.json'),
        '--osv',
        osv('ubuntu'),
        osv('oss-fuzz'),
        '--json',
      );
      expect(result.code).toBe(1);
      const report = parse(result.stdout);
      expect(report).toMatchObject({
        format: 'CycloneDX',
        specVersion: '1.5',
        schema: { valid: true },
      });
      const found = report.vulnerabilities!.map(
        (v: { component: { ref: string }; advisory: { id: string }; status: string }) => [
          v.component.ref,
          v.advisory.id,
          v.status,
        ],
      );
      expect(found).toEqual([
        ['busybox', 'UBUNTU-CVE-2022-28391', 'affected'],
        ['busybox', 'USN-5179-1', 'affected'],
        ['dnsmasq', 'OSV-2022-6', 'unassessed'],
        ['dnsmasq-tag', 'OSV-2022-6', 'affected'],
      ]);
      const usn = report.vulnerabilities!.find(
        (v: { advisory: { id: string } }) => v.advisory.id === 'USN-5179-1',
      );
      expect(usn).toMatchObject({
        fixed: ['1:1.30.1-4ubuntu6.4'],
        ecosystem: 'Ubuntu:20.04:LTS',
        ranges: [{ text: 'ECOSYSTEM: introduced 0 · fixed 1:1.30.1-4ubuntu6.4' }],
      });
      expect(report.osv.notLookedUp).toEqual([
        { ref: 'fw', name: 'example-router-firmware', reason: 'no purl' },
        { ref: 'nested', name: 'libnested', reason: 'malformed purl' },
      ]);
    });

    it('prints the same findings as text without --json', async () => {
      const result = await run(
        'sbom',
        'check',
        sbom('firmware/router-1.5.cdx.json'),
        '--osv',
        osv(),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('VULNERABLE busybox 1:1.30.1-4ubuntu6.3: USN-5179-1');
      expect(result.stdout).toContain('fixed in: 1:1.30.1-4ubuntu6.4');
      expect(result.stdout).toContain(
        "/components/4/components/0/purl (line 58, column 19): malformed purl 'npm/not-a-purl@0.1'",
      );
    });
  });

  describe('with a valid SBOM and no --osv', () => {
    it('exits 0 and lists components', async () => {
      const result = await run(
        'sbom',
        'check',
        sbom('spdx/SPDXJSONExample-v2.3.spdx.json'),
        '--json',
      );
      expect(result.code).toBe(0);
      const report = parse(result.stdout);
      expect(report.format).toBe('SPDX');
      expect(report.components.length).toBe(4);
      expect(report.vulnerabilities).toBeUndefined();
    });
  });

  describe('with an SBOM that breaks its schema', () => {
    it('exits 1 and names the path, line and column of each violation', async () => {
      const result = await run(
        'sbom',
        'check',
        sbom('cyclonedx/spec-tests-1.6/invalid-service-data-1.6.json'),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('schema: INVALID against bom-1.6.schema.json');
      expect(result.stdout).toContain(
        '/services/0/data/0/flow (line 16, column 19): must be one of "inbound"',
      );
    });
  });

  describe('with unreadable input', () => {
    it('exits 2 for a missing file and for text that is not JSON', async () => {
      const missing = await run('sbom', 'check', join(cwd, 'missing.json'));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('[SBOM_UNREADABLE]');
      const bad = join(cwd, 'bad.json');
      writeFileSync(bad, '{"bomFormat": ');
      const syntax = await run('sbom', 'check', bad);
      expect(syntax.code).toBe(2);
      expect(syntax.stderr).toContain('[SBOM_SYNTAX]');
    });
  });
});

describe('nospy osv query', () => {
  it('answers a purl query with exit 1 when an advisory affects the package', async () => {
    const result = await run(
      'osv',
      'query',
      '--osv',
      osv(),
      '--purl',
      'pkg:deb/ubuntu/busybox@1:1.30.1-4ubuntu6.4?distro=focal',
      '--json',
    );
    expect(result.code).toBe(1);
    const report = parse(result.stdout);
    expect(report.findings.map((f: { advisory: { id: string } }) => f.advisory.id)).toEqual([
      'UBUNTU-CVE-2022-28391',
    ]);
  });

  it('takes --ecosystem, --name and --version, where --version is the package’s, not nospy’s', async () => {
    const result = await run(
      'osv',
      'query',
      '--osv',
      osv('ubuntu'),
      '--ecosystem',
      'Ubuntu:18.04:LTS',
      '--name',
      'dnsmasq',
      '--version',
      '2.79-1ubuntu0.2',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      query: { version: '2.79-1ubuntu0.2' },
      findings: [],
    });
  });

  it('skips files that are not OSV records with a warning on stderr naming them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-osv-junk-'));
    writeFileSync(join(dir, 'package.json'), '{"name": "not-osv"}');
    const result = await run(
      'osv',
      'query',
      '--osv',
      dir,
      '--osv',
      osv('oss-fuzz'),
      '--purl',
      'pkg:generic/dnsmasq@v2.86',
      '--json',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(join(dir, 'package.json'));
    expect(result.stderr).toContain('not an OSV record');
    expect(JSON.parse(result.stdout).warnings).toHaveLength(1);
  });

  it('exits 2 for a malformed purl or an incomplete query', async () => {
    const bad = await run('osv', 'query', '--osv', osv(), '--purl', 'busybox@1.0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("does not start with 'pkg:'");
    const incomplete = await run('osv', 'query', '--osv', osv(), '--name', 'busybox');
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toContain('[OSV_QUERY_INVALID]');
  });

  it('still prints nospy’s own version for nospy --version', async () => {
    const result = await run('--version');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[0-9]+\.[0-9]+\.[0-9]+/);
  });
});

describe('the built binary', () => {
  it('finds the shipped schemas from dist and validates with them', () => {
    const bin = fileURLToPath(new URL('../../bin/nospy.js', import.meta.url));
    const result = spawnSync(
      process.execPath,
      [bin, 'sbom', 'check', sbom('cyclonedx/spec-tests-1.6/invalid-bomformat-1.6.json')],
      { encoding: 'utf8', cwd, env: { PATH: process.env.PATH } },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('/bomFormat (line 3, column 16): must be one of "CycloneDX"');
  });
});
