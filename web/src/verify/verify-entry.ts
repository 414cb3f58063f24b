/**
 * Verifies one log entry in the browser against keys the caller hands in, step by step: the
 * checkpoint's log signature, every witness cosignature and the quorum, the entry's inclusion in
 * that checkpoint, and the DSSE signatures of the statement it holds. The server is only a
 * `LogReader` of untrusted bytes; no key is ever taken from what it serves.
 */
import { hex, sameBytes } from './bytes.js';
import { parseSignedCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { verifyCosignature, verifyLogSignature } from './checkpoint-signatures.js';
import { parseEnvelope, verifyEnvelopeSignatures } from './dsse.js';
import {
  entryTilePath,
  leafHash,
  parseProof,
  rootFromInclusion,
  splitEntryBundle,
} from './inclusion.js';
import type { VerifierKey } from './note-key.js';
import { logKeyFor, statementKeys, type KeySource, type SignerKey, type Trust } from './trust.js';

/** Where the untrusted material comes from (the server's tlog-proof and tlog-tiles endpoints). */
export interface LogReader {
  proof(index: number): Promise<string>;
  tile(path: string): Promise<Uint8Array>;
}

export type StepStatus = 'ok' | 'bad' | 'warn' | 'skip';

export interface Step {
  readonly what: string;
  readonly status: StepStatus;
  readonly detail: string;
  /** The key the step checked against, and who supplied it. */
  readonly key?: { readonly handle: string; readonly source: KeySource };
}

export interface Verdict {
  readonly verified: boolean;
  /** True only when every key used came from the user, none from the server under test. */
  readonly independent: boolean;
  /** The verdict in plain words. */
  readonly text: string;
}

/** How a key's origin is said beside its name. */
export function sourceWords(source: KeySource): string {
  return source === 'user' ? 'your key' : "the server's own key, not independent";
}

/** Verifies entry `index`; `report` sees each step as it is done. Never throws. */
export async function verifyEntry(
  index: number,
  trust: Trust,
  reader: LogReader,
  report: (step: Step) => void,
): Promise<Verdict> {
  const independent = trust.source === 'user';
  const failures: string[] = [];
  const step = (s: Step): void => {
    if (s.status === 'bad') failures.push(s.detail);
    report(s);
  };
  const fail = (reason: string): Verdict => ({
    verified: false,
    independent,
    text: `NOT VERIFIED: ${reason}${independent ? '' : ' (checked against the server’s own key: NOT INDEPENDENT)'}`,
  });
  step({
    what: 'Keys',
    status: independent ? 'ok' : 'warn',
    detail: independent
      ? `verifying against ${trust.label}`
      : `NOT INDEPENDENT: verifying against ${trust.label}; the server under test vouches for itself`,
  });
  try {
    const proof = parseProof(await reader.proof(index));
    step({
      what: 'Fetched the inclusion proof',
      status: proof.index === index ? 'ok' : 'bad',
      detail:
        proof.index === index
          ? `index ${String(proof.index)}, ${String(proof.hashes.length)} hashes`
          : `the proof is for index ${String(proof.index)}, not ${String(index)}`,
    });
    const checkpoint = parseSignedCheckpoint(proof.checkpoint);
    step({
      what: 'Parsed the checkpoint',
      status: 'ok',
      detail: `${checkpoint.origin}, size ${String(checkpoint.size)}`,
    });
    const witnessed = await checkCheckpoint(checkpoint, trust, step);
    if (witnessed === undefined) return fail(failures[0] ?? 'no log key');

    const entry = await checkInclusion(index, proof.hashes, checkpoint, reader, step);
    const signers = await checkStatement(
      entry,
      statementKeys(trust, witnessed.logKey),
      trust,
      step,
    );
    if (failures.length > 0) return fail(failures[0] ?? '');
    return {
      verified: true,
      independent,
      text: successText(index, checkpoint, trust, witnessed, signers),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    step({ what: 'Stopped', status: 'bad', detail: reason });
    return fail(failures[0] ?? reason);
  }
}

interface Witnessed {
  readonly logKey: VerifierKey;
  readonly cosigned: readonly VerifierKey[];
}

/** The log signature, each trusted witness's cosignature and the quorum. */
async function checkCheckpoint(
  checkpoint: SignedCheckpoint,
  trust: Trust,
  step: (s: Step) => void,
): Promise<Witnessed | undefined> {
  const found = logKeyFor(trust, checkpoint.origin);
  if ('problem' in found) {
    step({ what: 'Found the log key', status: 'bad', detail: found.problem });
    return undefined;
  }
  const logKey = found.key;
  const source = trust.source;
  const keyUse = { handle: logKey.handle, source };
  const signed = await verifyLogSignature(checkpoint, logKey);
  step({
    what: "Checked the log's signature on the checkpoint (Ed25519)",
    status: signed.status === 'verified' ? 'ok' : 'bad',
    detail:
      signed.status === 'verified'
        ? `signed by the log key ${logKey.handle} (${sourceWords(source)})`
        : signed.status === 'missing'
          ? `the checkpoint carries no signature by the log key ${logKey.handle} (${sourceWords(source)}), from ${trust.label}`
          : `the signature by the log key ${logKey.handle} (${sourceWords(source)}) fails: ${signed.reason}`,
    key: keyUse,
  });

  const cosigned: VerifierKey[] = [];
  for (const witness of trust.witnesses.keys) {
    const outcome = await verifyCosignature(checkpoint, witness);
    if (outcome.status === 'verified') cosigned.push(witness);
    step({
      what: `Checked the cosignature of witness ${witness.name} (cosignature/v1)`,
      status: outcome.status === 'verified' ? 'ok' : outcome.status === 'missing' ? 'skip' : 'bad',
      detail:
        outcome.status === 'verified'
          ? `cosigned by ${witness.handle} (${sourceWords(source)}) at ${new Date((outcome.timestamp ?? 0) * 1000).toISOString()}`
          : outcome.status === 'missing'
            ? `the checkpoint carries no cosignature by ${witness.handle}`
            : `the cosignature by witness ${witness.handle} fails: ${outcome.reason}`,
      key: { handle: witness.handle, source },
    });
  }
  const trusted = [logKey, ...trust.witnesses.keys];
  const others = checkpoint.signatures.filter(
    (s) => !trusted.some((k) => k.name === s.name && k.keyId === s.keyId),
  );
  if (others.length > 0) {
    step({
      what: 'Ignored signatures by keys you do not trust',
      status: 'skip',
      detail: others.map((s) => s.name).join(', '),
    });
  }

  const { quorum, keys } = trust.witnesses;
  if (trust.source === 'server') {
    step({
      what: 'Witness quorum',
      status: 'warn',
      detail:
        'NOT CHECKED: the server supplies no witness keys and you gave none, so nothing shows that anyone but the server saw this checkpoint',
    });
  } else if (keys.length === 0) {
    step({
      what: 'Witness quorum',
      status: 'skip',
      detail: `${trust.label} names no witnesses: no cosignature is required`,
    });
  } else {
    const missing = keys.filter((k) => !cosigned.includes(k)).map((k) => k.handle);
    step({
      what: 'Witness quorum',
      status: cosigned.length >= quorum ? 'ok' : 'bad',
      detail:
        cosigned.length >= quorum
          ? `${String(cosigned.length)} of ${String(keys.length)} witnesses cosigned; the quorum is ${String(quorum)}`
          : `the witness quorum is not met: ${String(cosigned.length)} of ${String(keys.length)} witnesses cosigned the checkpoint, ${trust.label} demands a quorum of ${String(quorum)} (no valid cosignature by ${missing.join(', ')})`,
    });
  }
  return { logKey, cosigned };
}

/** The entry from its data tile, its leaf hash, and the root the proof leads to. */
async function checkInclusion(
  index: number,
  hashes: readonly Uint8Array[],
  checkpoint: SignedCheckpoint,
  reader: LogReader,
  step: (s: Step) => void,
): Promise<Uint8Array> {
  if (index >= checkpoint.size) {
    throw new Error(
      `entry ${String(index)} is not in the checkpoint of size ${String(checkpoint.size)}`,
    );
  }
  const tile = await reader.tile(entryTilePath(index, checkpoint.size));
  const entry = splitEntryBundle(tile)[index % 256];
  if (entry === undefined) throw new Error(`the data tile has no entry ${String(index)}`);
  step({
    what: 'Fetched the entry from its data tile',
    status: 'ok',
    detail: `${String(entry.length)} bytes`,
  });
  const leaf = await leafHash(entry);
  step({ what: 'Computed the leaf hash SHA-256(0x00 ‖ entry)', status: 'ok', detail: hex(leaf) });
  const root = await rootFromInclusion(index, checkpoint.size, leaf, hashes);
  const same = root !== undefined && sameBytes(root, checkpoint.root);
  step({
    what: 'Recomputed the root from the inclusion proof',
    status: same ? 'ok' : 'bad',
    detail:
      root === undefined
        ? 'the inclusion proof has the wrong length'
        : same
          ? `${hex(root)} = the checkpoint's root`
          : `the inclusion proof fails: ${hex(root)} ≠ the checkpoint's root ${hex(checkpoint.root)}`,
  });
  return entry;
}

/** The DSSE signatures of the statement the entry holds; returns who signed it. */
async function checkStatement(
  entry: Uint8Array,
  keys: readonly SignerKey[],
  trust: Trust,
  step: (s: Step) => void,
): Promise<readonly SignerKey[] | 'not-a-statement' | 'no-keys'> {
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

function describeSigner(signer: SignerKey | undefined, key: VerifierKey): string {
  if (signer?.party === undefined) return key.handle;
  return `${signer.party} (${signer.role ?? 'party'}, ${key.handle})`;
}

function successText(
  index: number,
  checkpoint: SignedCheckpoint,
  trust: Trust,
  witnessed: Witnessed,
  signers: readonly SignerKey[] | 'not-a-statement' | 'no-keys',
): string {
  const { quorum, keys } = trust.witnesses;
  const head = `entry ${String(index)} is in the log ${checkpoint.origin} (checkpoint of size ${String(checkpoint.size)})`;
  const log = `signed by the log key ${witnessed.logKey.handle}`;
  const witnesses =
    keys.length === 0
      ? 'with no witness cosignature checked'
      : `cosigned by ${String(witnessed.cosigned.length)} of ${String(keys.length)} witnesses (${witnessed.cosigned.map((k) => k.handle).join(', ')}; quorum ${String(quorum)})`;
  const statement =
    signers === 'not-a-statement'
      ? 'The entry is not a signed statement.'
      : signers === 'no-keys'
        ? 'The statement signatures were NOT checked (no signer keys).'
        : `The statement is signed by ${signers.map((s) => describeSigner(s, s.key)).join(' and ')}.`;
  if (trust.source === 'user') {
    return `VERIFIED independently: ${head}, ${log}, ${witnesses}. ${statement} Every key came from ${trust.label}, none from the server.`;
  }
  return `VERIFIED, but NOT INDEPENDENT: ${head}, ${log}, which is the key the server itself supplies, ${witnesses}. ${statement} This shows only that the server agrees with itself: give your own keys (a trust file or the log's verifier key) to verify independently.`;
}
