import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { generateNoteKey, keyHandle, signerFromSeed, KEY_TYPE_ED25519 } from '../tlog/note-key.js';
import {
  addSignature,
  MAX_CANONICAL_ENVELOPE_BYTES,
  MAX_ENVELOPE_BYTES,
  MAX_SIGNATURES,
  parseEnvelope,
  preAuthEncoding,
  serializeEnvelope,
  signEnvelope,
  verifyEnvelopeSignatures,
  type Envelope,
} from './dsse.js';
import { StatementError } from './errors.js';

const vendor = generateNoteKey('vendor-test');
const operator = generateNoteKey('operator-test');
const TYPE = 'application/vnd.in-toto+json';

function envelopeJson(fields: Record<string, unknown>): string {
  return JSON.stringify(fields);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatementError) return error.code;
    throw error;
  }
  return undefined;
}

describe('PAE (DSSE protocol.md)', () => {
  it('encodes the spec vector "DSSEv1 29 http://example.com/HelloWorld 11 hello world"', () => {
    const pae = preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world'));
    expect(pae.toString('utf8')).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts lengths in bytes, not characters, and writes 0 for an empty body', () => {
    const pae = preAuthEncoding('t/é', Buffer.alloc(0));
    expect(pae.toString('utf8')).toBe('DSSEv1 4 t/é 0 ');
  });
});

describe('Ed25519 as used for DSSE signatures', () => {
  it('reproduces RFC 8032 §7.1 TEST 1 (empty message)', () => {
    const seed = Buffer.from(
      '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      'hex',
    );
    const signer = signerFromSeed('rfc8032', KEY_TYPE_ED25519, seed);
    expect(signer.publicKey.toString('hex')).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
    expect(signer.sign(Buffer.alloc(0)).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });
});

describe('when an envelope is signed and cosigned', () => {
  const signed = addSignature(signEnvelope(TYPE, Buffer.from('{"a":1}'), vendor), operator);

  it('names each signature by the key handle name+hash', () => {
    expect(signed.signatures.map((s) => s.keyid)).toEqual([keyHandle(vendor), keyHandle(operator)]);
  });

  it('verifies both signatures with their keys', () => {
    const outcomes = verifyEnvelopeSignatures(signed, [vendor, operator]);
    expect(outcomes.map((o) => o.status)).toEqual(['verified', 'verified']);
  });

  it('round-trips through its canonical JSON unchanged', () => {
    const again = parseEnvelope(serializeEnvelope(signed));
    expect(serializeEnvelope(again).equals(serializeEnvelope(signed))).toBe(true);
  });

  it('reports a signature by a key it was not given as unknown-key', () => {
    expect(verifyEnvelopeSignatures(signed, [vendor]).map((o) => o.status)).toEqual([
      'verified',
      'unknown-key',
    ]);
  });

  it('refuses a second signature by the same key with STATEMENT_ALREADY_SIGNED', () => {
    expect(codeOf(() => addSignature(signed, vendor))).toBe('STATEMENT_ALREADY_SIGNED');
  });

  it('counts one key once: a second signature verified by it is duplicate-key', () => {
    const twice: Envelope = {
      ...signed,
      signatures: [signed.signatures[0]!, { keyid: '', sig: signed.signatures[0]!.sig }],
    };
    expect(verifyEnvelopeSignatures(twice, [vendor]).map((o) => o.status)).toEqual([
      'verified',
      'duplicate-key',
    ]);
  });

  it('tries every key for a signature with an empty keyid', () => {
    const anonymous: Envelope = {
      ...signed,
      signatures: [{ keyid: '', sig: signed.signatures[1]!.sig }],
    };
    const [outcome] = verifyEnvelopeSignatures(anonymous, [vendor, operator]);
    expect(outcome?.status).toBe('verified');
  });
});

describe('when any byte of the payload, payloadType or signature is changed', () => {
  const payload = Buffer.from(JSON.stringify({ statement: 'x'.repeat(40) }));
  const signed = signEnvelope(TYPE, payload, vendor);
  const sig = signed.signatures[0]!.sig;

  test.prop([fc.nat(), fc.integer({ min: 1, max: 255 })])(
    'the payload no longer verifies',
    (at, flip) => {
      const altered = Buffer.from(payload);
      const i = at % altered.length;
      altered[i] = altered[i]! ^ flip;
      const [outcome] = verifyEnvelopeSignatures({ ...signed, payload: altered }, [vendor]);
      expect(outcome?.status).toBe('bad-signature');
    },
  );

  test.prop([fc.nat(), fc.integer({ min: 1, max: 127 })])(
    'the payloadType no longer verifies',
    (at, flip) => {
      const chars = TYPE.split(''); // the type is ASCII
      const i = at % chars.length;
      chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) ^ flip);
      const [outcome] = verifyEnvelopeSignatures({ ...signed, payloadType: chars.join('') }, [
        vendor,
      ]);
      expect(outcome?.status).toBe('bad-signature');
    },
  );

  test.prop([fc.nat(), fc.integer({ min: 1, max: 255 })])(
    'the signature no longer verifies',
    (at, flip) => {
      const altered = Buffer.from(sig);
      const i = at % altered.length;
      altered[i] = altered[i]! ^ flip;
      const [outcome] = verifyEnvelopeSignatures(
        { ...signed, signatures: [{ keyid: keyHandle(vendor), sig: altered }] },
        [vendor],
      );
      expect(outcome?.status).toBe('bad-signature');
    },
  );
});

