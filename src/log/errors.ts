import { NospyError } from '../errors/nospy-error.js';

export type LogErrorCode =
  | 'LOG_ENTRY_TOO_LARGE'
  | 'LOG_OVERLOADED'
  | 'LOG_TOO_MANY_WRITES'
  | 'LOG_FORBIDDEN'
  | 'LOG_CLOSED'
  | 'LOG_UNAUTHORIZED'
  | 'LOG_NOT_FOUND'
  | 'LOG_STATE_INVALID'
  | 'LOG_WITNESS_FAILED'
  | 'LOG_WITNESS_PENDING'
  | 'LOG_KEY_EXISTS'
  | 'LOG_USAGE'
  | 'LOG_UNREACHABLE'
  | 'LOG_INCONSISTENT'
  | 'LOG_UNVERIFIED'
  | 'LOG_AUDITING'
  | 'LOG_READ_ONLY'
  | 'LOG_EVIDENCE_INVALID';

/**
 * The running log and its clients: a rejected submission (too large, overloaded, one client's
 * writes in flight beyond its share, closed, unauthorised or without the scope it needs; refused while the server audits its store, LOG_AUDITING, or after the audit found
 * it corrupt, LOG_READ_ONLY), a missing tile or index, a stored state that does not reproduce its
 * own checkpoint, a witness quorum not reached, and — for verifiers — a log that is unreachable,
 * that does not verify against the trust material (LOG_UNVERIFIED, naming the entry, tile or
 * signature at fault), that is proven to contradict a checkpoint it signed before
 * (LOG_INCONSISTENT), or evidence of that which is malformed (LOG_EVIDENCE_INVALID).
 */
export class LogError extends NospyError<LogErrorCode> {
  override readonly name = 'LogError';
}
