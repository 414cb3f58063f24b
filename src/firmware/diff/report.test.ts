import { describe, expect, it } from 'vitest';
import { formatDiffReport, parseDiffReport, type DiffReport } from './report.js';

const report: DiffReport = {
  equivalent: false,
  files: [
    {
      path: '/etc/init.d/S99support',
      change: 'added',
      classification: null,
      a: null,
      b: { sha256: 'a'.repeat(64), size: 40 },
    },
  ],
  indicators: { onlyInA: [], onlyInB: [] },
};

describe('a stored diff report', () => {
  it('reads back what formatDiffReport wrote', () => {
    expect(parseDiffReport(Buffer.from(formatDiffReport(report)))).toEqual({ ok: true, report });
  });

  it('rejects an unknown field, naming where', () => {
    const text = JSON.stringify({ ...report, extra: 1 });
    expect(parseDiffReport(Buffer.from(text))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('extra'),
    });
  });

  it('rejects a change outside the four', () => {
    const text = JSON.stringify({ ...report, files: [{ ...report.files[0], change: 'moved' }] });
    expect(parseDiffReport(Buffer.from(text))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('files.0.change'),
    });
  });

  it('rejects bytes that are not JSON', () => {
    expect(parseDiffReport(Buffer.from([0xff, 0xfe]))).toMatchObject({ ok: false });
  });
});
