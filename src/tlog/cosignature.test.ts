import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import {
  cosign,
  cosignatureMessage,
  parseCosignatureLines,
  verifyCosignature,
} from './cosignature.js';
import {
  generateNoteKey,
  KEY_TYPE_COSIGNATURE_V1,
  parsePrivateKey,
  parseVerifierKey,
} from './note-key.js';

const spec = vectors.cosignature_v1;
const example =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

describe('cosignature/v1', () => {
  it('builds the signed message exactly as the C2SP example shows', () => {
    expect(cosignatureMessage(example, 1_679_315_147).toString()).toBe(spec.signed_message_example);
  });

  describe('published signature lines', () => {
    for (const v of spec.timestamp_vectors) {
      it(`carries timestamp ${v.timestamp} after the key ID (${v.desc})`, () => {
        const bytes = Buffer.from(v.sig_b64, 'base64');
        expect(bytes).toHaveLength(76);
        expect(Number(bytes.readBigUInt64BE(4))).toBe(v.timestamp);
        if (v.key_id_hex !== undefined)
          expect(bytes.subarray(0, 4).toString('hex')).toBe(v.key_id_hex);
      });
    }
  });

  it('parses the native cosignature/v1 verifier key', () => {
    for (const v of spec.vkeys) expect(parseVerifierKey(v.vkey).type).toBe(v.type);
  });

  it('cosigns and verifies with the test witness key, returning the timestamp', () => {
    const witness = parsePrivateKey(vectors.computed_here.witness_key.skey);
    const line = cosign(example, witness, 1_700_000_000);
    const [parsed] = parseCosignatureLines(line);
    expect(parsed!.keyId).toBe(witness.keyId);
    expect(verifyCosignature(example, witness, parsed!.signature)).toBe(1_700_000_000);
  });

  describe('when the cosignature does not match', () => {
    const witness = generateNoteKey('w.example', KEY_TYPE_COSIGNATURE_V1);
    const [parsed] = parseCosignatureLines(cosign(example, witness, 42));
    it('rejects another checkpoint text', () => {
      expect(() =>
        verifyCosignature(example.replace('20852163', '20852164'), witness, parsed!.signature),
      ).toThrow(expect.objectContaining({ code: 'TLOG_SIGNATURE_INVALID' }));
    });
    it('rejects a changed timestamp', () => {
      const changed = Buffer.from(parsed!.signature);
      changed[7] = 43;
      expect(() => verifyCosignature(example, witness, changed)).toThrow(/does not verify/);
    });
    it('rejects a signature of the wrong length', () => {
      expect(() => verifyCosignature(example, witness, parsed!.signature.subarray(1))).toThrow(
        /71 bytes/,
      );
    });
    it('rejects a timestamp beyond 2^53', () => {
      const changed = Buffer.from(parsed!.signature);
      changed[0] = 0x7f;
      expect(() => verifyCosignature(example, witness, changed)).toThrow(/impossible timestamp/);
    });
  });

  it('refuses to cosign with a plain Ed25519 note key', () => {
    expect(() => cosign(example, generateNoteKey('log.example'), 1)).toThrow(/type 0x04/);
  });

  it('rejects a response body that is not signature lines', () => {
    expect(() => parseCosignatureLines('')).toThrow(
      expect.objectContaining({ code: 'TLOG_NOTE_INVALID' }),
    );
    expect(() => parseCosignatureLines('— w AAAAAAAA\nnot a line\n')).toThrow(/line 2/);
  });
});
