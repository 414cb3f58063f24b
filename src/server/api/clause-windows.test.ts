import { describe, expect, it } from 'vitest';
import { ACME, GLOBEX, canary, logged } from '../../check/test-support.js';
import { vendorKey } from '../../inventory/vendor-identity.js';
import type { ReleaseRecord } from './api-snapshot.js';
import { canaryClause, reproductionPending } from './clause-windows.js';

const NOW = Date.UTC(2026, 5, 1);
const ACME_KEYS = new Set([vendorKey(ACME)]);
const every = (days: number) => ({ clause: 'canary-every' as const, days });

describe('canaryClause', () => {
  describe('with canaries logged', () => {
    const evidence = {
      statements: [
        logged(canary(ACME, '2026-05-01'), 1),
        logged(canary(ACME, '2026-05-20'), 2),
        // Another vendor's, and one issued after the evaluation: neither counts.
        logged(canary(GLOBEX, '2026-05-30'), 3),
        logged(canary(ACME, '2026-07-01'), 4),
      ],
    };

    it("puts the next due date the clause's days after the latest canary by now", () => {
      expect(canaryClause(evidence, ACME_KEYS, '2026-01-01', every(30), NOW)).toEqual({
        status: 'kept',
        due: '2026-06-19',
        note: 'next canary due 2026-06-19 (every 30 days; the latest was issued 2026-05-20)',
      });
    });

    it('follows a clause of another interval, not a fixed date', () => {
      expect(canaryClause(evidence, ACME_KEYS, '2026-01-01', every(7), NOW)?.due).toBe(
        '2026-05-27',
      );
    });
  });

  it("is pending before the first canary, due the clause's days after the agreement began", () => {
    expect(canaryClause({ statements: [] }, ACME_KEYS, '2026-05-15', every(30), NOW)).toEqual({
      status: 'pending',
      due: '2026-06-14',
      note: "no canary logged yet; the first is due 2026-06-14 (every 30 days from the agreement's start)",
    });
  });

  it('judges no other clause', () => {
    expect(
      canaryClause(
        { statements: [] },
        ACME_KEYS,
        '2026-01-01',
        { clause: 'traffic-within-declared-mud' },
        NOW,
      ),
    ).toBeUndefined();
  });
});

describe('reproductionPending', () => {
  const clause = { clause: 'release-reproduced' as const, evaluators: 2, within_days: 30 };
  const release = (version: string, status: 'pending' | 'reproduced'): ReleaseRecord => ({
    digest: `sha256:${'a'.repeat(64)}`,
    vendor: ACME,
    version,
    index: 1,
    releasedAt: '2026-05-20',
    sbom: { digest: `sha256:${'b'.repeat(64)}`, format: 'cyclonedx' },
    mud: { digest: `sha256:${'c'.repeat(64)}` },
    reproducibility: { status, attestations: [] },
  });

  it('is pending while a release awaits its rebuilds inside the window', () => {
    expect(
      reproductionPending([release('1.0', 'reproduced'), release('1.1', 'pending')], clause),
    ).toEqual({
      status: 'pending',
      note: '1.1 awaiting rebuilds by 2 evaluator(s) within 30 days of release',
    });
  });

  it('says nothing once every release is reproduced', () => {
    expect(reproductionPending([release('1.0', 'reproduced')], clause)).toBeUndefined();
  });
});
