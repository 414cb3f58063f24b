import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPrivateKeyFile, loadStatementFile, loadTrustFile } from './files.js';
import { signStatement } from './sign.js';
import { trustFromTransfer, trustToTransfer } from './trust-transfer.js';
import { verifyStatement } from './verify.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const trust = loadTrustFile(`${examples}statements/trust.yaml`);

describe('a trust file sent to a worker thread', () => {
  it('survives structured cloning as plain data', () => {
    const transfer = trustToTransfer(trust);
    expect(structuredClone(transfer)).toEqual(transfer);
  });

  it('comes back with the same parties, roles, keys and witnesses', () => {
    const back = trustFromTransfer(structuredClone(trustToTransfer(trust)));
    expect(trustToTransfer(back)).toEqual(trustToTransfer(trust));
  });

  it('verifies what the original verifies', () => {
    const acme = loadPrivateKeyFile(`${examples}keys/example-acme-vendor.key`);
    const release = loadStatementFile(`${examples}statements/release.yaml`).statement;
    const envelope = signStatement(release, acme);
    const now = new Date('2026-05-01T00:00:00Z');
    const back = trustFromTransfer(trustToTransfer(trust));
    expect(verifyStatement(envelope, back, { now }).valid).toBe(true);
  });
});
