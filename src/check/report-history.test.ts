import { describe, expect, it } from 'vitest';
import type { Finding } from './finding.js';
import { summarise, type Report } from './report.js';
import { reportWithHistory } from './report-history.js';

const finding = (id: string, at: string): Finding => ({
  id,
  kind: 'undeclared-traffic',
  severity: 'high',
  subject: { device: 'd' },
  breaks: { type: 'clause', agreement: 1, clause: 'no-undeclared-destinations' },
  firstSeen: at,
  lastSeen: at,
  explanation: 'x',
  evidence: [],
});
const old = finding('a', '2026-05-01T00:00:00.000Z');
const recent = finding('b', '2026-05-20T00:00:00.000Z');
const report: Report = {
  evaluatedAt: '2026-06-01T00:00:00.000Z',
  inputs: { statements: 0, devices: 0, flowRecords: 0, images: 0, vulnerabilities: 0 },
  summary: summarise([old, recent]),
  findings: [old, recent],
};

describe('a report through the finding history', () => {
  it('shows the first seen of earlier runs and keeps the findings last seen since the date', () => {
    const history = new Map([
      [
        'b',
        {
          id: 'b',
          firstSeen: '2026-04-01T00:00:00.000Z',
          lastSeen: '2026-05-20T00:00:00.000Z',
          firstRun: '2026-04-01T00:00:00.000Z',
          lastRun: '2026-05-20T00:00:00.000Z',
        },
      ],
    ]);
    const seen = reportWithHistory(report, history, new Date('2026-05-10T00:00:00Z'));
    expect(seen.findings.map((f) => [f.id, f.firstSeen])).toEqual([
      ['b', '2026-04-01T00:00:00.000Z'],
    ]);
    expect(seen.summary.total).toBe(1);
  });
});
