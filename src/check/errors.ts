import { NospyError } from '../errors/nospy-error.js';

export type CheckErrorCode =
  | 'CHECK_INPUT_MISSING'
  | 'CHECK_LOG_UNREACHABLE'
  | 'CHECK_LOG_UNVERIFIED'
  | 'CHECK_DATA_CORRUPT'
  /** A finding evidence file (`nospy-finding/v1`) or finding object that cannot be read. */
  | 'CHECK_EVIDENCE_INVALID';

/**
 * Evidence `nospy check` cannot read: a file the config names is missing, the log cannot be
 * reached, or its data directory is corrupted (exit 2); or the log does not verify against the
 * trust file — its checkpoint is not signed by the log key or lacks the witness quorum, or its
 * tiles do not give the signed root (exit 1: a failed verification). `where` names the file,
 * directory or URL.
 */
export class CheckError extends NospyError<CheckErrorCode> {
  override readonly name = 'CheckError';
}
