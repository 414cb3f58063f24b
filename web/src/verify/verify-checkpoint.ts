/**
 * The checkpoint step of an entry's verification: the log key for its origin, the log's
 * signature, each trusted witness's cosignature and the quorum, each reported as a step.
 */
import type { SignedCheckpoint } from './checkpoint.js';
import { verifyCosignature, verifyLogSignature } from './checkpoint-signatures.js';
import type { VerifierKey } from './note-key.js';
import { sourceWords, type Step } from './step.js';
import { logKeyFor, type Trust } from './trust.js';

export interface Witnessed {
  readonly logKey: VerifierKey;
  readonly cosigned: readonly VerifierKey[];
}

/** The log signature, each trusted witness's cosignature and the quorum. */
export async function checkCheckpoint(
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
