/**
 * The CPU-heavy half of `POST /v1/statements`, run on a worker thread (or in place): parse the
 * envelope, refuse one whose canonical form cannot be a log entry, verify every signature,
 * the statement and its signing rules (acceptStatement), and build its Sigstore entries.
 */
import { acceptStatement } from '../../statements/accept.js';
import { parseEnvelope, serializeEnvelope } from '../../statements/dsse.js';
import { sigstoreEntriesOf } from '../../statements/sigstore/statement-entries.js';
import type { Trust } from '../../statements/trust.js';
import type { AcceptedSubmission } from './accept-protocol.js';

/** Throws the StatementError that the route answers (400, 413 or 422). */
export function acceptSubmission(body: Uint8Array, trust: Trust, now: Date): AcceptedSubmission {
  // Size first: an envelope whose canonical form cannot be a log entry is 413 whatever it says.
  serializeEnvelope(parseEnvelope(body));
  const accepted = acceptStatement(body, trust, { now });
  return {
    entry: accepted.entry,
    payload: accepted.payload,
    canonical: accepted.canonical,
    index: accepted.index,
    sigstoreEntries: sigstoreEntriesOf(accepted.canonical).map((s) => s.entry),
  };
}
