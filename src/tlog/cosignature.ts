/**
 * Witness cosignatures, cosignature/v1 (c2sp.org/tlog-cosignature, v1.0.1): an Ed25519 signature by
 * a type 0x04 key over
 *   "cosignature/v1\n" "time " <decimal unix seconds> "\n" <checkpoint note text>
 * carried in a note signature line as base64(key ID[4] || u64be timestamp || signature[64]).
 */
import { TlogError } from './errors.js';
import {
  KEY_TYPE_COSIGNATURE_V1,
  keyHandle,
  type NoteSigner,
  type NoteVerifier,
} from './note-key.js';
import { formatSignatureLine, parseSignatureLine, type NoteSignature } from './signature-line.js';

/** Bytes after the key ID in a cosignature/v1 signature: timestamp and Ed25519 signature. */
export const COSIGNATURE_V1_BYTES = 8 + 64;

/** The exact message a cosignature/v1 signature covers. */
export function cosignatureMessage(checkpointText: string, timestamp: number): Buffer {
  checkTimestamp(timestamp);
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

/**
 * One signature line (ending in a newline) cosigning `checkpointText` at `timestamp` (unix
 * seconds), to append to the checkpoint's signed note.
 */
export function cosign(checkpointText: string, witness: NoteSigner, timestamp: number): string {
  if (witness.type !== KEY_TYPE_COSIGNATURE_V1) {
    throw new TlogError(
      'TLOG_KEY_INVALID',
      `witness key ${witness.name} is type 0x${witness.type.toString(16).padStart(2, '0')}, a cosignature needs type 0x04`,
      { where: witness.name },
    );
  }
  const signature = witness.sign(cosignatureMessage(checkpointText, timestamp));
  const bytes = Buffer.alloc(COSIGNATURE_V1_BYTES);
  bytes.writeBigUInt64BE(BigInt(timestamp), 0);
  bytes.set(signature, 8);
  return formatSignatureLine(witness.name, witness.keyId, bytes);
}

/**
 * Verifies the signature bytes of a cosignature/v1 line (after the key ID) over `checkpointText`
 * and returns the timestamp it carries. Throws TLOG_SIGNATURE_INVALID when it does not verify.
 */
export function verifyCosignature(
  checkpointText: string,
  witness: NoteVerifier,
  signature: Uint8Array,
): number {
  const where = witness.name;
  if (witness.type !== KEY_TYPE_COSIGNATURE_V1) {
    throw signatureError(`key ${witness.vkey} is not a cosignature/v1 (0x04) key`, where);
  }
  if (signature.length !== COSIGNATURE_V1_BYTES) {
    throw signatureError(
      `cosignature by ${witness.name} is ${signature.length} bytes, cosignature/v1 has ${COSIGNATURE_V1_BYTES}`,
      where,
    );
  }
  const raw = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);
  const big = raw.readBigUInt64BE(0);
  // The spec allows up to 2^63-1; a timestamp past 2^53 seconds is hundreds of millions of years
  // away, so treating it as invalid costs nothing and keeps timestamps exact numbers.
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw signatureError(
      `cosignature by ${witness.name} has an impossible timestamp ${big}`,
      where,
    );
  }
  const timestamp = Number(big);
  if (!witness.verify(cosignatureMessage(checkpointText, timestamp), raw.subarray(8))) {
    throw signatureError(`cosignature by ${keyHandle(witness)} does not verify`, where);
  }
  return timestamp;
}

/**
 * Parses a witness's add-checkpoint response body (c2sp.org/tlog-witness): one or more signature
 * lines, each ending in a newline.
 */
export function parseCosignatureLines(body: string): NoteSignature[] {
  if (body.length === 0 || !body.endsWith('\n')) {
    throw new TlogError(
      'TLOG_NOTE_INVALID',
      'a cosignature response is signature lines ending in a newline',
    );
  }
  const lines = body.slice(0, -1).split('\n');
  if (lines.length > 100) {
    throw new TlogError(
      'TLOG_NOTE_INVALID',
      `a cosignature response has ${lines.length} lines, at most 100`,
    );
  }
  return lines.map((line, i) => parseSignatureLine(line, `cosignature line ${i + 1}`));
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TlogError(
      'TLOG_SIGNATURE_INVALID',
      `a cosignature timestamp is a whole number of seconds from 0 to 2^53-1, not ${timestamp}`,
    );
  }
}

function signatureError(message: string, where: string): TlogError {
  return new TlogError('TLOG_SIGNATURE_INVALID', message, { where });
}
