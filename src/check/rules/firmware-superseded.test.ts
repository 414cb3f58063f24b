import { describe, expect, it } from 'vitest';
import type { LoggedStatement } from '../evidence.js';
import { checkReport } from '../report.js';
import {
  ACME,
  agreement,
  ALL_CLAUSES,
  deployment,
  IMAGE_A,
  logged,
  NOW,
  release,
} from '../test-support.js';

const IMAGE_FIX = 'd'.repeat(64);
const CLAUSES = [
  { clause: 'firmware-logged-before-deployment', securityFixDays: 30 },
  ...ALL_CLAUSES.slice(1),
] as const;
const FIX = { securityFix: { advisories: ['CVE-2026-0001'] }, version: '1.1' };

const superseded = (
  statements: LoggedStatement[],
  inventory?: Parameters<typeof checkReport>[0]['inventory'],
  now = NOW,
) =>
  checkReport({ statements, ...(inventory === undefined ? {} : { inventory }) }, { now })
    .findings.filter((f) => f.kind === 'firmware-not-logged')
    .filter((f) => f.explanation.includes('superseded'));

describe('firmware-not-logged: a release superseded by a security fix', () => {
  describe('when a device runs a release a security fix for its model superseded past the window', () => {
    const statements = [
      logged(agreement(ACME, [...CLAUSES]), 0),
      logged(release(ACME, IMAGE_A), 1),
      logged(deployment('acme-1', ACME, IMAGE_A), 2),
      logged(release(ACME, IMAGE_FIX, ['R1'], { ...FIX, releasedAt: '2026-03-01' }), 3),
    ];
    const [f, ...rest] = superseded(statements);

    it('reports one high finding on the device and the old image', () => {
      expect(rest).toEqual([]);
      expect(f).toMatchObject({
        kind: 'firmware-not-logged',
        severity: 'high',
        subject: { device: 'acme-1', vendor: ACME, release: `sha256:${IMAGE_A}` },
        breaks: { type: 'clause', agreement: 0, clause: 'firmware-logged-before-deployment' },
        firstSeen: '2026-03-31T00:00:00.000Z',
        lastSeen: new Date(NOW).toISOString(),
      });
      expect(f?.explanation).toMatch(/superseded by security-fix release 1\.1 \(CVE-2026-0001\)/);
    });

    it('carries the deployment, both releases and the agreement, each with its proof', () => {
      expect(f?.evidence).toEqual(
        [2, 1, 3, 0].map((index) => ({
          type: 'statement',
          format: 'nospy-evidence/v1',
          index,
          envelope: { index },
          proof: `proof-${index}`,
        })),
      );
    });

    it('gives an id of its own, apart from the other firmware-not-logged findings', () => {
      expect(f?.id).toMatch(/^firmware-not-logged:[0-9a-f]{16}$/);
      expect(superseded(statements)[0]?.id).toBe(f?.id);
    });
  });

  describe('when the window has not yet passed', () => {
    it('reports nothing', () => {
      expect(
        superseded(
          [
            logged(agreement(ACME, [...CLAUSES]), 0),
            logged(release(ACME, IMAGE_A), 1),
            logged(deployment('acme-1', ACME, IMAGE_A), 2),
            logged(release(ACME, IMAGE_FIX, ['R1'], { ...FIX, releasedAt: '2026-05-10' }), 3),
          ],
          undefined,
        ),
      ).toEqual([]);
    });
  });

  describe('when the later release is not a security fix', () => {
    it('reports nothing', () => {
      expect(
        superseded([
          logged(agreement(ACME, [...CLAUSES]), 0),
          logged(release(ACME, IMAGE_A), 1),
          logged(deployment('acme-1', ACME, IMAGE_A), 2),
          logged(release(ACME, IMAGE_FIX, ['R1'], { version: '1.1', releasedAt: '2026-03-01' }), 3),
        ]),
      ).toEqual([]);
    });
  });

  describe('when the security fix is for another model', () => {
    it('reports nothing', () => {
      expect(
        superseded([
          logged(agreement(ACME, [...CLAUSES]), 0),
          logged(release(ACME, IMAGE_A), 1),
          logged(deployment('acme-1', ACME, IMAGE_A), 2),
          logged(release(ACME, IMAGE_FIX, ['R9'], { ...FIX, releasedAt: '2026-03-01' }), 3),
        ]),
      ).toEqual([]);
    });
  });

  describe('when the device was observed running the fix afterwards', () => {
    it('reports nothing', () => {
      expect(
        superseded([
          logged(agreement(ACME, [...CLAUSES]), 0),
          logged(release(ACME, IMAGE_A), 1),
          logged(deployment('acme-1', ACME, IMAGE_A), 2),
          logged(release(ACME, IMAGE_FIX, ['R1'], { ...FIX, releasedAt: '2026-03-01' }), 3),
          logged(deployment('acme-1', ACME, IMAGE_FIX, '2026-03-05T00:00:00Z'), 4),
        ]),
      ).toEqual([]);
    });
  });

  describe('when the fix names the running image in supersedes, though released the same day', () => {
    it('reports it', () => {
      const [f] = superseded(
        [
          logged(agreement(ACME, [...CLAUSES]), 0),
          logged(release(ACME, IMAGE_A), 1),
          logged(
            release(ACME, IMAGE_FIX, ['R1'], {
              ...FIX,
              supersedes: { version: '1.0', digest: { sha256: IMAGE_A } },
            }),
            2,
          ),
        ],
        [{ id: 'acme-9', vendor: ACME, model: 'R1', firmware: { sha256: IMAGE_A } }],
      );
      expect(f?.subject.device).toBe('acme-9');
      expect(f?.evidence.map((e) => (e.type === 'statement' ? e.index : -1))).toEqual([1, 2, 0]);
    });
  });

  describe('when the agreement sets no securityFixDays', () => {
    it('reports nothing (agreements signed before the parameter keep their meaning)', () => {
      expect(
        superseded([
          logged(agreement(ACME, [...ALL_CLAUSES]), 0),
          logged(release(ACME, IMAGE_A), 1),
          logged(deployment('acme-1', ACME, IMAGE_A), 2),
          logged(release(ACME, IMAGE_FIX, ['R1'], { ...FIX, releasedAt: '2026-03-01' }), 3),
        ]),
      ).toEqual([]);
    });
  });
});
