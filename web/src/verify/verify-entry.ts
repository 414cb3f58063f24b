/**
 * Verifies one log entry in the browser against keys the caller hands in, step by step: the
 * checkpoint's log signature, every witness cosignature and the quorum, the entry's inclusion in
 * that checkpoint, and the DSSE signatures of the statement it holds. The server is only a
 * `LogReader` of untrusted bytes; no key is ever taken from what it serves.
 */
import { hex, sameBytes } from './bytes.js';
import { parseSignedCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import {
  entryTilePath,
  leafHash,
  parseProof,
  rootFromInclusion,
  splitEntryBundle,
} from './inclusion.js';
import type { Step } from './step.js';
import { statementKeys, type Trust } from './trust.js';
import { checkCheckpoint, type Witnessed } from './verify-checkpoint.js';
import { checkStatement, describeSigner, type StatementSigners } from './verify-statement.js';

export type { Step, StepStatus } from './step.js';

/** Where the untrusted material comes from (the server's tlog-proof and tlog-tiles endpoints). */
export interface LogReader {
  proof(index: number): Promise<string>;
  tile(path: string): Promise<Uint8Array>;
}

export interface Verdict {
  readonly verified: boolean;
  /** True only when every key used came from the user, none from the server under test. */
  readonly independent: boolean;
  /** The verdict in plain words. */
  readonly text: string;
}

/**
 * A verification with what it read: the entry's bytes once they were proved included in the
 * checkpoint (never bytes the proof did not cover), that checkpoint and who signed the statement.
 */
export interface EntryVerification {
  readonly verdict: Verdict;
  /** Present only when the inclusion proof led to the checkpoint's root. */
  readonly entry?: Uint8Array;
  /** Present only when its log signature (and the witness quorum) verified. */
  readonly checkpoint?: SignedCheckpoint;
  readonly signers?: StatementSigners;
}

/** Verifies entry `index`; `report` sees each step as it is done. Never throws. */
export async function verifyEntry(
  index: number,
  trust: Trust,
  reader: LogReader,
  report: (step: Step) => void,
): Promise<Verdict> {
  return (await verifyEntryDetailed(index, trust, reader, report)).verdict;
}

/** As `verifyEntry`, with the entry, checkpoint and signers it verified. Never throws. */
export async function verifyEntryDetailed(
  index: number,
  trust: Trust,
  reader: LogReader,
  report: (step: Step) => void,
): Promise<EntryVerification> {
  const independent = trust.source === 'user';
  const failures: string[] = [];
  const step = (s: Step): void => {
    if (s.status === 'bad') failures.push(s.detail);
    report(s);
  };
  const fail = (reason: string, read: Omit<EntryVerification, 'verdict'> = {}) => ({
    ...read,
    verdict: {
      verified: false,
      independent,
      text: `NOT VERIFIED: ${reason}${independent ? '' : ' (checked against the server’s own key: NOT INDEPENDENT)'}`,
    },
  });
  if (!Number.isSafeInteger(index) || index < 0) {
    return fail('the entry index is not a whole number from 0');
  }
  step({
    what: 'Keys',
    status: independent ? 'ok' : 'warn',
    detail: independent
      ? `verifying against ${trust.label}`
      : `NOT INDEPENDENT: verifying against ${trust.label}; the server under test vouches for itself`,
  });
  let read: { entry?: Uint8Array; checkpoint?: SignedCheckpoint } = {};
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
    // Kept only when nothing failed so far: a checkpoint short of its quorum is not shown as one.
    if (failures.length === 0) read = { checkpoint };

    const included = await checkInclusion(index, proof.hashes, checkpoint, reader, step);
    if (included.same && failures.length === 0) read = { checkpoint, entry: included.entry };
    const signers = await checkStatement(
      included.entry,
      statementKeys(trust, witnessed.logKey),
      trust,
      step,
    );
    if (failures.length > 0) return fail(failures[0] ?? '', { ...read, signers });
    return {
      ...read,
      signers,
      verdict: {
        verified: true,
        independent,
        text: successText(index, checkpoint, trust, witnessed, signers),
      },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    step({ what: 'Stopped', status: 'bad', detail: reason });
    return fail(failures[0] ?? reason, read);
  }
}

/** The entry from its data tile, its leaf hash, and the root the proof leads to. */
async function checkInclusion(
  index: number,
  hashes: readonly Uint8Array[],
  checkpoint: SignedCheckpoint,
  reader: LogReader,
  step: (s: Step) => void,
): Promise<{ readonly entry: Uint8Array; readonly same: boolean }> {
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
  return { entry, same };
}

function successText(
  index: number,
  checkpoint: SignedCheckpoint,
  trust: Trust,
  witnessed: Witnessed,
  signers: StatementSigners,
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
