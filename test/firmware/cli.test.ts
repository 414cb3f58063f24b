import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { INDICATOR_KINDS } from '../../src/firmware/indicators/types.js';
import { requireToolsInTest } from '../helpers/require-tools.js';
import { cleanTree, fixture, pack, PACK_TOOLS, plantedTree, writeTree } from './images.js';

let work: string;
let clean: string;
let planted: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nospy-fwcli-'));
  clean = writeTree(cleanTree());
  planted = writeTree(plantedTree());
});
afterAll(() => {
  for (const dir of [work, clean, planted]) rmSync(dir, { recursive: true, force: true });
});

describe('nospy firmware scan --json', () => {
  it('prints image, carves, components and indicators, and exits 1 on a back-door indicator', async (context) => {
    requireToolsInTest(context, ...PACK_TOOLS['flash-uimage']);
    const image = join(work, 'planted.bin');
    writeFileSync(image, pack(planted, 'flash-uimage'));
    const result = await runCli(['firmware', 'scan', image, '--json', '--log-level', 'silent']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      image: unknown;
      carves: unknown[];
      components: unknown[];
      indicators: unknown[];
    };
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['image', 'carves', 'components', 'indicators']),
    );
    expect(report.image).toMatchObject({
      format: 'raw',
      size: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(report.carves[0]).toMatchObject({ offset: 0x10000, type: 'uimage' });
    for (const indicator of report.indicators as { kind: string; path: string; detail: string }[]) {
      expect(INDICATOR_KINDS).toContain(indicator.kind);
      expect(indicator.path).toMatch(/^\//);
      expect(indicator.detail).not.toBe('');
    }
  });

  it('exits 0 for the clean tree given as a directory, listing its service', async () => {
    const result = await runCli(['firmware', 'scan', clean, '--json', '--log-level', 'silent']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      indicators: { kind: string; declared?: boolean }[];
    };
    expect(report.indicators.map((i) => i.kind)).toEqual(['listening_service']);
    expect(report.indicators[0]?.declared).toBeUndefined();
  });

  it('exits 1 with a MUD file that does not declare the service, and marks it', async () => {
    const result = await runCli([
      'firmware',
      'scan',
      clean,
      '--mud',
      fixture('mudmaker-cloud-service.json'),
      '--json',
      '--log-level',
      'silent',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { indicators: { declared?: boolean }[] };
    expect(report.indicators.map((i) => i.declared)).toEqual([false]);
  });

  describe("with the release's CycloneDX SBOM (--sbom)", () => {
    const sbomFixture = (name: string) =>
      new URL(`../fixtures/sbom/${name}`, import.meta.url).pathname;
    const scan = (...extra: string[]) =>
      runCli(['firmware', 'scan', clean, ...extra, '--json', '--log-level', 'silent']);
    type Judged = { kind: string; declared?: boolean; declaredBy?: Record<string, boolean> };

    it('exits 0 when its services declare the listener, and says which declaration did', async () => {
      const result = await scan('--sbom', sbomFixture('firmware/router-1.5.cdx.json'));
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { indicators: Judged[] };
      expect(report.indicators).toEqual([
        expect.objectContaining({
          kind: 'listening_service',
          port: 22,
          declared: true,
          declaredBy: { sbom: true },
        }),
      ]);
    });

    it('exits 1 when its services leave the listener out', async () => {
      const sbom = join(work, 'no-services.cdx.json');
      writeFileSync(
        sbom,
        JSON.stringify({
          bomFormat: 'CycloneDX',
          specVersion: '1.5',
          version: 1,
          services: [
            {
              name: 'updates',
              endpoints: ['https://updates.example.net/fw'],
              properties: [{ name: 'nospy:direction', value: 'connect' }],
            },
          ],
        }),
      );
      const result = await scan('--sbom', sbom);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { indicators: Judged[] };
      expect(report.indicators.map((i) => [i.declared, i.declaredBy])).toEqual([
        [false, { sbom: false }],
      ]);
    });

    it('takes an SBOM without services as declaring nothing, as nospy check does (exit 0, no verdict)', async () => {
      const sbom = join(work, 'without-services.cdx.json');
      writeFileSync(
        sbom,
        JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [] }),
      );
      const result = await scan('--sbom', sbom);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { indicators: Judged[] };
      expect(report.indicators.map((i) => [i.kind, i.declared, i.declaredBy])).toEqual([
        ['listening_service', undefined, undefined],
      ]);
    });

    it('with a MUD file too, is declared only when both declare it', async () => {
      const result = await scan(
        '--mud',
        fixture('mudmaker-cloud-service.json'),
        '--sbom',
        sbomFixture('firmware/router-1.5.cdx.json'),
      );
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { indicators: Judged[] };
      expect(report.indicators.map((i) => [i.declared, i.declaredBy])).toEqual([
        [false, { mud: false, sbom: true }],
      ]);
    });

    it('prints which declaration allows what in the text report', async () => {
      const result = await runCli([
        'firmware',
        'scan',
        clean,
        '--sbom',
        sbomFixture('firmware/router-1.5.cdx.json'),
        '--log-level',
        'silent',
      ]);
      expect(result.stdout).toContain('[declared] (sbom: declared)');
    });

    it('exits 2 with FIRMWARE_SBOM_UNUSABLE for an SPDX SBOM, which has no services', async () => {
      const result = await scan('--sbom', sbomFixture('spdx/SPDXJSONExample-v2.3.spdx.json'));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('has no services');
      expect(result.stderr).toContain('FIRMWARE_SBOM_UNUSABLE');
    });
  });

  it('exits 2 naming the file when the MUD file is not JSON', async () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{ not json');
    const result = await runCli(['firmware', 'scan', clean, '--mud', bad, '--log-level', 'silent']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.json');
  });

  it('takes its limits from the environment and reports what it did not unpack', async () => {
    const image = join(work, 'nested.tar.gz');
    writeFileSync(image, pack(planted, 'tar.gz'));
    const result = await runCli(['firmware', 'scan', image, '--json', '--log-level', 'silent'], {
      env: { NOSPY_FIRMWARE_MAX_DEPTH: '0' },
    });
    const report = JSON.parse(result.stdout) as {
      warnings: { reason: string }[];
      indicators: { path: string; kind: string }[];
    };
    expect(report.warnings.map((w) => w.reason)).toEqual(['limit.depth']);
    // The tar is kept as one blob: content rules still read it, file rules cannot.
    expect(new Set(report.indicators.map((i) => i.path))).toEqual(new Set(['/@0x0/@0x0.gz.out']));
    expect(new Set(report.indicators.map((i) => i.kind))).toEqual(
      new Set(['key.private', 'backdoor.known_string']),
    );
  });

  it('exits 2 when the image does not exist', async () => {
    const result = await runCli([
      'firmware',
      'scan',
      join(work, 'missing.bin'),
      '--log-level',
      'silent',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.bin');
  });
});

describe('when part of the image cannot be examined', () => {
  const unknown = (): string => {
    const image = join(work, 'vendor-container.bin');
    // A vendor's own container: no magic nospy knows, so no file rule can see a file.
    writeFileSync(image, Buffer.concat([Buffer.from('VNDR\x01\x00'), Buffer.alloc(4096, 0x5a)]));
    return image;
  };

  it('says "incomplete", names the bytes not examined and why, and exits 2', async () => {
    const result = await runCli(['firmware', 'scan', unknown(), '--log-level', 'silent']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('unknown_format image: no container or file system');
    expect(result.stdout).toContain('RESULT: incomplete');
    expect(result.stdout).not.toContain('RESULT: no back-door indicator');
    expect(result.stderr).toContain('FIRMWARE_SCAN_INCOMPLETE');
  });

  it('exits on the findings alone with --allow-incomplete, the report still marked incomplete', async () => {
    const result = await runCli([
      'firmware',
      'scan',
      unknown(),
      '--allow-incomplete',
      '--json',
      '--log-level',
      'silent',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      complete: boolean;
      warnings: { reason: string }[];
    };
    expect(report.complete).toBe(false);
    expect(report.warnings.map((w) => w.reason)).toEqual(['unknown_format']);
  });

  it('exits 0 with "no back-door indicator" only when everything was examined', async () => {
    const image = join(work, 'clean-complete.tar');
    writeFileSync(image, pack(clean, 'tar-gnu'));
    const result = await runCli(['firmware', 'scan', image, '--log-level', 'silent']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('RESULT: no back-door indicator');
  });
});
