import { describe, expect, it } from 'vitest';
import type { ComponentVulnerability } from '../evidence.js';
import { checkReport } from '../report.js';
import { agreement, ALL_CLAUSES, GLOBEX, IMAGE_G, logged, NOW, release } from '../test-support.js';

function vuln(severity: string, published: string): ComponentVulnerability {
  return {
    release: `sha256:${IMAGE_G}`,
    component: 'busybox',
    version: '1.30.0',
    advisory: { id: 'CVE-2026-0001', aliases: [], severity, published },
    affected: '< 1.36.0',
    fixed: '1.36.0',
  };
}

function run(v: ComponentVulnerability, extra: ReturnType<typeof logged>[] = []) {
  return checkReport(
    {
      statements: [
        logged(agreement(GLOBEX, [...ALL_CLAUSES]), 0),
        logged(release(GLOBEX, IMAGE_G), 1),
        ...extra,
      ],
      vulnerabilities: [v],
    },
    { now: NOW },
  ).findings.filter((f) => f.kind === 'vulnerable-component');
}

describe('vulnerable-component', () => {
  describe('when a critical advisory is unfixed past the 30-day window', () => {
    it('reports it with the advisory and the release', () => {
      const [f] = run(vuln('critical', '2026-03-01'));
      expect(f?.subject).toEqual({ vendor: GLOBEX, release: `sha256:${IMAGE_G}` });
      expect(f?.firstSeen).toBe('2026-03-31T00:00:00.000Z');
      expect(f?.evidence[0]).toMatchObject({ type: 'advisory', id: 'CVE-2026-0001' });
    });
  });

  describe('when the window has not passed yet', () => {
    it('reports nothing', () => {
      expect(run(vuln('critical', '2026-05-20'))).toEqual([]);
    });
  });

  describe('when the advisory is below the agreed severity', () => {
    it('reports nothing', () => {
      expect(run(vuln('high', '2026-01-01'))).toEqual([]);
    });
  });

  describe('when a later logged release fixes it', () => {
    it('reports nothing', () => {
      const fix = logged(
        release(GLOBEX, 'd'.repeat(64), ['R1'], { securityFix: { advisories: ['CVE-2026-0001'] } }),
        2,
      );
      expect(run(vuln('critical', '2026-03-01'), [fix])).toEqual([]);
    });
  });
});
