import { describe, expect, it } from 'vitest';
import { isNospyError } from '../errors/nospy-error.js';
import { parseAbsence } from './absence-evidence.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const base = { type: 'absence', digest: DIGEST, checkpoint: 'log\n1\nroot\n', detail: 'none' };

function rejection(value: unknown): string {
  try {
    parseAbsence(JSON.stringify(value));
  } catch (error) {
    if (isNospyError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

describe('reading absence evidence', () => {
  it('reads evidence that only states the absence, with no releases', () => {
    expect(parseAbsence(JSON.stringify(base))).toMatchObject({
      digest: DIGEST,
      releases: undefined,
      vendor: undefined,
      omitted: 0,
    });
  });

  it.each([
    [{ ...base, digest: 'sha256:ABC' }, 'digest must be sha256:<64 lowercase hex digits>'],
    [{ ...base, extra: true }, 'extra is not a field of absence evidence'],
    [{ ...base, checkpoint: '' }, 'checkpoint must be the signed checkpoint note'],
    [{ ...base, omitted: -1 }, 'omitted must be a whole number ≥ 0'],
    [{ ...base, releases: {} }, 'releases must be a list'],
    [
      { ...base, releases: [{ index: 1, envelope: '{}', tlogProof: 'p', x: 1 }] },
      'releases[0].x is not a field',
    ],
    [
      { ...base, releases: [{ index: -1, envelope: '{}', tlogProof: 'p' }] },
      'releases[0].index must be a log index',
    ],
    [{ ...base, releases: [{ index: 0, envelope: '{}', tlogProof: 'p' }] }, 'releases[0].envelope'],
    [{ ...base, type: 'statement' }, 'type must be "absence"'],
  ])('rejects %j with STATEMENT_BUNDLE_INVALID naming the field', (value, message) => {
    const got = rejection(value);
    expect(got).toMatch(/^STATEMENT_BUNDLE_INVALID: absence evidence: /);
    expect(got).toContain(message);
  });

  it('rejects a field given twice, which JSON parsers resolve differently', () => {
    const text = `{"type":"absence","digest":"${DIGEST}","digest":"${DIGEST}","checkpoint":"c","detail":""}`;
    expect(() => parseAbsence(text)).toThrow(/digest appears twice/);
  });
});
