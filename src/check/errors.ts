import { NospyError } from '../errors/nospy-error.js';

export type CheckErrorCode = 'CHECK_INPUT_MISSING' | 'CHECK_LOG_UNREACHABLE' | 'CHECK_DATA_CORRUPT';

/**
 * Evidence `nospy check` cannot read: a file the config names is missing, the log cannot be
 * reached, or its data directory is corrupted. `where` names the file or directory.
 */
export class CheckError extends NospyError<CheckErrorCode> {
  override readonly name = 'CheckError';
}
