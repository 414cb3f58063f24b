/**
 * The Sigstore entries of a logged statement: one Rekor v2 `dsse` entry per signature of its
 * canonical envelope (rekor-dsse.ts), appended in the same batch as the envelope. A Sigstore
 * verifier checks one signature per bundle, so a statement signed by two parties has two entries,
 * each provable on its own. Pure: the keys come from the canonical envelope, which found them in
 * the trust file.
 */
import { parseVerifierKey } from '../../tlog/note-key.js';
import type { CanonicalEnvelope } from '../canonical.js';
import { dsseEntryFor, formatDsseEntry } from './rekor-dsse.js';

export interface StatementSigstoreEntry {
  /** The key handle of the signature's signer (`name+hash`): the bundle's key hint. */
  readonly keyid: string;
  /** The canonical Rekor `dsse` entry: the log entry. */
  readonly entry: Buffer;
}

/** One entry per signature of `canonical`, in signature order. */
export function sigstoreEntriesOf(canonical: CanonicalEnvelope): StatementSigstoreEntry[] {
  const { envelope, signers } = canonical;
  return envelope.signatures.map((signature, i) => {
    const vkey = signers[i];
    // canonicalEnvelope gives every signature its signer; a gap is a bug, not bad input.
    if (vkey === undefined) throw new Error(`signature ${i} of a canonical envelope has no signer`);
    return {
      keyid: signature.keyid,
      entry: formatDsseEntry(dsseEntryFor(envelope.payload, signature.sig, publicKeyOf(vkey))),
    };
  });
}

/** Signers are few (the trust file's keys): each key's bytes are parsed once, not per entry. */
const publicKeys = new Map<string, Buffer>();
const MAX_REMEMBERED_KEYS = 1024;

function publicKeyOf(vkey: string): Buffer {
  let key = publicKeys.get(vkey);
  if (key === undefined) {
    key = parseVerifierKey(vkey).publicKey;
    if (publicKeys.size >= MAX_REMEMBERED_KEYS) publicKeys.clear();
    publicKeys.set(vkey, key);
  }
  return key;
}
