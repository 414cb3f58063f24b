/**
 * DSSE v1 (secure-systems-lab/dsse, protocol.md and envelope.md v1.0.2): the pre-authentication
 * encoding, a strict bounded envelope parser, signing and signature verification with note-format
 * Ed25519 keys. Signatures are verified over the exact payload bytes; the payload is parsed only
 * after that, from those same bytes (protocol.md "Verification").
 */
import type { NoteSigner, NoteVerifier } from '../tlog/note-key.js';
import { keyHandle } from '../tlog/note-key.js';
import { decodeStrictBase64, encodeBase64 } from './base64.js';
import { StatementError } from './errors.js';
import { firstDuplicateKey } from './json-duplicates.js';

/** in-toto attestation framework, spec v1: the payload type of a Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/**
 * Largest envelope text read (256 KiB). A log entry holds at most 65,535 bytes (C2SP tlog-tiles
 * entry bundles are uint16-length-prefixed), and the canonical form is checked against that
 * separately (`MAX_CANONICAL_ENVELOPE_BYTES`); the reading bound is four times larger so that a
 * pretty-printed envelope from another tool is still read, re-serialised and then judged,
 * while memory stays bounded before any JSON is parsed.
 */
export const MAX_ENVELOPE_BYTES = 256 * 1024;
/** The log's entry bound: the canonical envelope bytes must fit one tlog-tiles entry. */
export const MAX_CANONICAL_ENVELOPE_BYTES = 65_535;
/** More signatures than this is not a statement but an attack on the verifier's time. */
export const MAX_SIGNATURES = 16;
const MAX_KEYID_LENGTH = 256;
const MAX_PAYLOAD_TYPE_LENGTH = 256;
const ED25519_SIGNATURE_BYTES = 64;

export interface EnvelopeSignature {
  /** An unauthenticated hint (DSSE): nospy writes the key handle `name+hash`. */
  readonly keyid: string;
  readonly sig: Buffer;
}

/** A parsed envelope: the payload as the exact bytes that were signed. */
export interface Envelope {
  readonly payloadType: string;
  readonly payload: Buffer;
  readonly signatures: readonly EnvelopeSignature[];
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body (protocol.md). */
export function preAuthEncoding(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${body.length} `, 'utf8'),
    body,
  ]);
}

/** A new envelope over `payload` signed by `signer`. */
export function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  signer: NoteSigner,
): Envelope {
  const body = Buffer.from(payload);
  return { payloadType, payload: body, signatures: [signatureBy(signer, payloadType, body)] };
}

/**
 * The envelope with one more signature (a cosignature). Throws STATEMENT_ALREADY_SIGNED when the
 * envelope already carries a signature under this key's handle.
 */
export function addSignature(envelope: Envelope, signer: NoteSigner): Envelope {
  const handle = keyHandle(signer);
  if (envelope.signatures.some((s) => s.keyid === handle)) {
    throw new StatementError(
      'STATEMENT_ALREADY_SIGNED',
      `the envelope already carries a signature by ${handle}`,
      { where: handle },
    );
  }
  if (envelope.signatures.length >= MAX_SIGNATURES) {
    throw new StatementError(
      'STATEMENT_ENVELOPE_INVALID',
      `the envelope already has ${MAX_SIGNATURES} signatures, the most allowed`,
      { where: 'signatures' },
    );
  }
  return {
    ...envelope,
    signatures: [
      ...envelope.signatures,
      signatureBy(signer, envelope.payloadType, envelope.payload),
    ],
  };
}

function signatureBy(signer: NoteSigner, payloadType: string, body: Buffer): EnvelopeSignature {
  return { keyid: keyHandle(signer), sig: signer.sign(preAuthEncoding(payloadType, body)) };
}

/**
 * Parses envelope JSON strictly: at most `MAX_ENVELOPE_BYTES`, exactly the fields `payload`,
 * `payloadType`, `signatures` (and `keyid`, `sig` in each signature), strict base64, 1 to
 * `MAX_SIGNATURES` signatures of 64 bytes, no two with the same keyid or the same bytes.
 * Unknown fields are rejected rather than ignored (DSSE would ignore them) because the log
 * stores the canonical form: a field nospy drops must not look as if it had been signed.
 */
export function parseEnvelope(input: Uint8Array | string): Envelope {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_ENVELOPE_BYTES) {
    throw new StatementError(
      'STATEMENT_ENVELOPE_TOO_LARGE',
      `the envelope is ${size} bytes, more than the ${MAX_ENVELOPE_BYTES} allowed`,
      { where: 'envelope' },
    );
  }
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid('envelope', `is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(json)) throw invalid('envelope', 'must be a JSON object');
  const repeated = firstDuplicateKey(text);
  if (repeated !== undefined) throw invalid(repeated, 'appears twice in one object');
  onlyFields(json, ['payload', 'payloadType', 'signatures'], '');
  const payloadType = json.payloadType;
  if (typeof payloadType !== 'string') throw invalid('payloadType', 'must be a string');
  if (payloadType.length === 0 || payloadType.length > MAX_PAYLOAD_TYPE_LENGTH) {
    throw invalid('payloadType', `must be 1 to ${MAX_PAYLOAD_TYPE_LENGTH} characters`);
  }
  const payload = base64Field(json.payload, 'payload');
  const signatures = json.signatures;
  if (!Array.isArray(signatures)) throw invalid('signatures', 'must be an array');
  if (signatures.length === 0) throw invalid('signatures', 'must hold at least one signature');
  if (signatures.length > MAX_SIGNATURES) {
    throw invalid(
      'signatures',
      `has ${signatures.length} entries, at most ${MAX_SIGNATURES} allowed`,
    );
  }
  const parsed = signatures.map((entry: unknown, index) => parseSignature(entry, index));
  for (const [index, signature] of parsed.entries()) {
    const earlier = parsed.slice(0, index);
    if (signature.keyid !== '' && earlier.some((e) => e.keyid === signature.keyid)) {
      throw invalid(`signatures[${index}].keyid`, `repeats keyid "${signature.keyid}"`);
    }
    if (earlier.some((e) => e.sig.equals(signature.sig))) {
      throw invalid(`signatures[${index}].sig`, 'repeats an earlier signature');
    }
  }
  return { payloadType, payload, signatures: parsed };
}

