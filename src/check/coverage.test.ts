import { describe, expect, it } from 'vitest';
import { parseDay } from '../inventory/day.js';
import type { Evaluation } from '../policy/evaluate.js';
import { checkCoverage, type CheckSection } from './coverage.js';
import type { CheckEvidence } from './evidence.js';
import { ACME, IMAGE_A, logged, release } from './test-support.js';

const NOTHING: CheckSection = {
  flows: [],
  firmware: [],
  sboms: [],
  osv: [],
  packs: [],
};
const EMPTY: CheckEvidence = { statements: [] };
// The evaluation's findings do not matter here: only that the packs were evaluated.
const evaluated = {
  date: parseDay('2026-06-01') ?? 0,
  findings: [],
  measurements: [],
  exempt: [],
} as unknown as Evaluation;

const lines = (check: CheckSection, evidence: CheckEvidence): string[] =>
  checkCoverage(check, evidence).map(
    (c) => `${c.checked ? 'checked' : 'not checked'} ${c.part}: ${c.detail}`,
  );

describe('what a check covered', () => {
  describe('when the configuration names nothing', () => {
    it('says every part was not checked, naming the field that would check it', () => {
      expect(lines(NOTHING, EMPTY)).toEqual([
        'not checked log: no check.log names a log',
        'not checked inventory: no check.inventory',
        'not checked traffic: no check.flows',
        'not checked firmware: no check.firmware images',
        'not checked vulnerabilities: no check.osv advisories',
        'not checked rule packs: no check.packs',
      ]);
    });
  });

  describe('when everything is named and read', () => {
    it('says how much of each was checked', () => {
      const check: CheckSection = {
        log: 'data/log',
        inventory: 'inventory.yaml',
        devices: 'devices.yaml',
        flows: ['flows.ndjson'],
        firmware: ['gx.tar.gz'],
        sboms: ['sbom.json'],
        osv: ['osv'],
        packs: ['uk-tsa-huawei-dvd', 'us-ndaa-889'],
      };
      const evidence: CheckEvidence = {
        statements: [logged(release(ACME, IMAGE_A))],
        checkpoint: 'log.example/nospy\n41\nAAAA\n\n— log.example/nospy sig\n',
        inventory: [{ id: 'r1', vendor: ACME, model: 'R1', firmware: undefined }],
        flows: { devices: [], records: [], sources: ['flows.ndjson'] },
        firmware: [{ image: 'gx.tar.gz', sha256: IMAGE_A, indicators: [] }],
        vulnerabilities: [],
        policy: evaluated,
      };
      expect(lines(check, evidence)).toEqual([
        'checked log: 1 statement verified against the trust file, up to the checkpoint of size 41',
        'checked inventory: 1 device',
        'checked traffic: 0 flow records against the MUD files of 0 devices',
        'checked firmware: 1 image scanned',
        'checked vulnerabilities: SBOMs matched against OSV advisories: 0 affected components',
        'checked rule packs: uk-tsa-huawei-dvd, us-ndaa-889 on the inventory',
      ]);
    });
  });

  describe('when a part is named without what it needs', () => {
    it('says what is missing', () => {
      const check: CheckSection = {
        ...NOTHING,
        flows: ['flows.ndjson'],
        osv: ['osv'],
        packs: ['us-ndaa-889'],
      };
      expect(
        lines(check, EMPTY)
          .slice(2, 6)
          .filter((l) => !l.includes(' firmware:')),
      ).toEqual([
        'not checked traffic: no check.devices (the device map the flows are judged against)',
        'not checked vulnerabilities: no SBOM: no check.sboms, and no logged release keeps its SBOM in the blob store',
        'not checked rule packs: us-ndaa-889 need check.inventory',
      ]);
    });
  });

  describe('when the SBOMs are those logged releases keep in the blob store', () => {
    it('counts the vulnerabilities as checked', () => {
      const kept = release(ACME, IMAGE_A, ['R1'], {
        sbom: { format: 'cyclonedx', digest: { sha256: IMAGE_A }, inBlobStore: true },
      });
      const [, , , , vulnerabilities] = checkCoverage(
        { ...NOTHING, log: 'data/log', osv: ['osv'] },
        { statements: [logged(kept)] },
      );
      expect(vulnerabilities?.checked).toBe(true);
    });
  });
});