describe('reading a DSSE envelope', () => {
  const good = JSON.parse(
    serializeEnvelope(signEnvelope(TYPE, Buffer.from('{}'), vendor)).toString(),
  ) as {
    payload: string;
    payloadType: string;
    signatures: { keyid: string; sig: string }[];
  };

  it('accepts URL-safe base64 without padding (DSSE envelope.md)', () => {
    const urlSafe = {
      ...good,
      payload: Buffer.from('{}').toString('base64url'),
      signatures: [
        {
          ...good.signatures[0]!,
          sig: Buffer.from(good.signatures[0]!.sig, 'base64').toString('base64url'),
        },
      ],
    };
    const parsed = parseEnvelope(envelopeJson(urlSafe));
    expect(verifyEnvelopeSignatures(parsed, [vendor])[0]?.status).toBe('verified');
  });

  it.each([
    ['text that is not JSON', '{"payload":'],
    ['a JSON array', '[]'],
    ['an unknown top-level field', envelopeJson({ ...good, extra: 1 })],
    ['a field given twice', envelopeJson(good).replace('{', `{"payload":"${good.payload}",`)],
    ['a missing payloadType', envelopeJson({ payload: good.payload, signatures: good.signatures })],
    ['a missing payload', envelopeJson({ payloadType: TYPE, signatures: good.signatures })],
    ['no signatures', envelopeJson({ ...good, signatures: [] })],
    [
      'a signature with an unknown field',
      envelopeJson({ ...good, signatures: [{ ...good.signatures[0], cert: 'x' }] }),
    ],
    [
      'base64 with whitespace',
      envelopeJson({ ...good, payload: `${good.payload.slice(0, 2)} ${good.payload.slice(2)}` }),
    ],
    ['base64 mixing alphabets', envelopeJson({ ...good, payload: 'ab+_' })],
    ['base64 with too much padding', envelopeJson({ ...good, payload: 'e30==' })],
    ['base64 with non-zero trailing bits', envelopeJson({ ...good, payload: 'e31=' })],
    [
      'a signature that is not 64 bytes',
      envelopeJson({ ...good, signatures: [{ keyid: 'k', sig: 'AAAA' }] }),
    ],
    [
      'two signatures with one keyid',
      envelopeJson({ ...good, signatures: [good.signatures[0], good.signatures[0]] }),
    ],
    [
      'more signatures than allowed',
      envelopeJson({
        ...good,
        signatures: Array.from({ length: MAX_SIGNATURES + 1 }, (_, i) => ({
          keyid: `k${i}`,
          sig: Buffer.alloc(64, i).toString('base64'),
        })),
      }),
    ],
  ])('rejects %s with STATEMENT_ENVELOPE_INVALID', (_what, text) => {
    expect(codeOf(() => parseEnvelope(text))).toBe('STATEMENT_ENVELOPE_INVALID');
  });

  it('names the field at fault in its message', () => {
    expect(() =>
      parseEnvelope(envelopeJson({ ...good, signatures: [{ keyid: 'k', sig: 'AAAA' }] })),
    ).toThrow(/signatures\[0\]\.sig is 3 bytes; an Ed25519 signature is 64/);
  });

  it('rejects an envelope over 256 KiB with STATEMENT_ENVELOPE_TOO_LARGE before parsing it', () => {
    expect(codeOf(() => parseEnvelope(' '.repeat(MAX_ENVELOPE_BYTES + 1)))).toBe(
      'STATEMENT_ENVELOPE_TOO_LARGE',
    );
  });

  it('refuses to serialise an envelope over the 65,535-byte log entry bound', () => {
    const big = signEnvelope(TYPE, Buffer.alloc(MAX_CANONICAL_ENVELOPE_BYTES, 0x20), vendor);
    expect(codeOf(() => serializeEnvelope(big))).toBe('STATEMENT_ENVELOPE_TOO_LARGE');
  });
});