function parseSignature(entry: unknown, index: number): EnvelopeSignature {
  const where = `signatures[${index}]`;
  if (!isRecord(entry)) throw invalid(where, 'must be an object');
  onlyFields(entry, ['keyid', 'sig'], `${where}.`);
  const keyid = entry.keyid ?? '';
  if (typeof keyid !== 'string' || keyid.length > MAX_KEYID_LENGTH) {
    throw invalid(`${where}.keyid`, `must be a string of at most ${MAX_KEYID_LENGTH} characters`);
  }
  const sig = base64Field(entry.sig, `${where}.sig`);
  if (sig.length !== ED25519_SIGNATURE_BYTES) {
    throw invalid(`${where}.sig`, `is ${sig.length} bytes; an Ed25519 signature is 64`);
  }
  return { keyid, sig };
}

/**
 * The canonical bytes of an envelope, as nospy writes and logs it: compact JSON with the fields
 * in a fixed order, standard padded base64, signatures in their given order. Throws
 * STATEMENT_ENVELOPE_TOO_LARGE above the log's 65,535-byte entry bound.
 */
export function serializeEnvelope(envelope: Envelope): Buffer {
  const bytes = Buffer.from(
    JSON.stringify({
      payload: encodeBase64(envelope.payload),
      payloadType: envelope.payloadType,
      signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: encodeBase64(s.sig) })),
    }),
    'utf8',
  );
  if (bytes.length > MAX_CANONICAL_ENVELOPE_BYTES) {
    throw new StatementError(
      'STATEMENT_ENVELOPE_TOO_LARGE',
      `the envelope is ${bytes.length} bytes in canonical form, more than the ${MAX_CANONICAL_ENVELOPE_BYTES} a log entry holds`,
      { where: 'envelope' },
    );
  }
  return bytes;
}

/** What happened to one signature of an envelope. */
export type SignatureOutcome =
  | {
      readonly index: number;
      readonly keyid: string;
      readonly status: 'verified';
      readonly key: NoteVerifier;
    }
  | {
      readonly index: number;
      readonly keyid: string;
      readonly status: 'bad-signature';
      readonly key: NoteVerifier;
    }
  | { readonly index: number; readonly keyid: string; readonly status: 'unknown-key' }
  | {
      readonly index: number;
      readonly keyid: string;
      readonly status: 'duplicate-key';
      readonly key: NoteVerifier;
    };

/**
 * Verifies every signature of `envelope` against `keys` and reports each one as data. A keyid is
 * only a hint (DSSE): a signature is tried with every key whose handle equals its keyid (two
 * keys may share a 4-byte key ID), or with every key when the keyid is empty. A second signature
 * verified by an already-counted key is reported `duplicate-key`, so that counting verified
 * signatures counts distinct keys (protocol.md, multiple signatures).
 */
export function verifyEnvelopeSignatures(
  envelope: Envelope,
  keys: readonly NoteVerifier[],
): SignatureOutcome[] {
  const pae = preAuthEncoding(envelope.payloadType, envelope.payload);
  const counted = new Set<string>();
  return envelope.signatures.map((signature, index) => {
    const { keyid } = signature;
    const candidates = keyid === '' ? keys : keys.filter((k) => keyHandle(k) === keyid);
    if (candidates.length === 0) return { index, keyid, status: 'unknown-key' as const };
    const key = candidates.find((k) => k.verify(pae, signature.sig));
    if (key === undefined) {
      return { index, keyid, status: 'bad-signature' as const, key: candidates[0] as NoteVerifier };
    }
    if (counted.has(key.vkey)) return { index, keyid, status: 'duplicate-key' as const, key };
    counted.add(key.vkey);
    return { index, keyid, status: 'verified' as const, key };
  });
}

function base64Field(value: unknown, where: string): Buffer {
  if (typeof value !== 'string') throw invalid(where, 'must be a base64 string');
  const decoded = decodeStrictBase64(value);
  if ('reason' in decoded) throw invalid(where, decoded.reason);
  return decoded.bytes;
}

function onlyFields(
  record: Record<string, unknown>,
  allowed: readonly string[],
  prefix: string,
): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) throw invalid(`${prefix}${key}`, 'is not a DSSE envelope field');
  }
  for (const key of allowed) {
    if (key !== 'keyid' && !(key in record)) throw invalid(`${prefix}${key}`, 'is missing');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(where: string, reason: string): StatementError {
  return new StatementError('STATEMENT_ENVELOPE_INVALID', `envelope: ${where} ${reason}`, {
    where,
  });
}
