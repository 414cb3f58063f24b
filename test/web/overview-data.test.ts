/**
 * The overview's data, in Node: the chart's bars over zero-filled days (a single finding is one
 * bar, not a line across months), the filters kept in the URL as API requests, and the CSV
 * export quoting what a spreadsheet would otherwise run.
 */
import { describe, expect, it } from 'vitest';
import { binDays } from '../../web/src/bins.js';
import { findingsPath, withFilter } from '../../web/src/findings-query.js';
import { findingsCsv } from '../../web/src/findings-csv.js';

const day = (d: string, n: number) => ({ day: d, total: n, bySeverity: { high: n } });

describe('the bars of new findings', () => {
  it('fills every day without a finding with zero, up to the evaluation day', () => {
    const bins = binDays([day('2026-05-01', 1), day('2026-05-04', 2)], '2026-05-06T00:00:00Z');
    expect(bins.map((b) => [b.start, b.total])).toEqual([
      ['2026-05-01', 1],
      ['2026-05-02', 0],
      ['2026-05-03', 0],
      ['2026-05-04', 2],
      ['2026-05-05', 0],
      ['2026-05-06', 0],
    ]);
  });

  it('counts per week past ninety days, losing no finding', () => {
    const bins = binDays([day('2026-01-01', 1), day('2026-05-01', 3)], '2026-06-01T00:00:00Z');
    expect(bins[0]?.label).toBe('week of 2026-01-01');
    expect(bins.reduce((sum, b) => sum + b.total, 0)).toBe(4);
  });

  it('draws nothing when there is no finding', () => {
    expect(binDays([], '2026-06-01T00:00:00Z')).toEqual([]);
  });
});

describe('the filters in the URL', () => {
  it('become the API request of one page, and a new filter goes back to the first page', () => {
    const query = new URLSearchParams('severity=high&page=3&colour=red');
    expect(findingsPath(query, 3)).toBe('v1/findings?severity=high&limit=50&offset=150');
    expect(withFilter(query, 'kind', 'canary-lapsed').toString()).toBe(
      'severity=high&colour=red&kind=canary-lapsed',
    );
    expect(findingsPath(withFilter(query, 'severity', ''), undefined)).toBe('v1/findings');
  });
});

describe('the CSV export', () => {
  it('quotes commas and quotes, and keeps a leading = from being a formula', () => {
    const csv = findingsCsv([
      {
        id: 'x:1',
        kind: 'undeclared-traffic',
        severity: 'high',
        subject: { device: '=cmd', vendor: 'Acme, Inc' },
        breaks: { type: 'rule', pack: 'p', rule: 'r' },
        firstSeen: '2026-05-01T00:00:00Z',
        explanation: 'said "hello"',
      },
    ]);
    const row = csv.split('\r\n')[1] ?? '';
    expect(row).toContain(`'=cmd`);
    expect(row).toContain('"Acme, Inc"');
    expect(row).toContain('"said ""hello"""');
  });
});
