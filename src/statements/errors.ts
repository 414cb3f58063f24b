import { NospyError } from '../errors/nospy-error.js';

export type StatementErrorCode =
  | 'STATEMENT_ENVELOPE_INVALID'
  | 'STATEMENT_ENVELOPE_TOO_LARGE'
  | 'STATEMENT_AUTHORING_INVALID'
  | 'STATEMENT_TRUST_INVALID'
  | 'STATEMENT_UNREADABLE'
  | 'STATEMENT_ALREADY_SIGNED'
  | 'STATEMENT_REJECTED'
  | 'STATEMENT_SIGNATURE_UNTRUSTED'
  | 'STATEMENT_BUNDLE_INVALID'
  | 'STATEMENT_NOT_ACCEPTING'
  | 'STATEMENT_NOT_FOUND'
  | 'STATEMENT_SERVER_FAILED'
  | 'STATEMENT_PUBLISH_TIMEOUT';

/**
 * Signed statements that cannot be read, authored or accepted: malformed or oversized DSSE
 * envelopes, bad authoring YAML or trust files, and (for the write path) an envelope whose
 * verification failed. A failed verification in `verifyStatement` is data, not this error.
 */
export class StatementError extends NospyError<StatementErrorCode> {
  override readonly name = 'StatementError';
}
