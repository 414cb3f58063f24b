/**
 * Offline inclusion proofs, c2sp.org/tlog-proof@v1:
 *   c2sp.org/tlog-proof@v1\n [extra <base64>\n] index <n>\n <base64 hash>\n* \n <signed checkpoint>
 * Self-contained: verified against a log key and a witness policy with no network access.
 */
import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import { TlogError } from './errors.js';
import { HASH_SIZE, leafHash as hashLeaf } from './hash.js';
import type { NoteVerifier } from './note-key.js';
import { MAX_NOTE_BYTES } from './note.js';
import { MAX_PROOF_HASHES, verifyInclusion } from './proof.js';
import { decodeBase64Strict } from './signature-line.js';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  readonly index: number;
  /** Inclusion proof, the leaf's sibling first (RFC 6962 §2.1.1). */
  readonly proof: readonly Buffer[];
  /** The signed (possibly cosigned) checkpoint note, verbatim. */
  readonly checkpoint: string;
  /** Opaque, unauthenticated extra data. */
  readonly extra?: Buffer;
}

/** The text of a tlog-proof. */
export function formatTlogProof(bundle: TlogProof): string {
  if (!Number.isSafeInteger(bundle.index) || bundle.index < 0) {
    throw bundleError(`the index must be an integer from 0 to 2^53-1, not ${bundle.index}`);
  }
  if (bundle.proof.length > MAX_PROOF_HASHES)
    throw bundleError(`a proof has at most ${MAX_PROOF_HASHES} hashes`);
  let text = `${TLOG_PROOF_HEADER}\n`;
  if (bundle.extra !== undefined) text += `extra ${bundle.extra.toString('base64')}\n`;
  text += `index ${bundle.index}\n`;
  for (const hash of bundle.proof) {
    if (hash.length !== HASH_SIZE)
      throw bundleError(`a proof hash is ${HASH_SIZE} bytes, not ${hash.length}`);
    text += `${hash.toString('base64')}\n`;
  }
  return `${text}\n${bundle.checkpoint}`;
}

/** Canonical decimal (no sign, no leading zeros); length-capped so Number() stays cheap. */
const DECIMAL = /^(?:0|[1-9][0-9]{0,39})$/;

/** Parses a tlog-proof strictly (TLOG_PROOF_BUNDLE_INVALID naming the line at fault). */
export function parseTlogProof(text: string): TlogProof {
  if (text.length > MAX_NOTE_BYTES + 64 * (MAX_PROOF_HASHES + 2))
    throw bundleError('the proof is too large');
  const split = text.indexOf('\n\n');
  if (split < 0) throw bundleError('there is no empty line before the checkpoint');
  const lines = text.slice(0, split).split('\n');
  const checkpoint = text.slice(split + 2);
  if (lines[0] !== TLOG_PROOF_HEADER) throw bundleError(`line 1 must be "${TLOG_PROOF_HEADER}"`);
  let at = 1;
  let extra: Buffer | undefined;
  const extraLine = lines[at];
  if (extraLine?.startsWith('extra ') === true) {
    extra = decodeBase64Strict(extraLine.slice('extra '.length));
    if (extra === undefined) throw bundleError(`line ${at + 1}: the extra data is not base64`);
    at += 1;
  }
  const indexLine = lines[at];
  if (indexLine?.startsWith('index ') !== true)
    throw bundleError(`line ${at + 1} must be "index <n>"`);
  const digits = indexLine.slice('index '.length);
  if (!DECIMAL.test(digits) || !Number.isSafeInteger(Number(digits))) {
    throw bundleError(
      `line ${at + 1}: the index "${digits.slice(0, 24)}" is not a decimal from 0 to 2^53-1`,
    );
  }
  at += 1;
  const hashLines = lines.slice(at);
  if (hashLines.length > MAX_PROOF_HASHES)
    throw bundleError(`a proof has at most ${MAX_PROOF_HASHES} hashes`);
  const proof = hashLines.map((line, i) => {
    const hash = decodeBase64Strict(line);
    if (hash?.length !== HASH_SIZE)
      throw bundleError(`line ${at + i + 1} is not a base64 SHA-256 hash`);
    return hash;
  });
  if (checkpoint.length === 0) throw bundleError('the checkpoint is missing');
  return extra === undefined
    ? { index: Number(digits), proof, checkpoint }
    : { index: Number(digits), proof, checkpoint, extra };
}

/**
 * Verifies a tlog-proof for an entry (or its leaf hash): the checkpoint's log signature and
 * witness quorum, then the inclusion proof against its root.
 */
export function verifyTlogProof(
  text: string,
  leaf: { readonly entry: Uint8Array } | { readonly leafHash: Uint8Array },
  logVerifier: NoteVerifier,
  policy: { readonly witnesses?: readonly NoteVerifier[]; readonly quorum?: number } = {},
): { index: number; checkpoint: Checkpoint; extra?: Buffer } {
  const bundle = parseTlogProof(text);
  const { checkpoint } = openCheckpoint(bundle.checkpoint, logVerifier, policy);
  const hash = 'entry' in leaf ? hashLeaf(leaf.entry) : leaf.leafHash;
  verifyInclusion(hash, bundle.index, checkpoint.size, bundle.proof, checkpoint.rootHash);
  return bundle.extra === undefined
    ? { index: bundle.index, checkpoint }
    : { index: bundle.index, checkpoint, extra: bundle.extra };
}

function bundleError(message: string): TlogError {
  return new TlogError('TLOG_PROOF_BUNDLE_INVALID', `invalid tlog-proof: ${message}`);
}
