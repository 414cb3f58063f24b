import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compileAffected, judgeAffected, judgeCompiled, mayAffect } from './affected.js';
import type { Affected, AffectedRange, EventKind } from './record.js';
import { dpkgOrdering } from './versions/dpkg.js';
import type { VersionOrdering } from './versions/ordering.js';
import { semverOrdering } from './versions/semver.js';

function entry(ranges: AffectedRange[], versions: string[] = []): Affected {
  return {
    package: { ecosystem: 'npm', name: 'x', purl: undefined },
    ranges,
    versions,
    severity: undefined,
  };
}
/** Events written as in OSV JSON (`{ introduced: '1.0.0' }`). */
type EventJson = Partial<Record<EventKind, string>>;
const range = (type: AffectedRange['type'], ...events: EventJson[]): AffectedRange => ({
  type,
  repo: type === 'GIT' ? 'https://example.org/x.git' : undefined,
  events: events.flatMap((e) =>
    Object.entries(e).map(([kind, version]) => ({ kind: kind as EventKind, version })),
  ),
});
const semver = semverOrdering as VersionOrdering;
const dpkg = dpkgOrdering as VersionOrdering;

describe('judgeAffected (OSV schema "Evaluation")', () => {
  describe('with introduced/fixed events', () => {
    const r = entry([range('SEMVER', { introduced: '1.0.0' }, { fixed: '1.2.0' })]);
    it('affects versions from introduced up to, not including, fixed', () => {
      expect(judgeAffected('1.0.0', r, semver).status).toBe('affected');
      expect(judgeAffected('1.1.9', r, semver).status).toBe('affected');
      expect(judgeAffected('1.2.0-rc.1', r, semver).status).toBe('affected');
      expect(judgeAffected('1.2.0', r, semver).status).toBe('not_affected');
      expect(judgeAffected('0.9.9', r, semver).status).toBe('not_affected');
    });
  });

  describe('with introduced "0" and no fix', () => {
    it('affects every version', () => {
      const r = entry([range('ECOSYSTEM', { introduced: '0' })]);
      expect(judgeAffected('0:0.1-1', r, dpkg).status).toBe('affected');
      expect(judgeAffected('99:9', r, dpkg).status).toBe('affected');
    });
  });

  describe('with last_affected', () => {
    it('includes last_affected itself and nothing after it', () => {
      const r = entry([range('SEMVER', { introduced: '0' }, { last_affected: '2.0.0' })]);
      expect(judgeAffected('2.0.0', r, semver).status).toBe('affected');
      expect(judgeAffected('2.0.1', r, semver).status).toBe('not_affected');
    });
  });

  describe('with several introduced/fixed pairs in one range', () => {
    it('affects only the versions inside a pair', () => {
      const r = entry([
        range(
          'SEMVER',
          { introduced: '1.0.0' },
          { fixed: '1.0.5' },
          { introduced: '2.0.0' },
          { fixed: '2.0.3' },
        ),
      ]);
      expect(judgeAffected('1.0.4', r, semver).status).toBe('affected');
      expect(judgeAffected('1.5.0', r, semver).status).toBe('not_affected');
      expect(judgeAffected('2.0.2', r, semver).status).toBe('affected');
      expect(judgeAffected('2.0.3', r, semver).status).toBe('not_affected');
    });
  });

  describe('with a limit', () => {
    it('affects nothing at or above the limit', () => {
      const r = entry([range('SEMVER', { introduced: '1.0.0' }, { limit: '1.5.0' })]);
      expect(judgeAffected('1.4.0', r, semver).status).toBe('affected');
      expect(judgeAffected('1.5.0', r, semver).status).toBe('not_affected');
    });
  });

  describe('with an explicit versions[] list', () => {
    it('affects a listed version even outside every range', () => {
      const r = entry([range('SEMVER', { introduced: '2.0.0' })], ['1.0.0']);
      expect(judgeAffected('1.0.0', r, semver).status).toBe('affected');
    });
    it('compares listed versions with the ecosystem ordering (1:1.0-1 equals 1:1.0-01)', () => {
      const r = entry([], ['1:1.0-1']);
      expect(judgeAffected('1:1.0-01', r, dpkg).status).toBe('affected');
    });
  });

  describe('with only a GIT range', () => {
    const r = entry([range('GIT', { introduced: 'abc123' }, { fixed: 'def456' })], ['v2.86']);
    it('matches a version only through versions[]', () => {
      expect(judgeAffected('v2.86', r, undefined).status).toBe('affected');
    });
    it('reports any other version as unassessed, never affected by version', () => {
      const verdict = judgeAffected('v2.85', r, undefined);
      expect(verdict.status).toBe('unassessed');
      expect(verdict.reason).toContain('commit analysis');
    });
  });

  describe('with an ECOSYSTEM range and no ordering for the ecosystem', () => {
    it('reports the version as unassessed', () => {
      const r = entry([range('ECOSYSTEM', { introduced: '0' }, { fixed: '5' })]);
      expect(judgeAffected('4', r, undefined).status).toBe('unassessed');
    });
  });

  describe('when the version is not valid in the ordering', () => {
    it('reports it as unassessed, naming the ordering', () => {
      const r = entry([range('SEMVER', { introduced: '0' }, { fixed: '1.0.0' })]);
      const verdict = judgeAffected('not a version', r, semver);
      expect(verdict).toMatchObject({
        status: 'unassessed',
        reason: expect.stringContaining('semver'),
      });
    });
  });
});

describe('mayAffect', () => {
  const version = fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)).map(([a, b, c]) => `${a}.${b}.${c}`);
  const kinds: EventKind[] = ['introduced', 'fixed', 'last_affected', 'limit'];
  const event = fc.record({
    kind: fc.constantFrom(...kinds),
    version: fc.oneof(version, fc.constantFrom('0', 'not-a-version')),
  });
  const anyRange = fc.record({
    type: fc.constantFrom<AffectedRange['type']>('SEMVER', 'ECOSYSTEM', 'GIT'),
    repo: fc.constant(undefined),
    events: fc.array(event, { maxLength: 4 }),
  });
  const anyEntry = fc
    .tuple(fc.array(anyRange, { maxLength: 3 }), fc.array(version, { maxLength: 3 }))
    .map(([ranges, versions]) => entry(ranges, versions));

  test.prop([anyEntry, version, fc.constantFrom(semver, dpkg, undefined)])(
    'answers not_affected exactly when judgeCompiled does, without building reasons',
    (affected, v, ordering) => {
      const compiled = compileAffected(affected, ordering);
      expect(mayAffect(v, compiled)).toBe(judgeCompiled(v, compiled).status !== 'not_affected');
    },
  );
});
