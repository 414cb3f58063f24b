import { describe, expect, it } from 'vitest';
import { checkReport } from '../report.js';
import { ACME, agreement, ALL_CLAUSES, canary, GLOBEX, logged, NOW } from '../test-support.js';

const lapses = (statements: Parameters<typeof checkReport>[0]['statements']) =>
  checkReport({ statements }, { now: NOW }).findings.filter((f) => f.kind === 'canary-lapsed');

describe('canary-lapsed', () => {
  describe('when a canary was logged every month', () => {
    it('reports nothing', () => {
      const months = [
        '2026-01-15',
        '2026-02-10',
        '2026-03-10',
        '2026-04-05',
        '2026-05-01',
        '2026-05-25',
      ];
      expect(
        lapses([
          logged(agreement(ACME, [...ALL_CLAUSES])),
          ...months.map((d) => logged(canary(ACME, d))),
        ]),
      ).toEqual([]);
    });
  });

  describe('when the last canary is older than the period', () => {
    it('reports the lapse from its due date, still open', () => {
      const [f, ...rest] = lapses([
        logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0),
        logged(canary(GLOBEX, '2026-01-20'), 1),
      ]);
      expect(rest).toEqual([]);
      expect(f?.subject).toEqual({ vendor: GLOBEX });
      expect(f?.firstSeen).toBe('2026-02-19T00:00:00.000Z');
      expect(f?.breaks).toEqual({ type: 'clause', agreement: 0, clause: 'canary-every' });
      expect(f?.explanation).toMatch(/still none/);
    });
  });

  describe('when two canaries are further apart than the period', () => {
    it('reports the gap', () => {
      const found = lapses([
        logged(agreement(ACME, [...ALL_CLAUSES])),
        logged(canary(ACME, '2026-01-10')),
        logged(canary(ACME, '2026-04-10')),
        logged(canary(ACME, '2026-05-05')),
      ]);
      expect(found.map((f) => f.firstSeen)).toEqual(['2026-02-09T00:00:00.000Z']);
    });
  });
});
