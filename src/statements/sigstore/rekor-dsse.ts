/**
 * Rekor v2 `dsse` log entries (kind `dsse`, apiVersion `0.0.2`; sigstore/protobuf-specs
 * `rekor/v2/dsse.proto`, `DSSELogEntryV002`): the leaf a Sigstore verifier recomputes from a
 * bundle's `canonicalizedBody` and cross-checks against the bundle's DSSE envelope. nospy logs one
 * such entry per signature of every statement beside the envelope itself (docs/statements.md,
 * "Sigstore bundles"), so the statement's signature is in nospy's tree in the form Sigstore reads.
 *
 *   {"apiVersion":"0.0.2","kind":"dsse","spec":{"dsseV002":{
 *     "payloadHash":{"algorithm":"SHA2_256","digest":<base64 SHA-256(payload)>},
 *     "signatures":[{"content":<base64 signature>,
 *                    "verifier":{"keyDetails":"PKIX_ED25519","publicKey":{"rawBytes":<base64 DER SPKI>}}}]}}}
 *
 * The bytes are canonical: keys in that (lexicographic, RFC 8785) order, no spaces, standard
 * padded base64 (protobuf JSON's bytes), so one signature has exactly one entry and the log's
 * de-duplication by leaf hash applies to it. Pure.
 */
import { createHash } from 'node:crypto';
import { SPKI_ED25519_PREFIX } from '../../tlog/note-key.js';
import { decodeStrictBase64, encodeBase64 } from '../base64.js';
import { StatementError } from '../errors.js';
import { firstDuplicateKey } from '../json-duplicates.js';

export const DSSE_KIND = 'dsse';
export const DSSE_API_VERSION = '0.0.2';
const ED25519_PUBLIC_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;
/** An entry with one signature is about 300 bytes; anything far larger is not one of ours. */
const MAX_ENTRY_TEXT = 4096;

/** One signature of a Rekor v2 `dsse` entry, with the Ed25519 key that made it. */
export interface DsseEntry {
  /** SHA-256 of the envelope's payload (not of its PAE: Rekor hashes the payload alone). */
  readonly payloadHash: Buffer;
  /** The 64-byte Ed25519 signature over the envelope's PAE. */
  readonly signature: Buffer;
  /** The signer's raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
}

/** The DER SubjectPublicKeyInfo of a raw Ed25519 public key (RFC 8410 §4). */
export function ed25519Spki(publicKey: Uint8Array): Buffer {
  return Buffer.concat([SPKI_ED25519_PREFIX, publicKey]);
}

/** The entry for one signature over `payload`. */
export function dsseEntryFor(
  payload: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): DsseEntry {
  return {
    payloadHash: createHash('sha256').update(payload).digest(),
    signature: Buffer.from(signature),
    publicKey: Buffer.from(publicKey),
  };
}

/** The entry's canonical bytes: the log entry, and a Sigstore bundle's `canonicalizedBody`. */
export function formatDsseEntry(entry: DsseEntry): Buffer {
  // Written by hand rather than with JSON.stringify of an object: the order of keys is part of
  // the leaf hash, and must not depend on how an object happened to be built.
  const text =
    `{"apiVersion":"${DSSE_API_VERSION}","kind":"${DSSE_KIND}","spec":{"dsseV002":{` +
    `"payloadHash":{"algorithm":"SHA2_256","digest":"${encodeBase64(entry.payloadHash)}"},` +
    `"signatures":[{"content":"${encodeBase64(entry.signature)}",` +
    `"verifier":{"keyDetails":"PKIX_ED25519","publicKey":{"rawBytes":"${encodeBase64(ed25519Spki(entry.publicKey))}"}}}]}}}`;
  return Buffer.from(text, 'utf8');
}

/**
 * Reads a canonicalized body as nospy writes it: exactly one Ed25519 signature, and nothing but
 * the canonical bytes (parsed fields are written again and compared), so that what a nospy
 * verifier judges is what a Sigstore verifier hashes. Throws STATEMENT_BUNDLE_INVALID naming the
 * field.
 */
export function parseDsseEntry(bytes: Uint8Array): DsseEntry {
  if (bytes.length > MAX_ENTRY_TEXT) {
    throw invalid('canonicalizedBody', `is ${bytes.length} bytes, more than ${MAX_ENTRY_TEXT}`);
  }
  const text = Buffer.from(bytes).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid('canonicalizedBody', `is not JSON: ${(error as Error).message}`);
  }
  if (firstDuplicateKey(text) !== undefined) {
    throw invalid('canonicalizedBody', 'repeats a field');
  }
  const body = json as {
    apiVersion?: unknown;
    kind?: unknown;
    spec?: { dsseV002?: { payloadHash?: { digest?: unknown }; signatures?: unknown } };
  };
  if (body.kind !== DSSE_KIND || body.apiVersion !== DSSE_API_VERSION) {
    throw invalid('canonicalizedBody', `is not a ${DSSE_KIND} ${DSSE_API_VERSION} entry`);
  }
  const spec = body.spec?.dsseV002;
  const signatures = spec?.signatures;
  if (!Array.isArray(signatures) || signatures.length !== 1) {
    throw invalid('canonicalizedBody.spec.dsseV002.signatures', 'must hold exactly one signature');
  }
  const [first] = signatures as [
    { content?: unknown; verifier?: { publicKey?: { rawBytes?: unknown } } },
  ];
  const payloadHash = bytesOf(spec?.payloadHash?.digest, 32, 'payloadHash.digest');
  const signature = bytesOf(first.content, ED25519_SIGNATURE_BYTES, 'signatures[0].content');
  const spki = bytesOf(
    first.verifier?.publicKey?.rawBytes,
    SPKI_ED25519_PREFIX.length + ED25519_PUBLIC_KEY_BYTES,
    'signatures[0].verifier.publicKey.rawBytes',
  );
  if (!spki.subarray(0, SPKI_ED25519_PREFIX.length).equals(SPKI_ED25519_PREFIX)) {
    throw invalid(
      'canonicalizedBody.spec.dsseV002.signatures[0].verifier.publicKey.rawBytes',
      'is not an Ed25519 SubjectPublicKeyInfo',
    );
  }
  const entry: DsseEntry = {
    payloadHash,
    signature,
    publicKey: spki.subarray(SPKI_ED25519_PREFIX.length),
  };
  if (!formatDsseEntry(entry).equals(Buffer.from(bytes))) {
    throw invalid('canonicalizedBody', 'is not in the canonical form nospy logs');
  }
  return entry;
}

function bytesOf(value: unknown, length: number, where: string): Buffer {
  const field = `canonicalizedBody.spec.dsseV002.${where}`;
  if (typeof value !== 'string') throw invalid(field, 'must be base64 text');
  const decoded = decodeStrictBase64(value);
  if ('reason' in decoded) throw invalid(field, decoded.reason);
  if (decoded.bytes.length !== length) {
    throw invalid(field, `is ${decoded.bytes.length} bytes, not ${length}`);
  }
  return decoded.bytes;
}

function invalid(where: string, message: string): StatementError {
  return new StatementError('STATEMENT_BUNDLE_INVALID', `Sigstore bundle: ${where} ${message}`, {
    where,
  });
}
