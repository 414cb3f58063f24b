import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import {
  KEY_TYPE_COSIGNATURE_V1,
  generateNoteKey,
  keyHandle,
  parsePrivateKey,
  parseVerifierKey,
  withKeyType,
} from './note-key.js';

describe('note keys', () => {
  describe('published x/mod and transparency-dev key pairs', () => {
    for (const pair of vectors.key_pairs.pairs) {
      it(`derives ${pair.vkey.split('+')[0] ?? ''}'s verifier key from its private key`, () => {
        const signer = parsePrivateKey(pair.skey);
        expect(signer.vkey).toBe(pair.vkey);
        expect(signer.skey).toBe(pair.skey);
        expect(parseVerifierKey(pair.vkey).keyId).toBe(signer.keyId);
      });
    }
  });

  it('reproduces the log and witness keys computed for the vectors', () => {
    const log = vectors.computed_here.log_key;
    expect(parsePrivateKey(log.skey).vkey).toBe(log.vkey);
    const witness = vectors.computed_here.witness_key;
    const cosigner = parsePrivateKey(witness.skey);
    expect(cosigner.type).toBe(KEY_TYPE_COSIGNATURE_V1);
    expect(cosigner.vkey).toBe(witness.vkey);
  });

  it('accepts the vkey-only examples', () => {
    for (const vkey of vectors.key_pairs.vkey_only) expect(parseVerifierKey(vkey).vkey).toBe(vkey);
  });

  describe('when a verifier key is invalid', () => {
    for (const { vkey, why } of vectors.key_pairs.invalid_vkeys) {
      it(`rejects it (${why}) with TLOG_KEY_INVALID`, () => {
        expect(() => parseVerifierKey(vkey)).toThrow(
          expect.objectContaining({ code: 'TLOG_KEY_INVALID' }),
        );
      });
    }
  });

  it('never shows private key material in an error', () => {
    const skey = vectors.key_pairs.pairs[0]!.skey.replace('c74f20a3', 'c74f20a4');
    expect(() => parsePrivateKey(skey)).toThrow(/does not match/);
    try {
      parsePrivateKey(skey);
    } catch (error) {
      expect(String(error)).not.toContain(skey.split('+').at(-1));
    }
  });

  it('signs and verifies with a generated key, and its handle is name+hash', () => {
    const key = generateNoteKey('log.example/test');
    const message = Buffer.from('hello\n');
    const signature = key.sign(message);
    expect(parseVerifierKey(key.vkey).verify(message, signature)).toBe(true);
    expect(parseVerifierKey(key.vkey).verify(Buffer.from('hellp\n'), signature)).toBe(false);
    expect(keyHandle(key)).toBe(key.vkey.split('+').slice(0, 2).join('+'));
    expect(parsePrivateKey(key.skey).vkey).toBe(key.vkey);
  });

  it('turns the same material into a cosignature key with its own key ID', () => {
    const key = generateNoteKey('witness.example');
    const cosigner = withKeyType(key, KEY_TYPE_COSIGNATURE_V1);
    expect(cosigner.publicKey.equals(key.publicKey)).toBe(true);
    expect(cosigner.keyId).not.toBe(key.keyId);
    expect(cosigner.vkey.split('+')[2]?.startsWith('B')).toBe(true);
  });

  it('rejects key names with spaces or plus signs', () => {
    expect(() => generateNoteKey('bad name')).toThrow(/TLOG_KEY_INVALID|key name/);
    expect(() => generateNoteKey('bad+name')).toThrow(/key name/);
  });
});
