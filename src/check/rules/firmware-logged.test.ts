import { describe, expect, it } from 'vitest';
import { checkReport } from '../report.js';
import {
  ACME,
  agreement,
  ALL_CLAUSES,
  deployment,
  GLOBEX,
  IMAGE_A,
  IMAGE_G,
  logged,
  NOW,
  release,
} from '../test-support.js';

const kinds = (statements: Parameters<typeof checkReport>[0]['statements']) =>
  checkReport({ statements }, { now: NOW }).findings.filter(
    (f) => f.kind === 'firmware-not-logged',
  );

describe('firmware-not-logged', () => {
  describe('when the release was logged before the deployment was observed', () => {
    it('reports nothing', () => {
      expect(
        kinds([
          logged(agreement(ACME, [...ALL_CLAUSES]), 0),
          logged(release(ACME, IMAGE_A), 1),
          logged(deployment('acme-1', ACME, IMAGE_A), 2),
        ]),
      ).toEqual([]);
    });
  });

  describe('when no logged release names the running image', () => {
    it('reports the device with the deployment and an absence proof', () => {
      const [f, ...rest] = kinds([
        logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0),
        logged(deployment('globex-1', GLOBEX, IMAGE_G), 1),
      ]);
      expect(rest).toEqual([]);
      expect(f?.subject).toEqual({
        device: 'globex-1',
        vendor: GLOBEX,
        release: `sha256:${IMAGE_G}`,
      });
      expect(f?.severity).toBe('critical');
      expect(f?.breaks).toEqual({
        type: 'clause',
        agreement: 0,
        clause: 'firmware-logged-before-deployment',
      });
      expect(f?.evidence.map((e) => e.type)).toEqual(['statement', 'absence']);
    });
  });

  describe('when no release names the image but the vendor logged others', () => {
    it("lists every release of the vendor at the checkpoint, each with its proof, and no other vendor's", () => {
      const other = 'e'.repeat(64);
      const report = checkReport(
        {
          statements: [
            logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0),
            logged(release(GLOBEX, other), 1),
            logged(release(ACME, IMAGE_A), 2),
            logged(release(GLOBEX, 'f'.repeat(64)), 3),
            logged(deployment('globex-1', GLOBEX, IMAGE_G), 4),
          ],
          checkpoint: 'log.example\n5\nroot\n',
        },
        { now: NOW },
      );
      const absence = report.findings.flatMap((f) => f.evidence).find((e) => e.type === 'absence');
      expect(absence).toEqual({
        type: 'absence',
        digest: `sha256:${IMAGE_G}`,
        checkpoint: 'log.example\n5\nroot\n',
        detail: `none of the 3 release statements in the log at this checkpoint names sha256:${IMAGE_G}; the 2 of ${GLOBEX} are included`,
        vendor: GLOBEX,
        releases: [
          { index: 1, envelope: '{"index":1}', tlogProof: 'proof-1' },
          { index: 3, envelope: '{"index":3}', tlogProof: 'proof-3' },
        ],
        omitted: 0,
      });
    });
  });

  describe('when the release was logged only after the deployment', () => {
    it('reports it with the late release as evidence', () => {
      const [f] = kinds([
        logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0),
        logged(deployment('globex-1', GLOBEX, IMAGE_G), 1),
        logged(release(GLOBEX, IMAGE_G), 2),
      ]);
      expect(f?.explanation).toMatch(/before its release was logged/);
      expect(f?.evidence).toContainEqual(expect.objectContaining({ type: 'statement', index: 2 }));
    });
  });

  describe("when the only release naming the image is another vendor's", () => {
    it('reports it', () => {
      const [f] = kinds([
        logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0),
        logged(release(ACME, IMAGE_G), 1),
        logged(deployment('globex-1', GLOBEX, IMAGE_G), 2),
      ]);
      expect(f?.explanation).toMatch(/logged only as a release of Acme Networks/);
    });
  });

  describe('when the inventory names an unlogged image and no deployment statement exists', () => {
    it('reports it from the inventory', () => {
      const report = checkReport(
        {
          statements: [logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0)],
          inventory: [{ id: 'g2', vendor: GLOBEX, model: 'R1', firmware: { sha256: IMAGE_G } }],
        },
        { now: NOW },
      );
      expect(
        report.findings
          .filter((f) => f.kind !== 'canary-lapsed')
          .map((f) => [f.kind, f.subject.device]),
      ).toEqual([['firmware-not-logged', 'g2']]);
    });
  });

  describe('when the vendor made no such promise', () => {
    it('reports nothing', () => {
      expect(kinds([logged(deployment('globex-1', GLOBEX, IMAGE_G), 0)])).toEqual([]);
    });
  });

  it('gives the same id on every run', () => {
    const statements = [
      logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0),
      logged(deployment('g', GLOBEX, IMAGE_G), 1),
    ];
    expect(kinds(statements)[0]?.id).toBe(kinds(statements)[0]?.id);
    expect(kinds(statements)[0]?.id).toMatch(/^firmware-not-logged:[0-9a-f]{16}$/);
  });
});

describe('when two vendors are named in Chinese script', () => {
  const HUAWEI = '华为技术有限公司';
  const ZTE = '中兴通讯股份有限公司';

  it("does not take one vendor's release for the other's device", () => {
    const [f, ...rest] = kinds([
      logged(agreement(ZTE, [...ALL_CLAUSES]), 0),
      logged(release(HUAWEI, IMAGE_A), 1),
      logged(deployment('zte-1', ZTE, IMAGE_A), 2),
    ]);
    expect(rest).toEqual([]);
    expect(f?.explanation).toContain(`logged only as a release of ${HUAWEI}`);
    expect(f).toMatchObject({
      subject: { device: 'zte-1', vendor: ZTE },
      breaks: { type: 'clause', agreement: 0 },
    });
  });

  it("does not judge one vendor's device by the other's agreement", () => {
    expect(
      kinds([
        logged(agreement(HUAWEI, [...ALL_CLAUSES]), 0),
        logged(deployment('zte-1', ZTE, IMAGE_G), 1),
      ]),
    ).toEqual([]);
  });

  it('lists only the vendor’s own releases in the proof of absence', () => {
    const [f] = kinds([
      logged(agreement(ZTE, [...ALL_CLAUSES]), 0),
      logged(release(HUAWEI, IMAGE_A), 1),
      logged(deployment('zte-1', ZTE, IMAGE_G), 2),
    ]);
    const absence = f?.evidence.find((e) => e.type === 'absence');
    expect(absence).toMatchObject({ vendor: ZTE, releases: [] });
  });
});
