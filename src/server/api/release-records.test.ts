import { describe, expect, it } from 'vitest';
import { checkReport } from '../../check/report.js';
import type { CheckEvidence } from '../../check/evidence.js';
import {
  ACME,
  ALL_CLAUSES,
  GLOBEX,
  IMAGE_A,
  IMAGE_G,
  NOW,
  agreement,
  logged,
  rebuild,
  release,
} from '../../check/test-support.js';
import { releaseRecords } from './release-records.js';

const CLAUSE = { clause: 'release-reproduced', evaluators: 2, within_days: 30 } as const;
const side = { sha256: 'a'.repeat(64), size: 1 };

describe('the reproducibility of each release', () => {
  const evidence: CheckEvidence = {
    statements: [
      logged(agreement(ACME, [...ALL_CLAUSES, CLAUSE]), 0),
      logged(agreement(GLOBEX, [...ALL_CLAUSES, CLAUSE]), 1),
      logged(release(ACME, IMAGE_A), 2),
      logged(release(GLOBEX, IMAGE_G), 3),
      logged(rebuild('Lab Two', 2, IMAGE_A, 'equivalent', '2026-01-21T00:00:00Z'), 4),
      logged(rebuild('Lab One', 2, IMAGE_A, 'equivalent', '2026-01-20T00:00:00Z'), 5),
      logged(rebuild('Lab One', 3, IMAGE_G, 'different', '2026-01-22T00:00:00Z', GLOBEX), 6),
    ],
    rebuildDiffs: [
      {
        sha256: 'd'.repeat(64),
        report: {
          equivalent: false,
          files: [
            {
              path: '/etc/version',
              change: 'metadata',
              classification: 'timestamps',
              a: side,
              b: side,
            },
            {
              path: '/usr/sbin/dropbear',
              change: 'content',
              classification: 'content',
              a: side,
              b: side,
            },
          ],
          indicators: { onlyInA: [], onlyInB: [] },
        },
      },
    ],
  };
  const report = checkReport(evidence, { now: NOW });
  const [acme, globex] = releaseRecords(evidence, report);

  it('says reproduced, with who attested what and when, oldest first', () => {
    expect(acme?.reproducibility).toEqual({
      status: 'reproduced',
      required: { evaluators: 2, withinDays: 30 },
      attestations: [
        {
          evaluator: 'Lab One',
          verdict: 'equivalent',
          attestedAt: '2026-01-20T00:00:00Z',
          statement: 5,
          produced: `sha256:${IMAGE_A}`,
        },
        {
          evaluator: 'Lab Two',
          verdict: 'equivalent',
          attestedAt: '2026-01-21T00:00:00Z',
          statement: 4,
          produced: `sha256:${IMAGE_A}`,
        },
      ],
    });
  });

  it('says not-equivalent with the finding and the differing files of the report', () => {
    const finding = report.findings.find((f) => f.kind === 'release-not-equivalent');
    expect(globex?.reproducibility).toMatchObject({
      status: 'not-equivalent',
      finding: finding?.id,
      attestations: [
        {
          evaluator: 'Lab One',
          verdict: 'different',
          diffReport: `sha256:${'d'.repeat(64)}`,
          differences: [
            { path: '/usr/sbin/dropbear', change: 'content', classification: 'content' },
            { path: '/etc/version', change: 'metadata', classification: 'timestamps' },
          ],
        },
      ],
    });
  });

  it('says pending inside the window and not-required without the clause', () => {
    const fresh: CheckEvidence = {
      statements: [
        logged(agreement(ACME, [...ALL_CLAUSES, CLAUSE]), 0),
        logged(release(ACME, IMAGE_A), 1),
      ],
    };
    const now = Date.parse('2026-01-15T00:00:00Z');
    expect(releaseRecords(fresh, checkReport(fresh, { now }))[0]?.reproducibility.status).toBe(
      'pending',
    );
    const none: CheckEvidence = {
      statements: [logged(agreement(ACME, [...ALL_CLAUSES]), 0), logged(release(ACME, IMAGE_A), 1)],
    };
    expect(releaseRecords(none, checkReport(none, { now: NOW }))[0]?.reproducibility).toEqual({
      status: 'not-required',
      attestations: [],
    });
  });
});
