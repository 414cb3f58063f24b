import { describe, expect, it } from 'vitest';
import type { Finding } from './finding.js';
import { resolvedBy, triageInForce, triageProblem, withHistory } from './finding-history.js';

const finding: Finding = {
  id: 'canary-lapsed:1',
  kind: 'canary-lapsed',
  severity: 'high',
  subject: { vendor: 'acme' },
  breaks: { type: 'clause', agreement: 1, clause: 'canary-every' },
  firstSeen: '2026-05-05T00:00:00.000Z',
  lastSeen: '2026-05-05T00:00:00.000Z',
  explanation: 'no canary',
  evidence: [],
};
const history = {
  id: finding.id,
  firstSeen: '2026-05-01T00:00:00.000Z',
  lastSeen: '2026-05-03T00:00:00.000Z',
  firstRun: '2026-05-01T00:00:00.000Z',
  lastRun: '2026-05-03T00:00:00.000Z',
};

describe('a finding seen by earlier runs', () => {
  it('shows the earliest first seen and the latest last seen', () => {
    const shown = withHistory(finding, history);
    expect(shown.firstSeen).toBe('2026-05-01T00:00:00.000Z');
    expect(shown.lastSeen).toBe('2026-05-05T00:00:00.000Z');
    expect(shown.evidence).toBe(finding.evidence);
  });

  it('is resolved only by a later run', () => {
    expect(resolvedBy(history, '2026-05-03T00:00:00.000Z')).toBe(false);
    expect(resolvedBy(history, '2026-05-04T00:00:00.000Z')).toBe(true);
  });
});

describe('triage', () => {
  const at = '2026-05-01T00:00:00.000Z';
  it('is withdrawn by a reopening', () => {
    const decisions = [
      { finding: finding.id, state: 'false-positive' as const, by: 'a', at, reason: 'lab device' },
      { finding: finding.id, state: 'reopened' as const, by: 'b', at, reason: 'it is not' },
    ];
    expect(triageInForce(decisions, new Date(at))).toBeUndefined();
  });

  it('needs a reason, and an end day for an accepted risk only', () => {
    expect(triageProblem({ state: 'acknowledged', reason: ' ' })).toMatch(/reason/);
    expect(triageProblem({ state: 'accepted-risk', reason: 'x' })).toMatch(/until/);
    expect(triageProblem({ state: 'acknowledged', reason: 'x', until: '2026-01-01' })).toMatch(
      /accepted-risk only/,
    );
    expect(triageProblem({ state: 'accepted-risk', reason: 'x', until: '2026-01-01' })).toBe(
      undefined,
    );
  });
});
