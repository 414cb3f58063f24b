/**
 * The signatures of a checkpoint against keys the caller trusts: the log's Ed25519 note signature
 * (c2sp.org/signed-note) and each witness's cosignature/v1 (c2sp.org/tlog-cosignature v1.0.1:
 * Ed25519 by a type 0x04 key over "cosignature/v1\ntime <t>\n" ‖ checkpoint text, carried as
 * key ID[4] ‖ u64be timestamp ‖ signature[64]).
 */
import { utf8 } from './bytes.js';
import type { SignatureLine, SignedCheckpoint } from './checkpoint.js';
import { verifyEd25519, type VerifierKey } from './note-key.js';

export type SignatureOutcome =
  | { readonly status: 'verified'; readonly timestamp?: number }
  | { readonly status: 'missing' }
  | { readonly status: 'invalid'; readonly reason: string };

/** A line is by a key when it carries the key's name and key ID (c2sp.org/signed-note). */
function linesBy(checkpoint: SignedCheckpoint, key: VerifierKey): SignatureLine[] {
  return checkpoint.signatures.filter((s) => s.name === key.name && s.keyId === key.keyId);
}

/** The log's signature over the checkpoint text by `key`. */
export async function verifyLogSignature(
  checkpoint: SignedCheckpoint,
  key: VerifierKey,
): Promise<SignatureOutcome> {
  const lines = linesBy(checkpoint, key);
  if (lines.length === 0) return { status: 'missing' };
  const message = utf8.encode(checkpoint.text);
  for (const line of lines) {
    // A second line under the same key that does not verify is tampering, not noise.
    if (!(await verifyEd25519(key, message, line.bytes))) {
      return { status: 'invalid', reason: 'the signature does not verify over the checkpoint' };
    }
  }
  return { status: 'verified' };
}

/** `witness`'s cosignature of the checkpoint, with the time it carries. */
export async function verifyCosignature(
  checkpoint: SignedCheckpoint,
  witness: VerifierKey,
): Promise<SignatureOutcome> {
  const lines = linesBy(checkpoint, witness);
  if (lines.length === 0) return { status: 'missing' };
  let timestamp = 0;
  for (const line of lines) {
    if (line.bytes.length !== 8 + 64) {
      return {
        status: 'invalid',
        reason: `the cosignature is ${String(line.bytes.length)} bytes, cosignature/v1 has 72`,
      };
    }
    const time = new DataView(line.bytes.buffer, line.bytes.byteOffset).getBigUint64(0);
    // Past 2^53 seconds is hundreds of millions of years away: treat it as invalid, as the
    // server does, so that the time stays an exact number.
    if (time > BigInt(Number.MAX_SAFE_INTEGER)) {
      return {
        status: 'invalid',
        reason: `the cosignature carries an impossible time ${String(time)}`,
      };
    }
    timestamp = Number(time);
    const message = utf8.encode(`cosignature/v1\ntime ${String(timestamp)}\n${checkpoint.text}`);
    if (!(await verifyEd25519(witness, message, line.bytes.slice(8)))) {
      return { status: 'invalid', reason: 'the cosignature does not verify over the checkpoint' };
    }
  }
  return { status: 'verified', timestamp };
}
