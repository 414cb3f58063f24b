import { NospyError } from '../errors/nospy-error.js';

export type LogErrorCode =
  | 'LOG_ENTRY_TOO_LARGE'
  | 'LOG_OVERLOADED'
  | 'LOG_CLOSED'
  | 'LOG_UNAUTHORIZED'
  | 'LOG_NOT_FOUND'
  | 'LOG_STATE_INVALID'
  | 'LOG_WITNESS_FAILED'
  | 'LOG_KEY_EXISTS'
  | 'LOG_USAGE'
  | 'LOG_UNREACHABLE'
  | 'LOG_INCONSISTENT';

/**
 * The running log and its clients: a rejected submission (too large, overloaded, closed,
 * unauthorised), a missing tile or index, a stored state that does not reproduce its own
 * checkpoint, a witness quorum not reached, and — for monitors — a log that is unreachable or
 * that contradicts what it published before (LOG_INCONSISTENT, a failed verification).
 */
export class LogError extends NospyError<LogErrorCode> {
  override readonly name = 'LogError';
}
