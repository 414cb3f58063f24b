import { createHash, createPublicKey } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { dsseEntryFor, ed25519Spki, formatDsseEntry, parseDsseEntry } from './rekor-dsse.js';

const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
const signature = Buffer.alloc(64, 7);
const publicKey = Buffer.alloc(32, 9);
const entry = formatDsseEntry(dsseEntryFor(payload, signature, publicKey));

describe('a Rekor v2 dsse entry', () => {
  it('is the canonical JSON Sigstore verifiers hash: sorted keys, no spaces, padded base64', () => {
    const digest = createHash('sha256').update(payload).digest('base64');
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
    expect(entry.toString('utf8')).toBe(
      `{"apiVersion":"0.0.2","kind":"dsse","spec":{"dsseV002":{"payloadHash":{"algorithm":"SHA2_256","digest":"${digest}"},` +
        `"signatures":[{"content":"${signature.toString('base64')}","verifier":{"keyDetails":"PKIX_ED25519","publicKey":{"rawBytes":"${spki.toString('base64')}"}}}]}}}`,
    );
  });

  it('names the key as a DER SubjectPublicKeyInfo that Node reads as Ed25519', () => {
    const key = createPublicKey({ key: ed25519Spki(publicKey), format: 'der', type: 'spki' });
    expect(key.asymmetricKeyType).toBe('ed25519');
  });

  test.prop([
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ minLength: 64, maxLength: 64 }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
  ])('reads back what it wrote, for any payload, signature and key', (p, s, k) => {
    const written = dsseEntryFor(p, s, k);
    expect(parseDsseEntry(formatDsseEntry(written))).toEqual(written);
  });

  const text = entry.toString('utf8');
  const cases: [string, string, string][] = [
    ['with a space added', text.replace('"kind":', '"kind": '), 'canonical form'],
    [
      'with its keys reordered',
      text.replace('{"apiVersion":"0.0.2","kind":"dsse",', '{"kind":"dsse","apiVersion":"0.0.2",'),
      'canonical form',
    ],
    ['of another version', text.replace('0.0.2', '0.0.1'), 'is not a dsse 0.0.2 entry'],
    [
      'with two signatures',
      text.replace(/"signatures":\[(\{.*\})\]/, '"signatures":[$1,$1]'),
      'exactly one signature',
    ],
    [
      'with a short signature',
      text.replace(signature.toString('base64'), Buffer.alloc(63).toString('base64')),
      'not 64',
    ],
    [
      'with a key that is not Ed25519',
      text.replace('MCowBQYDK2VwAyEA', 'MCowBQYDK2VxAyEA'),
      'not an Ed25519',
    ],
    [
      'with a field twice',
      text.replace('"kind":"dsse",', '"kind":"dsse","kind":"dsse",'),
      'repeats a field',
    ],
    ['that is not JSON', text.slice(1), 'is not JSON'],
  ];
  it.each(cases)('is refused %s (STATEMENT_BUNDLE_INVALID)', (_what, bad, message) => {
    expect(() => parseDsseEntry(Buffer.from(bad))).toThrow(
      expect.objectContaining({
        code: 'STATEMENT_BUNDLE_INVALID',
        message: expect.stringContaining(message) as unknown,
      }),
    );
  });
});
