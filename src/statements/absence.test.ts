import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyAbsence } from './absence.js';
import { parseAbsence } from './absence-evidence.js';
import { loadTrustFile } from './files.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const base = { type: 'absence', digest: DIGEST, checkpoint: 'log\n1\nroot\n', detail: 'none' };

describe('verifying absence evidence', () => {
  it('fails the checkpoint and releases-listed for a sentence with a forged checkpoint', () => {
    const trust = loadTrustFile(
      fileURLToPath(new URL('../../examples/statements/trust.yaml', import.meta.url)),
    );
    const result = verifyAbsence(parseAbsence(JSON.stringify(base)), trust, { now: new Date() });
    expect(result.valid).toBe(false);
    expect(result.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([
      'checkpoint-signature',
      'releases-listed',
    ]);
  });
});
