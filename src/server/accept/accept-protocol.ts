/**
 * What the statement-accepting worker threads and the server say to each other. A submission
 * goes out as its body bytes and the time to judge validity at; an accepted one comes back as
 * the few fields the write path needs (structured clone turns each Buffer into a Uint8Array,
 * which `reviveAccepted` wraps again), a refused one as its error's name, code and message.
 */
import type { CanonicalEnvelope } from '../../statements/canonical.js';
import type { StatementIndexFields } from '../../statements/accept.js';
import type { TrustTransfer } from '../../statements/trust-transfer.js';

export interface AcceptWorkerData {
  readonly trust: TrustTransfer;
}

export interface AcceptJob {
  readonly id: number;
  readonly body: Uint8Array;
  /** Milliseconds since the epoch: the server's clock when the request came in. */
  readonly now: number;
}

/** An envelope every check accepted, ready to append. */
export interface AcceptedSubmission {
  /** The canonical envelope bytes: the log entry. */
  readonly entry: Buffer;
  /** Hex SHA-256 of the signed bytes (DSSE PAE). */
  readonly payload: string;
  readonly canonical: CanonicalEnvelope;
  readonly index: StatementIndexFields;
  /** The Sigstore entries of the canonical envelope, one per signature, in signature order. */
  readonly sigstoreEntries: readonly Buffer[];
}

export interface RefusedSubmission {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly where: string | undefined;
}

export type AcceptReply =
  | { readonly id: number; readonly accepted: AcceptedSubmission }
  | { readonly id: number; readonly refused: RefusedSubmission }
  | { readonly id: number; readonly failed: string };

/** The Buffers of a submission that crossed a thread boundary as Uint8Arrays. */
export function reviveAccepted(accepted: AcceptedSubmission): AcceptedSubmission {
  const envelope = accepted.canonical.envelope;
  return {
    ...accepted,
    entry: asBuffer(accepted.entry),
    canonical: {
      signers: accepted.canonical.signers,
      envelope: {
        payloadType: envelope.payloadType,
        payload: asBuffer(envelope.payload),
        signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: asBuffer(s.sig) })),
      },
    },
    sigstoreEntries: accepted.sigstoreEntries.map(asBuffer),
  };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
