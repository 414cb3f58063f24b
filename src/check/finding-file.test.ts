import { describe, expect, it } from 'vitest';
import { formatFindingFile, isFindingDocument, parseFindingDocument } from './finding-file.js';
import type { Finding } from './finding.js';

const finding: Finding = {
  id: 'policy-violation:0123456789abcdef',
  kind: 'policy-violation',
  severity: 'high',
  subject: { vendor: 'huawei' },
  breaks: { type: 'rule', pack: 'uk-tsa-huawei-dvd', rule: 'uk-dvd-ran-cap' },
  firstSeen: '2026-06-01T00:00:00.000Z',
  lastSeen: '2026-06-01T00:00:00.000Z',
  explanation: 'over the cap',
  evidence: [{ type: 'policy', pack: 'uk-tsa-huawei-dvd', rule: 'uk-dvd-ran-cap', items: ['a'] }],
};
const bytes = Buffer.from('schema_version: 1\n');
const hex = 'a'.repeat(64);

describe('the nospy-finding/v1 file', () => {
  it('reads back the finding, its evaluation time and its documents', () => {
    const text = formatFindingFile({
      evaluatedAt: '2026-06-01T00:00:00.000Z',
      finding,
      blobs: new Map([[hex, bytes]]),
    });
    const file = parseFindingDocument(text);
    expect(file.finding).toEqual(finding);
    expect(file.evaluatedAt).toBe('2026-06-01T00:00:00.000Z');
    expect(file.blobs.get(hex)?.equals(bytes)).toBe(true);
  });

  it('reads a bare finding cut out of a report, with no time and no documents', () => {
    const file = parseFindingDocument(JSON.stringify(finding));
    expect(isFindingDocument(finding)).toBe(true);
    expect(file.evaluatedAt).toBeUndefined();
    expect(file.blobs.size).toBe(0);
  });

  const refused: [string, string, string][] = [
    ['an unknown field', JSON.stringify({ ...finding, extra: 1 }), 'extra'],
    [
      'an evidence part of no known type',
      JSON.stringify({ ...finding, evidence: [{ type: 'rumour' }] }),
      'evidence.0',
    ],
    [
      'a statement part that is not a bundle',
      JSON.stringify({
        ...finding,
        evidence: [{ type: 'statement', index: 1, envelope: '{}', tlogProof: 'p' }],
      }),
      'evidence.0',
    ],
    [
      'a member given twice',
      JSON.stringify(finding).replace('"kind":', '"kind":"x","kind":'),
      'kind appears twice',
    ],
    ['text that is not JSON', '{', 'is not JSON'],
  ];
  it.each(refused)('refuses %s with CHECK_EVIDENCE_INVALID, naming it', (_what, text, named) => {
    expect(() => parseFindingDocument(text)).toThrow(
      expect.objectContaining({
        code: 'CHECK_EVIDENCE_INVALID',
        message: expect.stringContaining(named) as unknown,
      }),
    );
  });
});
