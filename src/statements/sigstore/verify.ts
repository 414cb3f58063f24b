/**
 * `nospy verify` of a Sigstore bundle: everything a Sigstore verifier checks, and what only nospy
 * can — the statement under the trust file (schema, signing rules, validity) and the witness
 * quorum. Reported as an evidence bundle's checks, so one output serves both formats. Pure: the
 * trust and the time are handed in.
 */
import { createHash } from 'node:crypto';
import { errorText } from '../../errors/error-text.js';
import type { Checkpoint } from '../../tlog/checkpoint.js';
import { leafHash } from '../../tlog/hash.js';
import { keyHandle } from '../../tlog/note-key.js';
import { verifyInclusion } from '../../tlog/proof.js';
import { judgeCheckpoint, type BundleCheck, type BundleVerification } from '../bundle.js';
import { preAuthEncoding } from '../dsse.js';
import { partyKeys, type Trust } from '../trust.js';
import { verifyStatement } from '../verify.js';
import type { SigstoreBundle } from './bundle.js';
import { parseDsseEntry } from './rekor-dsse.js';

/**
 * Verifies a Sigstore bundle against a trust file, offline. Every check runs and is reported:
 * the statement checks of `verifyStatement` (a bundle carries one signature, so a statement that
 * needs two signers fails `signer` here: verify its evidence bundle for that), `sigstore-entry`
 * (the log entry is the Rekor `dsse` entry of this envelope's one signature, by a trusted key
 * whose handle is the bundle's hint), the checkpoint and witness quorum, and `inclusion`.
 */
export function verifySigstoreBundle(
  bundle: SigstoreBundle,
  trust: Trust,
  options: { readonly now: Date },
): BundleVerification {
  const statement = verifyStatement(bundle.envelope, trust, options);
  const checks: BundleCheck[] = statement.checks.map(({ id, status, message }) => ({
    id,
    status,
    message,
  }));
  checks.push(entryCheck(bundle, trust));
  checks.push({
    id: 'proof-format',
    status: 'pass',
    message: `an inclusion proof for leaf ${bundle.proof.index}`,
  });
  const judged = judgeCheckpoint(bundle.proof.checkpoint, trust);
  checks.push(...judged.checks);
  const checkpoint: Checkpoint | undefined = judged.checkpoint;
  if (checkpoint !== undefined) {
    const { index, proof } = bundle.proof;
    try {
      verifyInclusion(leafHash(bundle.entry), index, checkpoint.size, proof, checkpoint.rootHash);
      checks.push({
        id: 'inclusion',
        status: 'pass',
        message: `the Sigstore entry is leaf ${index} of the log's tree of ${checkpoint.size}`,
      });
    } catch (error) {
      checks.push({
        id: 'inclusion',
        status: 'fail',
        message: `the Sigstore entry is not proven to be leaf ${index}: ${errorText(error)}`,
      });
    }
  }
  return {
    valid: checks.every((c) => c.status !== 'fail'),
    index: bundle.proof.index,
    predicate: statement.predicate,
    checkpoint,
    checks,
  };
}

function entryCheck(bundle: SigstoreBundle, trust: Trust): BundleCheck {
  const fail = (message: string): BundleCheck => ({
    id: 'sigstore-entry',
    status: 'fail',
    message,
  });
  let entry;
  try {
    entry = parseDsseEntry(bundle.entry);
  } catch (error) {
    return fail(errorText(error));
  }
  const { envelope } = bundle;
  const [signature] = envelope.signatures;
  const payloadHash = createHash('sha256').update(envelope.payload).digest();
  if (!entry.payloadHash.equals(payloadHash)) {
    return fail("the log entry's payload hash is not the envelope payload's");
  }
  if (signature === undefined || !entry.signature.equals(signature.sig)) {
    return fail("the log entry's signature is not the envelope's");
  }
  const key = partyKeys(trust).find((k) => k.publicKey.equals(entry.publicKey));
  if (key === undefined) return fail("the log entry's key is not a key of the trust file");
  if (keyHandle(key) !== bundle.hint) {
    return fail(`the log entry's key is ${keyHandle(key)}, but the bundle names ${bundle.hint}`);
  }
  if (!key.verify(preAuthEncoding(envelope.payloadType, envelope.payload), entry.signature)) {
    return fail(`the signature does not verify under ${keyHandle(key)}, the key the entry names`);
  }
  return {
    id: 'sigstore-entry',
    status: 'pass',
    message: `the log entry is the Rekor dsse 0.0.2 entry of the envelope's signature by ${keyHandle(key)}`,
  };
}
