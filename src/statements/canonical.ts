/**
 * The canonical form of a signed statement, as the log keeps it: only signatures that verify
 * under a key the trust file holds, each `keyid` the handle of the key that verified it (DSSE
 * calls the keyid an unauthenticated hint: the submitter's hint is never stored), one signature
 * per key, sorted by keyid. Two submissions of one statement that differ only in what nobody
 * signed (hints, order) have one canonical form, so they are one log entry. The result is still
 * a plain DSSE envelope: any DSSE verifier checks it.
 */
import type { NoteVerifier } from '../tlog/note-key.js';
import { keyHandle } from '../tlog/note-key.js';
import { preAuthEncoding, type Envelope, type EnvelopeSignature } from './dsse.js';
import { StatementError } from './errors.js';
import { partyKeys, type Trust } from './trust.js';

/** A canonical envelope and the keys its signatures verified under (by key handle). */
export interface CanonicalEnvelope {
  readonly envelope: Envelope;
  /** `vkey` of each signer, in signature order. */
  readonly signers: readonly string[];
}

/**
 * The canonical form of `envelope` under `trust`. Every signature is tried with every trusted
 * key (the hint first: it is only an ordering); a signature that verifies under none is refused
 * with STATEMENT_SIGNATURE_UNTRUSTED, naming it, since the log keeps only what every relying
 * party can check (`untrusted: 'drop'` leaves it out instead: how an entry already in the log is
 * read). A second signature by a key already counted is dropped.
 */
export function canonicalEnvelope(
  envelope: Envelope,
  trust: Trust,
  options: { readonly untrusted: 'refuse' | 'drop' } = { untrusted: 'refuse' },
): CanonicalEnvelope {
  const keys = partyKeys(trust);
  const pae = preAuthEncoding(envelope.payloadType, envelope.payload);
  const byKey = new Map<string, { signature: EnvelopeSignature; key: NoteVerifier }>();
  envelope.signatures.forEach((signature, index) => {
    const hinted = keys.filter((k) => keyHandle(k) === signature.keyid);
    const others = keys.filter((k) => keyHandle(k) !== signature.keyid);
    const key = [...hinted, ...others].find((k) => k.verify(pae, signature.sig));
    if (key === undefined && options.untrusted === 'drop') return;
    if (key === undefined) {
      throw new StatementError(
        'STATEMENT_SIGNATURE_UNTRUSTED',
        `signature ${index} (keyid "${signature.keyid.slice(0, 80)}") verifies under no key of the trust file: the log keeps only signatures every relying party can check; remove it and submit again`,
        { where: `signatures[${index}]` },
      );
    }
    if (!byKey.has(key.vkey)) byKey.set(key.vkey, { signature, key });
  });
  return canonicalOf(envelope, [...byKey.values()]);
}

/**
 * The canonical envelope holding the signatures of both (each already canonical, over one
 * payload): a late countersignature joined to what the log already holds.
 */
export function mergeCanonical(a: CanonicalEnvelope, b: CanonicalEnvelope): CanonicalEnvelope {
  const signers = new Map<string, EnvelopeSignature>();
  a.envelope.signatures.forEach((s, i) => signers.set(a.signers[i] ?? '', s));
  b.envelope.signatures.forEach((s, i) => {
    const vkey = b.signers[i] ?? '';
    if (!signers.has(vkey)) signers.set(vkey, s);
  });
  const signatures = [...signers.entries()]
    .map(([vkey, signature]) => ({ vkey, signature }))
    .sort((x, y) => compareSignatures(x, y));
  return {
    envelope: { ...a.envelope, signatures: signatures.map((s) => s.signature) },
    signers: signatures.map((s) => s.vkey),
  };
}

/** Whether every signer of `part` also signed `whole`. */
export function signedWithin(part: CanonicalEnvelope, whole: CanonicalEnvelope): boolean {
  const all = new Set(whole.signers);
  return part.signers.every((s) => all.has(s));
}

function canonicalOf(
  envelope: Envelope,
  verified: readonly { readonly signature: EnvelopeSignature; readonly key: NoteVerifier }[],
): CanonicalEnvelope {
  const signatures = verified
    .map(({ signature, key }) => ({
      vkey: key.vkey,
      signature: { keyid: keyHandle(key), sig: signature.sig },
    }))
    .sort((x, y) => compareSignatures(x, y));
  return {
    envelope: {
      payloadType: envelope.payloadType,
      payload: envelope.payload,
      signatures: signatures.map((s) => s.signature),
    },
    signers: signatures.map((s) => s.vkey),
  };
}

/** By keyid, then (two keys may share a handle) by the key itself: a total order. */
function compareSignatures(
  a: { readonly vkey: string; readonly signature: EnvelopeSignature },
  b: { readonly vkey: string; readonly signature: EnvelopeSignature },
): number {
  const byKeyid = compareText(a.signature.keyid, b.signature.keyid);
  return byKeyid !== 0 ? byKeyid : compareText(a.vkey, b.vkey);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An entry already in the log that holds the submitted payload, read canonically. */
export interface LoggedVersion {
  readonly index: number;
  readonly canonical: CanonicalEnvelope;
}

/** Where a submission goes: answered with an entry already logged, or appended. */
export type Placement =
  | { readonly kind: 'logged'; readonly index: number }
  | {
      readonly kind: 'append';
      readonly canonical: CanonicalEnvelope;
      /** The entry the new one extends with more signatures (the newest of the payload). */
      readonly extends?: number;
    };

/**
 * De-duplication on the signed payload. A submission whose signers all signed an entry already
 * logged for the payload is that entry (the newest such); one that adds a signer is appended,
 * joined with the newest entry's signatures so that no signature already logged is dropped: the
 * newest entry of a payload always holds every signature logged for it.
 */
export function placeSubmission(
  submitted: CanonicalEnvelope,
  logged: readonly LoggedVersion[],
): Placement {
  const newestFirst = [...logged].sort((a, b) => b.index - a.index);
  const covering = newestFirst.find((v) => signedWithin(submitted, v.canonical));
  if (covering !== undefined) return { kind: 'logged', index: covering.index };
  const newest = newestFirst[0];
  if (newest === undefined) return { kind: 'append', canonical: submitted };
  return {
    kind: 'append',
    canonical: mergeCanonical(newest.canonical, submitted),
    extends: newest.index,
  };
}
