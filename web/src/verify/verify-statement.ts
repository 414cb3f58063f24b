/**
 * The statement step of an entry's verification: the DSSE signatures of the envelope the entry
 * holds, against the signer keys the user trusts, each reported as a step.
 */
import { parseEnvelope, verifyEnvelopeSignatures } from './dsse.js';
import type { VerifierKey } from './note-key.js';
import { sourceWords, type Step } from './step.js';
import type { SignerKey, Trust } from './trust.js';

/** Who signed the statement, or why no one was checked. */
export type StatementSigners = readonly SignerKey[] | 'not-a-statement' | 'no-keys';

/** The DSSE signatures of the statement the entry holds; returns who signed it. */
export async function checkStatement(
  entry: Uint8Array,
  keys: readonly SignerKey[],
  trust: Trust,
  step: (s: Step) => void,
): Promise<StatementSigners> {
  const envelope = parseEnvelope(entry);
  if (envelope === undefined) {
    step({
      what: 'Statement signatures',
      status: 'skip',
      detail: 'the entry is not a DSSE envelope: there are no statement signatures to check',
    });
    return 'not-a-statement';
  }
  if (keys.length === 0) {
    step({
      what: 'Statement signatures (DSSE)',
      status: trust.source === 'server' ? 'warn' : 'skip',
      detail: `NOT CHECKED: ${trust.source === 'server' ? 'the server supplies no signer keys and you gave none' : `${trust.label} holds no statement signer keys`}`,
    });
    return 'no-keys';
  }
  const signers: SignerKey[] = [];
  for (const outcome of await verifyEnvelopeSignatures(
    envelope,
    keys.map((k) => k.key),
  )) {
    const what = `Checked statement signature ${String(outcome.index)} (DSSE, Ed25519 over PAE)`;
    if (outcome.status === 'unknown-key') {
      step({
        what,
        status: 'skip',
        detail: `by "${outcome.keyid || '(no keyid)'}", not a key ${trust.label} trusts`,
      });
      continue;
    }
    const signer = keys.find((k) => k.key === outcome.key);
    const who = describeSigner(signer, outcome.key);
    const keyUse = { handle: outcome.key.handle, source: trust.source };
    if (outcome.status === 'verified') {
      if (signer !== undefined) signers.push(signer);
      step({
        what,
        status: 'ok',
        detail: `signed by ${who} (${sourceWords(trust.source)})`,
        key: keyUse,
      });
    } else if (outcome.status === 'invalid') {
      step({
        what,
        status: 'bad',
        detail: `the statement signature by ${who} (${sourceWords(trust.source)}) fails: the payload, its type or the signature was altered`,
        key: keyUse,
      });
    } else {
      step({
        what,
        status: 'bad',
        detail: `a second signature by ${who}: each key signs once`,
        key: keyUse,
      });
    }
  }
  if (signers.length === 0) {
    step({
      what: 'Statement signers',
      status: 'bad',
      detail: `no signature of the statement verifies with a key of ${trust.label}`,
    });
  }
  return signers;
}

/** A signer in words: its party and role when the trust file names them. */
export function describeSigner(signer: SignerKey | undefined, key: VerifierKey): string {
  if (signer?.party === undefined) return key.handle;
  return `${signer.party} (${signer.role ?? 'party'}, ${key.handle})`;
}
